/**
 * `aiguard config expand`: reads a settings file and expands it against the pack's own policy
 * list and config schemas (from the running pack's GetAnalyzerInfo, what the Pulumi CLI validates
 * against), with {@link normalisePolicyConfig}, the function `aiguard check --config` uses.
 */
import { RunningPack, type PackConfig } from "../../offline/analyzer-client";
import { createProgress } from "../io";
import { ensurePackBuilt } from "./check";
import { normalisePolicyConfig, readPolicyConfigFile } from "./policy-config";

/** Expands `file` (a settings file, or an already expanded config) into Pulumi's per-policy config. Throws `UsageError`. */
export async function expandSettingsFile(file: string): Promise<PackConfig> {
    const raw = readPolicyConfigFile(file);
    const progress = createProgress();
    try {
        await ensurePackBuilt(progress);
        progress.phase("reading the policy pack's policies and settings");
        const pack = await RunningPack.start();
        try {
            return normalisePolicyConfig(raw, await pack.client.getAnalyzerInfo());
        } finally {
            await pack.stop();
        }
    } finally {
        progress.done();
    }
}
