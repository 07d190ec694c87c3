/**
 * Where workload kinds keep their images (DP-2, DV-1, P7). Every supported kind funnels into one
 * pod-spec extraction covering `containers`, `initContainers`, `ephemeralContainers` and image
 * volumes (`volumes[i].image.reference`), with field paths as users read them. Used by the webhook
 * and by the offline `check-manifests` command, so CI and admission see the same images.
 */
import { CONTAINER_LISTS, displayKind, WORKLOAD_KINDS, workloadKind, type WorkloadKind } from "../../common/pod-spec";
import type { ImageAtPath } from "../verification/types";
import type { AdmissionRequest } from "./http/review";
import { isJsonObject, type JsonObject } from "./json";

/** Kinds whose images are checked (the shared workload table, `common/pod-spec.ts`). */
export const SUPPORTED_KINDS: readonly WorkloadKind[] = WORKLOAD_KINDS;

/** Pod-spec facts the webhook needs to collect pull credentials. */
export interface PodSpecFacts {
    /** `spec.serviceAccountName` (or the deprecated `serviceAccount`); default `"default"`. */
    readonly serviceAccountName: string;
    /** Names from `imagePullSecrets`, in order. */
    readonly imagePullSecrets: readonly string[];
}

/** What to do with one admission request. */
export type Extraction =
    /** Nothing to verify (DELETE, CONNECT, status/scale subresources); answered `allowed`. */
    | { readonly action: "skip"; readonly reason: string }
    /** Verify these images. */
    | { readonly action: "check"; readonly images: readonly ImageAtPath[]; readonly pod: PodSpecFacts }
    /** Fail closed: the object cannot be checked; answered with a denial carrying this message. */
    | { readonly action: "reject"; readonly code: "unsupported-kind" | "malformed-object"; readonly message: string };

/** A pod spec field that does not have the shape Kubernetes defines. */
export class MalformedObjectError extends Error {
    override readonly name = "MalformedObjectError";
}

/** The pod-spec path for a `group` + `kind`, or undefined when the kind carries no pod template we know. */
export function podSpecPath(group: string, kind: string): readonly string[] | undefined {
    return workloadKind(group, kind)?.podSpecPath;
}

/** Split an `apiVersion` (`apps/v1`, `v1`) into its group (`apps`, `""`). */
export function groupOf(apiVersion: string): string {
    const slash = apiVersion.indexOf("/");
    return slash < 0 ? "" : apiVersion.slice(0, slash);
}

/**
 * Decide what an admission request needs.
 * - DELETE and CONNECT: skip (they cannot introduce an image).
 * - Subresources: only `pods/ephemeralcontainers` is checked — ALL images of the new Pod, not only
 *   the added ephemeral container (as policy-controller does); `status`, `scale`, `binding`,
 *   `eviction`, `resize`, … cannot change images and are skipped.
 * - A main resource of a supported kind: every image of its pod spec is checked, including objects
 *   with `metadata.deletionTimestamp` (being deleted is not a bypass on CREATE/UPDATE).
 * - Any other kind sent to this webhook is rejected (fail closed): the webhook was registered for
 *   it but cannot know where its images are. Remove the kind from the webhook's `rules`.
 */
export function extractFromRequest(req: AdmissionRequest): Extraction {
    if (req.operation === "DELETE" || req.operation === "CONNECT") {
        return { action: "skip", reason: `${req.operation} cannot introduce an image` };
    }
    let group = req.kind.group;
    let kind = req.kind.kind;
    if (req.subResource !== "") {
        if (!(req.resource.group === "" && req.resource.resource === "pods" && req.subResource === "ephemeralcontainers")) {
            return { action: "skip", reason: `subresource ${req.resource.resource}/${req.subResource} cannot change images` };
        }
        // The ephemeralcontainers subresource carries a whole Pod (kind Pod since Kubernetes 1.23).
        group = "";
        kind = "Pod";
    }
    const path = podSpecPath(group, kind);
    if (path === undefined) {
        const gk = group === "" ? kind : `${kind}.${group}`;
        return {
            action: "reject",
            code: "unsupported-kind",
            message: `aiguard cannot find the images of kind ${gk}; it checks ${SUPPORTED_KINDS.map(displayKind).join(", ")}. Remove ${gk} from the ValidatingWebhookConfiguration rules, or run it through a supported workload kind.`,
        };
    }
    return extractFromObject(req.object ?? {}, path);
}

