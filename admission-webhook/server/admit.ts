/**
 * One admission decision, independent of HTTP: extract the images, read namespace labels and pull
 * credentials, ask the verification engine, and turn the result into an AdmissionResponse — all
 * within one deadline. Every failure (exception, timeout, cluster error, no policy) is a denial
 * with a clear message: the webhook fails closed (DP-2, DV-1, P7).
 */
import type { AdmissionDecision, AdmissionSubject, ImageViolation } from "../verification/types";
import { extractFromRequest } from "./images";
import { ClusterError, type ClusterFacts } from "./cluster/facts";
import { type AdmissionRequest, type AdmissionResponse } from "./http/review";
import { describeError } from "../../common/errors";
import { firstOf, MAX_VALUE_CHARS, truncate } from "./json";

/** The verification engine as the server sees it (implemented by `../engine`'s `ImageVerifier`). */
export interface Decider {
    decide(subject: AdmissionSubject, signal: AbortSignal): Promise<AdmissionDecision>;
}

/** How a request ended, for metrics. */
export type DecisionResult = "allowed" | "denied" | "warned" | "error";

/** Reason codes beyond the engine's `ViolationCode`s. */
export type ServerReason =
    | "verified"          // every image verified
    | "out-of-scope"      // no policy applies to the namespace
    | "no-images"
    | "skipped"           // DELETE, CONNECT, status/scale subresources
    | "unsupported-kind"
    | "malformed-object"
    | "no-policy"
    | "cluster-error"
    | "timeout"
    | "too-many-images"   // more distinct images than maxImagesPerObject
    | "internal-error";

/** One failing image in the decision log. */
export interface LoggedViolation {
    readonly path: string;
    readonly image: string;
    readonly code: string;
}

export interface Outcome {
    readonly response: AdmissionResponse;
    readonly result: DecisionResult;
    /** Primary reason code: the first violation's code, or a `ServerReason`. */
    readonly reason: string;
    readonly violations: readonly LoggedViolation[];
    readonly warnings: readonly LoggedViolation[];
    readonly cacheHits: number;
    readonly policy?: string;
    readonly notes: readonly string[];
    /** Image references in the object, and how many distinct ones. */
    readonly images?: number;
    readonly distinctImages?: number;
    /** Verifications that failed on registry I/O, by code. */
    readonly registryErrors?: Readonly<Record<string, number>>;
}

export interface AdmissionControllerOptions {
    readonly facts: ClusterFacts;
    /** The decider of the currently loaded policy, or undefined when none is loaded. */
    readonly decider: () => Decider | undefined;
    /** Budget for the whole decision, in ms. Default 8000 (inside the API server's 10 s webhook timeout). */
    readonly deadlineMs?: number;
    /** Most distinct image references one object may name; above it the object is denied unverified. Default {@link DEFAULT_MAX_IMAGES_PER_OBJECT}. */
    readonly maxImagesPerObject?: number;
}

/**
 * Default cap on distinct image references per object. Real pods name a handful; a pod naming
 * thousands is an attempt to make the webhook do unbounded registry work, and is denied at once.
 */
export const DEFAULT_MAX_IMAGES_PER_OBJECT = 256;

/** Most violation lines quoted in a denial message (the rest are counted). */
export const MAX_LISTED_VIOLATIONS = 10;

const DENIED = 403;

export class AdmissionController {
    private readonly deadlineMs: number;
    private readonly maxImages: number;

    constructor(private readonly options: AdmissionControllerOptions) {
        this.deadlineMs = options.deadlineMs ?? 8000;
        this.maxImages = options.maxImagesPerObject ?? DEFAULT_MAX_IMAGES_PER_OBJECT;
    }

