/**
 * Evaluates recorded resources with the policy pack over the analyzer protocol, the way the Pulumi
 * CLI does during a preview: `Analyze` for each resource (inputs), then one `AnalyzeStack` (outputs).
 */
import { fromRecorded, RunningPack, type Diagnostic, type PackConfig } from "./analyzer-client";
import type { RecordedResource } from "./recording-mocks";

/** The pack's reports of what it judged and what it could not decide: diagnostics that are not findings. */
export const PACK_REPORTS: ReadonlySet<string> = new Set(["aiguard-scope", "aiguard-undecided-at-preview"]);

export interface Evaluation {
    /** Every finding (rules and the exemptions report), resource diagnostics carrying the URN of the resource they were raised on. */
    readonly diagnostics: readonly Diagnostic[];
    /** The pack's scope and undecided-at-preview reports ({@link PACK_REPORTS}). */
    readonly reports: readonly Diagnostic[];
    readonly mandatory: readonly Diagnostic[];
    readonly advisory: readonly Diagnostic[];
    readonly resourceCount: number;
    readonly analyzeMs: number;
    readonly analyzeStackMs: number;
}

/** Runs every resource through a started pack. Custom resources only: the engine does not analyze components. */
export async function evaluate(pack: RunningPack, resources: readonly RecordedResource[], config: PackConfig = {}): Promise<Evaluation> {
    const info = await pack.client.getAnalyzerInfo();
    await pack.client.configure(config, info);
    const custom = resources.filter((r) => r.custom);
    const { inputs, outputs } = fromRecorded(custom);
    const diagnostics: Diagnostic[] = [];
    const t0 = performance.now();
    for (const r of inputs) {
        for (const d of await pack.client.analyze(r)) diagnostics.push({ ...d, urn: d.urn || r.urn });
    }
    const t1 = performance.now();
    diagnostics.push(...(await pack.client.analyzeStack(outputs)));
    const t2 = performance.now();
    const reports = diagnostics.filter((d) => PACK_REPORTS.has(d.policyName));
    const findings = diagnostics.filter((d) => !PACK_REPORTS.has(d.policyName));
    return {
        diagnostics: findings,
        reports,
        mandatory: findings.filter((d) => d.enforcementLevel === "mandatory"),
        advisory: findings.filter((d) => d.enforcementLevel === "advisory"),
        resourceCount: custom.length,
        analyzeMs: t1 - t0,
        analyzeStackMs: t2 - t1,
    };
}