/** Extract the images of one object given its pod-spec path (also used for manifests in CI). */
export function extractFromObject(object: JsonObject, path: readonly string[]): Extraction {
    try {
        const spec = walk(object, path);
        return { action: "check", images: podSpecImages(spec, path.join(".")), pod: podFacts(spec, path.join(".")) };
    } catch (err) {
        if (err instanceof MalformedObjectError) return { action: "reject", code: "malformed-object", message: err.message };
        throw err;
    }
}

function walk(object: JsonObject, path: readonly string[]): JsonObject {
    let cur: JsonObject = object;
    const seen: string[] = [];
    for (const key of path) {
        seen.push(key);
        const next = cur[key];
        if (!isJsonObject(next)) throw new MalformedObjectError(`${seen.join(".")} is missing or not an object; the pod spec cannot be read`);
        cur = next;
    }
    return cur;
}

/**
 * Every image of a pod spec with its field path, in the order containers, initContainers,
 * ephemeralContainers, image volumes. `prefix` is the pod spec's own path (`spec`, `spec.template.spec`).
 * @throws MalformedObjectError when a list or an image field has the wrong type.
 */
export function podSpecImages(spec: JsonObject, prefix: string): ImageAtPath[] {
    const out: ImageAtPath[] = [];
    for (const list of CONTAINER_LISTS) {
        for (const [i, c] of arrayAt(spec, list, prefix).entries()) {
            const at = `${prefix}.${list}[${i}]`;
            if (!isJsonObject(c)) throw new MalformedObjectError(`${at} must be an object`);
            out.push({ path: `${at}.image`, image: imageString(c["image"], `${at}.image`) });
        }
    }
    for (const [i, v] of arrayAt(spec, "volumes", prefix).entries()) {
        const at = `${prefix}.volumes[${i}]`;
        if (!isJsonObject(v)) throw new MalformedObjectError(`${at} must be an object`);
        const img = v["image"];
        if (img === undefined || img === null) continue;
        if (!isJsonObject(img)) throw new MalformedObjectError(`${at}.image must be an object`);
        out.push({ path: `${at}.image.reference`, image: imageString(img["reference"], `${at}.image.reference`) });
    }
    return out;
}

function arrayAt(spec: JsonObject, key: string, prefix: string): unknown[] {
    const v = spec[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw new MalformedObjectError(`${prefix}.${key} must be a list`);
    return v;
}

function imageString(v: unknown, path: string): string {
    if (typeof v !== "string" || v.trim() === "") {
        throw new MalformedObjectError(`${path} is missing or not a string; every container must name a digest-pinned image`);
    }
    return v;
}

function podFacts(spec: JsonObject, prefix: string): PodSpecFacts {
    const sa = spec["serviceAccountName"] ?? spec["serviceAccount"];
    if (sa !== undefined && sa !== null && typeof sa !== "string") throw new MalformedObjectError(`${prefix}.serviceAccountName must be a string`);
    const secrets: string[] = [];
    for (const [i, s] of arrayAt(spec, "imagePullSecrets", prefix).entries()) {
        if (!isJsonObject(s)) throw new MalformedObjectError(`${prefix}.imagePullSecrets[${i}] must be an object`);
        const name = s["name"];
        if (typeof name === "string" && name !== "") secrets.push(name);
    }
    return { serviceAccountName: typeof sa === "string" && sa !== "" ? sa : "default", imagePullSecrets: secrets };
}
