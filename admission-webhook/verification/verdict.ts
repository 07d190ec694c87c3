/**
 * The pure last step of a decision: the plan's findings and the outcome of each distinct
 * verification become violations (enforce) and warnings (warn), in the object's order, in one
 * linear pass. Any violation denies.
 */
import type { ImageOutcome } from "./check";
import type { DecisionPlan } from "./plan";
import type { AdmissionDecision, ImageViolation } from "./types";

/** What the I/O step found for one verification key. */
export interface JobResult {
    readonly outcome: ImageOutcome;
    readonly hit: boolean;
}

/** The decision for `plan` given the result of every one of its jobs (a missing one fails closed). */
export function verdict(plan: DecisionPlan, results: ReadonlyMap<string, JobResult>): AdmissionDecision {
    const violations: ImageViolation[] = [];
    const warnings: ImageViolation[] = [];
    // Findings known before I/O first, then verification outcomes, each in the object's order.
    for (const image of plan.images) {
        for (const f of image.findings) (f.enforce ? violations : warnings).push(f.violation);
    }
    for (const image of plan.images) {
        for (const job of image.jobs) {
            const outcome = results.get(job.key)?.outcome ?? MISSING;
            if (outcome.ok) continue;
            (job.policy.mode === "enforce" ? violations : warnings).push({ path: image.path, image: image.image, code: outcome.code, message: `policy ${job.policy.name}: ${outcome.message}` });
        }
    }
    let cacheHits = 0;
    let registryErrors: Record<string, number> | undefined;
    for (const r of results.values()) {
        if (r.hit) cacheHits++;
        const code = r.outcome.ok ? undefined : r.outcome.registryErrorCode;
        if (code !== undefined) {
            registryErrors ??= {};
            registryErrors[code] = (registryErrors[code] ?? 0) + 1;
        }
    }
    return {
        allowed: violations.length === 0,
        violations,
        warnings,
        policy: plan.policies.map((p) => p.name).join(","),
        cacheHits,
        ...(registryErrors !== undefined ? { registryErrors } : {}),
    };
}

const MISSING: ImageOutcome = { ok: false, code: "policy-error", message: "the verification did not run; the image is denied (fail closed)" };