    /** Decide one request. Never throws; `cancel` aborts the work (e.g. the client went away). */
    async admit(req: AdmissionRequest, cancel?: AbortSignal): Promise<Outcome> {
        const ctl = new AbortController();
        const onCancel = (): void => ctl.abort(new Error("the API server closed the connection"));
        cancel?.addEventListener("abort", onCancel, { once: true });
        let timer: NodeJS.Timeout | undefined;
        const expired = new Promise<Outcome>((resolve) => {
            timer = setTimeout(() => {
                ctl.abort(new Error("deadline"));
                resolve(
                    fail(req, "timeout", `aiguard could not verify the images within ${this.deadlineMs} ms and denies by default (fail closed); retry, and check the registry's and the Kubernetes API's latency`),
                );
            }, this.deadlineMs);
        });
        try {
            return await Promise.race([this.run(req, ctl.signal), expired]);
        } catch (err) {
            if (err instanceof ClusterError) return fail(req, "cluster-error", `aiguard denies by default (fail closed): ${err.message}`);
            return fail(req, "internal-error", `aiguard failed while checking images and denies by default (fail closed): ${describeError(err)}`);
        } finally {
            clearTimeout(timer);
            cancel?.removeEventListener("abort", onCancel);
        }
    }

    private async run(req: AdmissionRequest, signal: AbortSignal): Promise<Outcome> {
        const extraction = extractFromRequest(req);
        if (extraction.action === "skip") return allow(req, "skipped", extraction.reason);
        if (extraction.action === "reject") return deny(req, extraction.code, `aiguard denied ${subjectName(req)}: ${extraction.message}`, "denied");
        if (extraction.images.length === 0) return allow(req, "no-images", "no images to verify");
        const distinct = new Set(extraction.images.map((i) => i.image)).size;
        if (distinct > this.maxImages) {
            return {
                ...deny(req, "too-many-images", `aiguard denied ${subjectName(req)}: it names ${distinct} distinct images, more than the limit of ${this.maxImages} per object (--max-images-per-object); split the workload or raise the limit`, "denied"),
                images: extraction.images.length,
                distinctImages: distinct,
            };
        }
        const decider = this.options.decider();
        if (decider === undefined) return fail(req, "no-policy", "aiguard has no trust policy loaded and denies by default (fail closed); fix the mounted policy file");
        const namespace = req.namespace !== "" ? req.namespace : metadataNamespace(req);
        if (namespace === "") return deny(req, "malformed-object", `aiguard denied ${subjectName(req)}: the request has no namespace`, "denied");
        const [namespaceLabels, pull] = await Promise.all([
            this.options.facts.namespaceLabels(namespace, signal),
            this.options.facts.pullCredentials(namespace, extraction.pod, signal),
        ]);
        const subject: AdmissionSubject = { namespace, namespaceLabels, images: extraction.images, credentials: pull.credentials };
        const decision = await decider.decide(subject, signal);
        return { ...fromDecision(req, decision, pull.notes, extraction.images.map((i) => i.path)), images: extraction.images.length, distinctImages: distinct };
    }
}

/**
 * Turn the engine's decision into an answer. Any violation denies, whatever `allowed` says.
 * Violations and warnings are listed in the order of `paths` (the object's order) when given.
 */
