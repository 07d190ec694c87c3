/**
 * Examples for `aiguard explain <rule> --examples`, taken from real runs rather than written per
 * rule: the insecure demo (stacks/insecure-demo, which trips every rule; test/stacks holds it to
 * that) is run with only this rule, and its violating resources are shown with their inputs and
 * messages; the example platform (built from aiguard's components) is run the same way, and
 * resources of the types the rule judges that it does not report are shown as compliant ones.
 * Rules record no hand-written snippets, so a rule the platform has no resource for has no
 * compliant example, and the output says so.
 */
import * as path from "node:path";
import { judges, type RuleManifestEntry } from "../../common/rule-manifest";
import { UNKNOWN_STRING } from "../../common/unknown";
import type { RecordedResource } from "../../offline/recorded";
import { resolveDemoPrograms } from "../demo/programs";
import type { Progress } from "../io";

export interface ExampleResource {
    /** The program it comes from (directory). */
    readonly program: string;
    readonly name: string;
    readonly type: string;
    /** The resource's inputs as the pack received them (unknowns shown as `<unknown at preview>`). */
    readonly inputs: unknown;
    /** The rule's finding on it (violating examples). */
    readonly message?: string;
}

export interface RuleExamples {
    readonly violating: readonly ExampleResource[];
    readonly compliant: readonly ExampleResource[];
}

/** Inputs for display: unknown sentinels named, Pulumi's bookkeeping keys dropped. */
function displayable(value: unknown): unknown {
    if (value === UNKNOWN_STRING) return "<unknown at preview>";
    if (Array.isArray(value)) return value.map(displayable);
    if (value && typeof value === "object") {
        return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([k]) => !k.startsWith("__")).map(([k, v]) => [k, displayable(v)]));
    }
    return value;
}

/** Runs both example programs with only `rule` and picks up to `max` violating and compliant resources. */
export async function findExamples(rule: RuleManifestEntry, progress: Progress, max = 2): Promise<RuleExamples> {
    const { runCheck } = require("../evaluation/check") as typeof import("../evaluation/check");
    const found = resolveDemoPrograms();
    const rel = (p: string) => path.relative(process.cwd(), p) || ".";
    const programs = { insecureDemo: rel(found.insecureDemo), platform: rel(found.platform) };
    const run = async (dir: string, stack?: string) => {
        let resources: readonly RecordedResource[] = [];
        const result = await runCheck({ programDir: dir, stack, progress, selection: { rules: [rule.name] }, onProgramRun: (r) => (resources = r) });
        return { result, byUrn: new Map(resources.map((r) => [r.urn, r])), resources };
    };
    const demo = await run(programs.insecureDemo);
    const violating = demo.result.findings
        .filter((f) => f.rule === rule.name)
        .slice(0, max)
        .map((f): ExampleResource => ({ program: programs.insecureDemo, name: f.resourceName, type: f.resourceType, inputs: displayable(demo.byUrn.get(f.urn)?.inputs ?? {}), message: f.message }));
    const platform = await run(programs.platform, "dev");
    const reported = new Set([...platform.result.findings, ...platform.result.exemptions].map((f) => f.urn));
    const compliant = platform.resources
        .filter((r) => r.custom && judges(rule, r.type) && !reported.has(r.urn))
        .slice(0, max)
        .map((r): ExampleResource => ({ program: programs.platform, name: r.name, type: r.type, inputs: displayable(r.inputs) }));
    return { violating, compliant };
}
