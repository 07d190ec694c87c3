/**
 * Machine output of `aiguard check --format json` (schema version 1):
 *
 *   { version, tool, target, mode, pack,
 *     summary: {resources (= judged), judged, notSeen, mandatory, advisory, exempted, baselined, failOn, blocking, verdict, passed, exitCode},
 *     notSeen: [{kind, urn?, type, name, reason}], notSeenFix, stackOutputs?,
 *     findings: [{rule, level, severity, message, clauses, urn, resourceType, resourceName, location?}],
 *     exemptions: [{rule, urn, resourceType, resourceName, message, justification}],
 *     baseline?: {file, entries, suppressed: [finding...], fixed: [{rule, urn, fingerprint, resourceType, resourceName, message}]},
 *     selection?: {rulePatterns, skipPatterns, selected, skipped},
 *     notes: [...], policies: [{name, description, clauses, enforcementLevel, severity, remediationSteps, url}] }
 *
 * `enforcementLevel` of a policy is the effective one after `--config`. `mode` is `preview` (a first
 * preview: computed outputs unknown) or `update` (all outputs known). `verdict` is `blocked`,
 * `passed`, `incomplete` (passed where seen, `notSeen` non-empty) or `nothing-judged` (exit 2).
 * A failed run writes {@link renderJsonError}'s document instead.
 */
import { EXIT_USAGE } from "../errors";
import { blocking, exitCodeOf, policyClauses, verdictOf, type CheckResult } from "../evaluation/result";
import { UNSEEN_FIX } from "../evaluation/unseen";
import { tally } from "./group";
import { TOOL_VERSION } from "./version";

export function renderJson(result: CheckResult): string {
    const t = tally(result);
    return JSON.stringify(
        {
            version: 1,
            tool: { name: "aiguard", version: TOOL_VERSION },
            target: result.target,
            mode: result.mode,
            pack: result.pack,
            summary: {
                resources: t.resources,
                judged: t.resources,
                notSeen: result.unseen.length,
                mandatory: t.mandatory,
                advisory: t.advisory,
                exempted: t.exempted,
                baselined: result.baseline?.suppressed.length ?? 0,
                failOn: result.failOn ?? null,
                blocking: blocking(result).length,
                verdict: verdictOf(result),
                passed: verdictOf(result) === "passed" || verdictOf(result) === "incomplete",
                exitCode: exitCodeOf(result),
                durationMs: result.durationMs,
            },
            notSeen: result.unseen,
            ...(result.unseen.length > 0 ? { notSeenFix: UNSEEN_FIX } : {}),
            ...(result.stackOutputs ? { stackOutputs: result.stackOutputs } : {}),
            findings: result.findings,
            exemptions: result.exemptions,
            ...(result.baseline ? { baseline: result.baseline } : {}),
            ...(result.selection ? { selection: result.selection } : {}),
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

/** The document a failed run writes in place of a result: what went wrong and what to do. */
export function renderJsonError(error: { message: string; fix?: string }): string {
    return JSON.stringify(
        {
            version: 1,
            tool: { name: "aiguard", version: TOOL_VERSION },
            error: { message: error.message, ...(error.fix ? { fix: error.fix } : {}) },
            summary: { verdict: "error", passed: false, exitCode: EXIT_USAGE },
        },
        null,
        2,
    );
}