export function fromDecision(req: AdmissionRequest, decision: AdmissionDecision, notes: readonly string[] = [], paths: readonly string[] = []): Outcome {
    const d: AdmissionDecision = { ...decision, violations: inObjectOrder(decision.violations, paths), warnings: inObjectOrder(decision.warnings, paths) };
    const listed = firstOf(d.warnings, MAX_LISTED_VIOLATIONS);
    const warnings = listed.shown.map((w) => `aiguard (warn${d.policy !== undefined ? `, policy ${d.policy}` : ""}): ${line(w)}`);
    if (listed.omitted > 0) warnings.push(`aiguard (warn): and ${listed.omitted} more images with warnings`);
    const base = {
        cacheHits: d.cacheHits,
        warnings: d.warnings.map(logged),
        violations: d.violations.map(logged),
        notes,
        ...(d.policy !== undefined ? { policy: d.policy } : {}),
        ...(d.registryErrors !== undefined ? { registryErrors: d.registryErrors } : {}),
    };
    if (d.violations.length > 0 || !d.allowed) {
        const shown = firstOf(d.violations, MAX_LISTED_VIOLATIONS);
        const lines = d.violations.length > 0 ? shown.shown.map(line) : ["the verification engine denied the request without naming a violation"];
        if (shown.omitted > 0) lines.push(`and ${shown.omitted} more`);
        const n = d.violations.length;
        const message = `aiguard denied ${subjectName(req)}${d.policy !== undefined ? ` (policy ${d.policy})` : ""}: ${n === 1 ? "1 image" : `${n} images`} failed verification: ${lines.join("; ")}`;
        return {
            ...base,
            result: "denied",
            reason: d.violations[0]?.code ?? "internal-error",
            response: { uid: req.uid, allowed: false, status: { code: DENIED, reason: "Forbidden", message }, ...(warnings.length ? { warnings } : {}) },
        };
    }
    const reason = d.warnings.length > 0 ? d.warnings[0]!.code : d.policy === undefined ? "out-of-scope" : "verified";
    const message = d.policy === undefined ? "no aiguard policy applies to this namespace" : `every image verified by policy ${d.policy}`;
    return {
        ...base,
        result: d.warnings.length > 0 ? "warned" : "allowed",
        reason,
        response: { uid: req.uid, allowed: true, status: { code: 200, message }, ...(warnings.length ? { warnings } : {}) },
    };
}

/** `list` stably ordered by the position of each entry's path in `paths` (unknown paths last), in linear time. */
function inObjectOrder(list: readonly ImageViolation[], paths: readonly string[]): readonly ImageViolation[] {
    if (paths.length === 0 || list.length < 2) return list;
    const rank = new Map<string, number>();
    paths.forEach((p, i) => {
        if (!rank.has(p)) rank.set(p, i);
    });
    const buckets: ImageViolation[][] = Array.from({ length: paths.length + 1 }, () => []);
    for (const v of list) buckets[rank.get(v.path) ?? paths.length]!.push(v);
    return buckets.flat();
}

/** `<field path>: <image>: <reason and fix>`, each untrusted part bounded. */
function line(v: ImageViolation): string {
    return `${truncate(v.path)}: ${truncate(v.image)}: ${truncate(v.message, 4 * MAX_VALUE_CHARS)}`;
}

function logged(v: ImageViolation): LoggedViolation {
    return { path: truncate(v.path), image: truncate(v.image), code: v.code };
}

function allow(req: AdmissionRequest, reason: ServerReason, message: string): Outcome {
    return { response: { uid: req.uid, allowed: true, status: { code: 200, message } }, result: "allowed", reason, violations: [], warnings: [], cacheHits: 0, notes: [] };
}

function deny(req: AdmissionRequest, reason: ServerReason, message: string, result: DecisionResult): Outcome {
    return {
        response: { uid: req.uid, allowed: false, status: { code: DENIED, reason: "Forbidden", message } },
        result,
        reason,
        violations: [],
        warnings: [],
        cacheHits: 0,
        notes: [],
    };
}

function fail(req: AdmissionRequest, reason: ServerReason, message: string): Outcome {
    return deny(req, reason, message, "error");
}

function metadataNamespace(req: AdmissionRequest): string {
    const meta = req.object?.["metadata"];
    const ns = typeof meta === "object" && meta !== null ? (meta as Record<string, unknown>)["namespace"] : undefined;
    return typeof ns === "string" ? ns : "";
}

/** `Kind namespace/name` for messages and logs (`generateName…` before a name is assigned). */
export function subjectName(req: AdmissionRequest): string {
    return truncate(`${req.kind.kind} ${req.namespace !== "" ? `${req.namespace}/` : ""}${objectName(req)}`);
}

export function objectName(req: AdmissionRequest): string {
    if (req.name !== "") return req.name;
    const meta = req.object?.["metadata"];
    if (typeof meta === "object" && meta !== null) {
        const m = meta as Record<string, unknown>;
        if (typeof m["name"] === "string" && m["name"] !== "") return m["name"];
        if (typeof m["generateName"] === "string") return `${m["generateName"]}…`;
    }
    return "(unnamed)";
}
