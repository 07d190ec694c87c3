/**
 * Image checks shared by the image rules (SageMaker models and training jobs, Kubernetes pods): one
 * parser and one digest policy for the whole of aiguard (`common/image-reference.ts`), the webhook's.
 * Pure; nothing here throws on any input.
 */
import { parseReferenceResult, registryAllowed } from "../../common/image-reference";
import { UNKNOWN } from "../../common/unknown";
import { knownString } from "./values";

/**
 * Checks an image string for the digest-pin rules: `undefined` when compliant or not decidable
 * (unknown, or containing the engine's unknown marker), else a sentence describing the problem.
 */
export function digestProblem(image: unknown): string | undefined {
    const s = knownString(image);
    if (s === UNKNOWN || s === undefined) return undefined;
    const parsed = parseReferenceResult(s);
    if (!parsed.ok) return `image "${s}" is not a valid image reference (${parsed.error}), so it cannot be verified as pinned`;
    if (!parsed.ref.pinned) return `image "${s}" is not pinned by digest (use name@sha256:<64 hex>; tags move)`;
    return undefined;
}

/** Like {@link digestProblem} for the allowed-registries rules. */
export function registryProblem(image: unknown, allowed: readonly string[]): string | undefined {
    const s = knownString(image);
    if (s === UNKNOWN || s === undefined) return undefined;
    const parsed = parseReferenceResult(s);
    if (!parsed.ok) return `image "${s}" is not a valid image reference (${parsed.error}), so its registry cannot be checked`;
    if (!registryAllowed(parsed.ref, allowed)) {
        return `image "${s}" comes from "${parsed.ref.registry}/${parsed.ref.repository}", which matches none of the allowed registries [${allowed.join(", ")}]`;
    }
    return undefined;
}
