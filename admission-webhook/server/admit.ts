/**
 * One admission decision, independent of HTTP: extract the images, read namespace labels and pull
 * credentials, ask the verification engine, and turn the result into an AdmissionResponse — all
 * within one deadline. Every failure (exception, timeout, cluster error, no policy) is a denial
 * with a clear message: the webhook fails closed (DP-2, DV-1, P7).
 */
import type { AdmissionDecision, AdmissionSubject, ImageViolation } from "../engine/types";
import { extractFromRequest } from "./images";
import { ClusterError, type ClusterFacts } from "./facts";
import { errorMessage, type AdmissionRequest, type AdmissionResponse } from "./review";

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
}

export interface AdmissionControllerOptions {
    readonly facts: ClusterFacts;
    /** The decider of the currently loaded policy, or undefined when none is loaded. */
    readonly decider: () => Decider | undefined;
    /** Budget for the whole decision, in ms. Default 8000 (inside the API server's 10 s webhook timeout). */
    readonly deadlineMs?: number;
}

const DENIED = 403;

export class AdmissionController {
    private readonly deadlineMs: number;

    constructor(private readonly options: AdmissionControllerOptions) {
        this.deadlineMs = options.deadlineMs ?? 8000;
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
            return fail(req, "internal-error", `aiguard failed while checking images and denies by default (fail closed): ${errorMessage(err)}`);
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
        return fromDecision(req, decision, pull.notes, extraction.images.map((i) => i.path));
    }
}

/**
 * Turn the engine's decision into an answer. Any violation denies, whatever `allowed` says.
 * Violations and warnings are listed in the order of `paths` (the object's order) when given.
 */
export function fromDecision(req: AdmissionRequest, decision: AdmissionDecision, notes: readonly string[] = [], paths: readonly string[] = []): Outcome {
    const rank = (v: ImageViolation): number => {
        const i = paths.indexOf(v.path);
        return i < 0 ? paths.length : i;
    };
    const sorted = (list: readonly ImageViolation[]) => [...list].sort((a, b) => rank(a) - rank(b));
    const d: AdmissionDecision = { ...decision, violations: sorted(decision.violations), warnings: sorted(decision.warnings) };
    const warnings = d.warnings.map((w) => `aiguard (warn${d.policy !== undefined ? `, policy ${d.policy}` : ""}): ${line(w)}`);
    const base = {
        cacheHits: d.cacheHits,
        warnings: d.warnings.map(logged),
        violations: d.violations.map(logged),
        notes,
        ...(d.policy !== undefined ? { policy: d.policy } : {}),
    };
    if (d.violations.length > 0 || !d.allowed) {
        const lines = d.violations.length > 0 ? d.violations.map(line) : ["the verification engine denied the request without naming a violation"];
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

/** `<field path>: <image>: <reason and fix>`. */
function line(v: ImageViolation): string {
    return `${v.path}: ${v.image}: ${v.message}`;
}

function logged(v: ImageViolation): LoggedViolation {
    return { path: v.path, image: v.image, code: v.code };
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
    return `${req.kind.kind} ${req.namespace !== "" ? `${req.namespace}/` : ""}${objectName(req)}`;
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
