/**
 * A small real decider for server tests that do not need signature verification: it requires every
 * image to be digest-pinned (code `not-pinned`), in `enforce` or `warn` mode, and can be slowed
 * down to exercise deadlines. Its "policy file" is JSON: `{"name": ..., "mode": ..., "delayMs": ...}`.
 */
import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import type { AdmissionDecision, AdmissionSubject, ImageViolation } from "../../../../admission-webhook/verification/types";
import type { Decider } from "../../../../admission-webhook/server/admit";
import type { LoadedPolicy } from "../../../../admission-webhook/server/policy/holder";
import { filesOf } from "../../../../admission-webhook/server/policy/watch";

export interface PinningPolicy {
    readonly name: string;
    readonly mode: "enforce" | "warn";
    readonly delayMs?: number;
}

export class PinningDecider implements Decider {
    readonly subjects: AdmissionSubject[] = [];
    constructor(readonly policy: PinningPolicy) {}

    async decide(subject: AdmissionSubject, signal: AbortSignal): Promise<AdmissionDecision> {
        this.subjects.push(subject);
        if (this.policy.delayMs) await sleep(this.policy.delayMs, undefined, { signal });
        const bad: ImageViolation[] = subject.images
            .filter((i) => !/@sha256:[0-9a-f]{64}$/.test(i.image))
            .map((i) => ({ path: i.path, image: i.image, code: "not-pinned", message: "pin the image by digest (name@sha256:...)" }));
        const enforce = this.policy.mode === "enforce";
        return { allowed: !enforce || bad.length === 0, violations: enforce ? bad : [], warnings: enforce ? [] : bad, policy: this.policy.name, cacheHits: 0 };
    }
}

/** Loads a pinning policy from a JSON file or from the single file in a directory. */
export async function loadPinningPolicy(path: string): Promise<LoadedPolicy> {
    const files = await filesOf(path);
    if (files.length !== 1) throw new Error(`expected one policy file in ${path}, found ${files.length}`);
    const raw = JSON.parse(await readFile(files[0]!, "utf8")) as Partial<PinningPolicy>;
    if (typeof raw.name !== "string" || (raw.mode !== "enforce" && raw.mode !== "warn")) throw new Error(`${files[0]}: name and mode (enforce|warn) are required`);
    const policy: PinningPolicy = { name: raw.name, mode: raw.mode, ...(typeof raw.delayMs === "number" ? { delayMs: raw.delayMs } : {}) };
    return { decider: new PinningDecider(policy), description: `${policy.name} (${policy.mode})` };
}
