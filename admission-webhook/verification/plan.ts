/**
 * The pure first step of a decision (no I/O): which policies apply to the namespace, which of them
 * match each image, which images fail before any network call (unparseable, not allowed, not
 * pinned), and the distinct verifications — one per (policy version, repository, digest) — that
 * the I/O step must run. Each distinct image string is parsed and matched once, however many
 * containers repeat it.
 *
 * Rules, in order, for each image of an in-scope namespace:
 * 1. Unparseable → `invalid-reference` (enforce unless every in-scope policy is `warn`).
 * 2. Every in-scope policy whose `images` globs match the image applies; the image must satisfy
 *    each of them (violations of `warn` policies become warnings).
 * 3. No in-scope policy matches → `noMatch`: `deny` → `image-not-allowed`; `allow` → admitted.
 * 4. No digest → `not-pinned` with the pinned-form hint. A tag+digest reference is verified and
 *    admitted by its digest; the tag is not resolved (runtimes pull by the digest).
 */
import { describeError } from "./errors";
import { matchGlob } from "./policy/image-glob";
import type { CompiledPolicy, NoMatchBehaviour, TrustPolicy } from "./policy/types";
import { parseReference, pinnedFormHint, tryParseReference, type ImageReference } from "../../common/image-reference";
import { selectorMatches } from "../../common/label-selector";
import type { ImageAtPath, ImageViolation } from "./types";

/** One signature verification: `policy` applied to the pinned `ref`. */
export interface VerificationJob {
    /** `(policy version, repository, digest)`: the cache and deduplication key. */
    readonly key: string;
    readonly policy: CompiledPolicy;
    readonly ref: ImageReference;
}

/** A violation known before any I/O, and whether it denies (`enforce`) or warns. */
export interface Finding {
    readonly violation: ImageViolation;
    readonly enforce: boolean;
}

/** One image of the object, in the object's order. */
export interface PlannedImage {
    readonly path: string;
    readonly image: string;
    readonly findings: readonly Finding[];
    readonly jobs: readonly VerificationJob[];
}

export interface DecisionPlan {
    /** The policies whose namespace selector selects the namespace. */
    readonly policies: readonly CompiledPolicy[];
    readonly images: readonly PlannedImage[];
    /** Distinct verifications, by key. */
    readonly jobs: ReadonlyMap<string, VerificationJob>;
    readonly distinctImages: number;
}

/** The policies of `policy` that apply to a namespace with `labels`. */
export function policiesInScope(policy: TrustPolicy, labels: Readonly<Record<string, string>>): CompiledPolicy[] {
    return policy.policies.filter((p) => selectorMatches(p.namespaceSelector, labels) === true);
}

/** The names of `policies` whose image globs match `image` (none when it does not parse). */
export function matchingPolicies(policies: readonly CompiledPolicy[], image: string): string[] {
    const ref = tryParseReference(image);
    return ref === undefined ? [] : policies.filter((p) => p.images.some((g) => matchGlob(g, ref.name))).map((p) => p.name);
}

/** Plans the verification of `images` under the in-scope `policies`. */
export function planDecision(policies: readonly CompiledPolicy[], noMatch: NoMatchBehaviour, images: readonly ImageAtPath[]): DecisionPlan {
    const jobs = new Map<string, VerificationJob>();
    const perImage = new Map<string, (path: string) => PlannedImage>();
    const allWarn = policies.every((p) => p.mode === "warn");
    const planned: PlannedImage[] = [];
    for (const { path, image } of images) {
        let plan = perImage.get(image);
        if (plan === undefined) {
            plan = planImage(image, policies, noMatch, allWarn, jobs);
            perImage.set(image, plan);
        }
        planned.push(plan(path));
    }
    return { policies, images: planned, jobs, distinctImages: perImage.size };
}

/** Plans one distinct image string; the result is instantiated per path. */
function planImage(image: string, policies: readonly CompiledPolicy[], noMatch: NoMatchBehaviour, allWarn: boolean, jobs: Map<string, VerificationJob>): (path: string) => PlannedImage {
    const pending: { code: ImageViolation["code"]; message: string; enforce: boolean }[] = [];
    const mine: VerificationJob[] = [];
    let ref: ImageReference | undefined;
    try {
        ref = parseReference(image);
    } catch (err) {
        pending.push({ code: "invalid-reference", message: describeError(err), enforce: !allWarn });
    }
    if (ref !== undefined) {
        const name = ref.name;
        const matching = policies.filter((p) => p.images.some((g) => matchGlob(g, name)));
        if (matching.length === 0 && noMatch === "deny") {
            pending.push({
                code: "image-not-allowed",
                message: `${name} matches no image pattern of the trust policies [${policies.map((p) => p.name).join(", ")}] for this namespace; use an image from an allowed registry/repository (noMatch: deny)`,
                enforce: true,
            });
        }
        for (const policy of matching) {
            if (!ref.pinned) {
                pending.push({ code: "not-pinned", message: `${image} is not pinned by digest (tags can move; policy ${policy.name}): ${pinnedFormHint(ref)}`, enforce: policy.mode === "enforce" });
                continue;
            }
            const key = `${policy.version}|${name}@${ref.digest}`;
            let job = jobs.get(key);
            if (job === undefined) {
                job = { key, policy, ref };
                jobs.set(key, job);
            }
            mine.push(job);
        }
    }
    return (path) => ({ path, image, jobs: mine, findings: pending.map((p) => ({ enforce: p.enforce, violation: { path, image, code: p.code, message: p.message } })) });
}
