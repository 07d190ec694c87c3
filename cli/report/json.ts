/**
 * Machine output of `aiguard check --format json` (schema version 1):
 *
 *   { version, tool, target, pack, summary: {resources, mandatory, advisory, exempted, passed, exitCode},
 *     findings: [{rule, level, severity, message, clauses, urn, resourceType, resourceName, location?}],
 *     exemptions: [{rule, urn, resourceType, resourceName, message, justification}],
 *     notes: [...], policies: [{name, description, clauses, enforcementLevel, severity, remediationSteps, url}] }
 *
 * `enforcementLevel` of a policy is the effective one after `--config`.
 */
import { EXIT_OK, EXIT_VIOLATIONS } from "../errors";
import { policyClauses, type CheckResult } from "../evaluation/result";
import { tally } from "./group";
import { TOOL_VERSION } from "./version";

export function renderJson(result: CheckResult): string {
    const t = tally(result);
    return JSON.stringify(
        {
            version: 1,
            tool: { name: "aiguard", version: TOOL_VERSION },
            target: result.target,
            pack: result.pack,
            summary: {
                resources: t.resources,
                mandatory: t.mandatory,
                advisory: t.advisory,
                exempted: t.exempted,
                passed: t.mandatory === 0,
                exitCode: t.mandatory > 0 ? EXIT_VIOLATIONS : EXIT_OK,
                durationMs: result.durationMs,
            },
            findings: result.findings,
            exemptions: result.exemptions,
            notes: result.notes,
            policies: result.policies.map((p) => ({
                name: p.name,
                description: p.description,
                clauses: policyClauses(p),
                enforcementLevel: result.levels[p.name] ?? p.enforcementLevel,
                severity: p.severity,
                remediationSteps: p.remediationSteps,
                url: p.url,
            })),
        },
        null,
        2,
    );
}
