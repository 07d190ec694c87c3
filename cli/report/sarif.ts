/**
 * `aiguard check --format sarif`: SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer).
 *
 *  - One `reportingDescriptor` per policy of the pack: description, help (remediation, clauses,
 *    docs link), default level from the effective enforcement level, `security-severity` from the
 *    policy's severity, and the clause IDs both as tags (shown by GitHub) and as relationships to
 *    two taxonomies, the NCSC/CISA guidelines and the UK Code of Practice, whose taxa are the clauses.
 *  - One result per finding: level `error` for mandatory, `warning` for advisory; the resource as a
 *    logical location (its URN); as physical location the file, line and column where the resource
 *    is declared (declarations.ts), relative to the repository root: `uriBaseId` `%SRCROOT%`, which
 *    `originalUriBaseIds` maps to that root. GitHub code scanning resolves relative URIs against
 *    the checkout root, so the results land on the declaring lines. Stack-level findings, and
 *    resources with no position in the user's code, point at `Pulumi.yaml`.
 *  - Exempted findings are results with an accepted external suppression carrying the justification,
 *    at the exempted resource's own location; findings accepted by `--baseline` likewise
 *    (justification: the baseline file).
 *  - `automationDetails.id` only when a category is given (`--sarif-category`): GitHub's
 *    `upload-sarif` sets its own `category:` input only on runs that have none.
 *  - The run's properties name the input: commit (and uncommitted changes) or `--from` file digest.
 */
import { createHash } from "node:crypto";
import { pathToFileURL } from "node:url";
import type * as Sarif from "sarif";
import { CLAUSES } from "../../common/clauses";
import type { PolicyMetadata } from "../../offline/analyzer-client";
import { EXEMPTIONS_POLICY, exitCodeOf, isReportPolicy, policyClauses, verdictOf, type CheckResult, type Location } from "../evaluation/result";
import { UNSEEN_FIX } from "../evaluation/unseen";
import { TOOL_VERSION } from "./version";

export const SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

const TAXONOMIES = {
    "ncsc-cisa": {
        name: "NCSC-CISA-SecureAI",
        fullName: "NCSC/CISA Guidelines for Secure AI System Development",
        version: "2023-11",
        informationUri: "https://www.ncsc.gov.uk/collection/guidelines-secure-ai-system-development",
    },
    "uk-code": {
        name: "UK-AI-Cyber-CoP",
        fullName: "UK Code of Practice for the Cyber Security of AI",
        version: "2025-01",
        informationUri: "https://www.gov.uk/government/publications/ai-cyber-security-code-of-practice",
    },
} as const;

const SECURITY_SEVERITY: Record<string, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

function level(l: string): Sarif.ReportingConfiguration.level {
    return l === "mandatory" ? "error" : l === "disabled" ? "none" : "warning";
}

function firstSentence(text: string): string {
    const m = /^[^]*?[.!?](?=\s|$)/.exec(text);
    return (m ? m[0] : text).trim();
}

function rule(p: PolicyMetadata, effective: string): Sarif.ReportingDescriptor {
    const clauses = policyClauses(p);
    const clauseLines = clauses.map((id) => {
        const c = CLAUSES.find((x) => x.id === id);
        return c ? `${id} (${TAXONOMIES[c.document].fullName}, ${c.stage}): ${c.title}` : id;
    });
    const markdown = [
        p.description,
        "",
        "**How to fix**",
        "",
        p.remediationSteps,
        "",
        "**Guideline clauses**",
        "",
        ...clauseLines.map((l) => `- ${l}`),
        ...(p.url ? ["", `[Documentation](${p.url})`] : []),
    ].join("\n");
    const text = `${p.description}\n\nHow to fix: ${p.remediationSteps}\n\nClauses: ${clauseLines.join("; ")}${p.url ? `\n\nDocumentation: ${p.url}` : ""}`;
    return {
        id: p.name,
        shortDescription: { text: firstSentence(p.description) },
        fullDescription: { text: p.description },
        help: { text, markdown },
        ...(p.url ? { helpUri: p.url } : {}),
        defaultConfiguration: { level: level(effective), enabled: effective !== "disabled" },
        relationships: clauses
            .map((id) => CLAUSES.find((c) => c.id === id))
            .filter((c) => c !== undefined)
            .map((c) => ({ target: { id: c.id, toolComponent: { name: TAXONOMIES[c.document].name } }, kinds: ["relevant"] })),
        properties: {
            tags: ["security", "infrastructure-as-code", "pulumi", ...clauses.map((c) => `clause:${c}`)],
            precision: "very-high",
            ...(p.severity ? { "security-severity": SECURITY_SEVERITY[p.severity] } : {}),
            clauses,
            enforcementLevel: effective,
        },
    };
}

function taxonomy(doc: keyof typeof TAXONOMIES): Sarif.ToolComponent {
    return {
        ...TAXONOMIES[doc],
        taxa: CLAUSES.filter((c) => c.document === doc).map((c) => ({
            id: c.id,
            name: c.title,
            shortDescription: { text: `${c.stage}: ${c.title}` },
            properties: { stage: c.stage, enforceableByInfrastructureCode: c.enforceable },
        })),
    };
}

function physical(loc: Location | undefined): Sarif.PhysicalLocation | undefined {
    if (!loc) return undefined;
    return {
        artifactLocation: { uri: encodeURI(loc.file), uriBaseId: "%SRCROOT%" },
        ...(loc.line ? { region: { startLine: loc.line, ...(loc.column ? { startColumn: loc.column } : {}) } } : {}),
    };
}

function fingerprint(...parts: string[]): string {
    return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 32);
}

export interface SarifOptions {
    /** `automationDetails.id` (GitHub's analysis category); none by default so the upload's `category:` applies. */
    readonly category?: string;
}

/** Renders the SARIF log as pretty JSON. */
export function renderSarif(result: CheckResult, options: SarifOptions = {}): string {
    // The exemptions report is a rule here only when it has findings (expired, impossible or unmatched exemptions).
    const reported = new Set(result.findings.map((f) => f.rule));
    const policies = result.policies.filter((p) => !isReportPolicy(p.name) || (p.name === EXEMPTIONS_POLICY && reported.has(p.name)));
    const index = new Map(policies.map((p, i) => [p.name, i]));
    const stackName = `${result.target.project}/${result.target.stack}`;
    const root = pathToFileURL(result.target.root).href.replace(/\/?$/, "/");
    const location = (urn: string, name: string, type: string, loc: Location | undefined): Sarif.Location => {
        const phys = physical(loc);
        return {
            ...(phys ? { physicalLocation: phys } : {}),
            logicalLocations: [urn ? { name, fullyQualifiedName: urn, kind: "resource", decoratedName: type } : { name: stackName, kind: "module" }],
        };
    };
    const results: Sarif.Result[] = result.findings.map((f) => ({
        ruleId: f.rule,
        ...(index.has(f.rule) ? { ruleIndex: index.get(f.rule)! } : {}),
        level: level(f.level),
        message: { text: `${f.resourceName}${f.resourceType ? ` (${f.resourceType})` : ""}: ${f.message} [${f.clauses.join(", ")}]` },
        locations: [location(f.urn, f.resourceName, f.resourceType, f.location)],
        partialFingerprints: { "aiguardFinding/v1": fingerprint(f.rule, f.urn, f.message) },
        properties: { urn: f.urn, resourceType: f.resourceType, clauses: f.clauses, enforcementLevel: f.level },
    }));
    for (const e of result.exemptions) {
        const p = policies.find((x) => x.name === e.rule);
        results.push({
            ruleId: e.rule,
            ...(index.has(e.rule) ? { ruleIndex: index.get(e.rule)! } : {}),
            level: level(result.levels[e.rule] ?? p?.enforcementLevel ?? "mandatory"),
            message: { text: `${e.resourceName}${e.resourceType ? ` (${e.resourceType})` : ""}: ${e.message} [${policyClauses(p).join(", ")}]` },
            locations: [location(e.urn, e.resourceName, e.resourceType, e.location)],
            partialFingerprints: { "aiguardFinding/v1": fingerprint(e.rule, e.urn, e.message) },
            suppressions: [{ kind: "external", status: "accepted", justification: e.justification }],
            properties: { urn: e.urn, resourceType: e.resourceType, clauses: policyClauses(p) },
        });
    }
    for (const f of result.baseline?.suppressed ?? []) {
        results.push({
            ruleId: f.rule,
            ...(index.has(f.rule) ? { ruleIndex: index.get(f.rule)! } : {}),
            level: level(f.level),
            message: { text: `${f.resourceName}${f.resourceType ? ` (${f.resourceType})` : ""}: ${f.message} [${f.clauses.join(", ")}]` },
            locations: [location(f.urn, f.resourceName, f.resourceType, f.location)],
            partialFingerprints: { "aiguardFinding/v1": fingerprint(f.rule, f.urn, f.message) },
            suppressions: [{ kind: "external", status: "accepted", justification: `accepted by baseline ${result.baseline!.file}` }],
            properties: { urn: f.urn, resourceType: f.resourceType, clauses: f.clauses, enforcementLevel: f.level, baselined: true },
        });
    }
    const log: Sarif.Log = {
        $schema: SARIF_SCHEMA_URI,
        version: "2.1.0",
        runs: [
            {
                tool: {
                    driver: {
                        name: "aiguard",
                        fullName: `aiguard policy pack ${result.pack.name} ${result.pack.version}`,
                        version: TOOL_VERSION,
                        semanticVersion: TOOL_VERSION,
                        rules: policies.map((p) => rule(p, result.levels[p.name] ?? p.enforcementLevel)),
                        supportedTaxonomies: [{ name: TAXONOMIES["ncsc-cisa"].name }, { name: TAXONOMIES["uk-code"].name }],
                    },
                },
                taxonomies: [taxonomy("ncsc-cisa"), taxonomy("uk-code")],
                ...(options.category !== undefined ? { automationDetails: { id: options.category } } : {}),
                originalUriBaseIds: { "%SRCROOT%": { uri: root } },

                invocations: [
                    {
                        executionSuccessful: verdictOf(result) !== "nothing-judged",
                        exitCode: exitCodeOf(result),
                        toolExecutionNotifications: result.unseen.map((u) => ({
                            level: "warning",
                            message: { text: `not seen: ${u.name} (${u.type}): ${u.reason}. Fix: ${UNSEEN_FIX}` },
                            ...(u.urn ? { locations: [{ logicalLocations: [{ name: u.name, fullyQualifiedName: u.urn, kind: "resource", decoratedName: u.type }] }] } : {}),
                        })),
                    },
                ],
                results,
                properties: {
                    project: result.target.project,
                    stack: result.target.stack,
                    source: result.target.kind,
                    input: result.target.path,
                    ...(result.target.sha256 ? { inputSha256: result.target.sha256 } : {}),
                    ...(result.target.repository ? { commit: result.target.repository.commit, uncommittedChanges: result.target.repository.dirty } : {}),
                    mode: result.mode,
                    verdict: verdictOf(result),
                    judged: result.resourceTypes.length,
                    notSeen: result.unseen,
                    notes: result.notes,
                    ...(result.failOn ? { failOn: result.failOn } : {}),
                    ...(result.baseline ? { baseline: { file: result.baseline.file, entries: result.baseline.entries, baselined: result.baseline.suppressed.length, fixed: result.baseline.fixed } } : {}),
                    ...(result.selection ? { selection: result.selection } : {}),
                },
            },
        ],
    };
    return JSON.stringify(log, null, 2);
}

/** The SARIF log a failed run writes: no results, an unsuccessful invocation saying why. */
export function renderSarifError(error: { message: string; fix?: string }): string {
    const log: Sarif.Log = {
        $schema: SARIF_SCHEMA_URI,
        version: "2.1.0",
        runs: [
            {
                tool: { driver: { name: "aiguard", version: TOOL_VERSION, semanticVersion: TOOL_VERSION, rules: [] } },
                invocations: [
                    {
                        executionSuccessful: false,
                        exitCode: 2,
                        toolExecutionNotifications: [{ level: "error", message: { text: `${error.message}${error.fix ? ` Fix: ${error.fix}` : ""}` } }],
                    },
                ],
                results: [],
            },
        ],
    };
    return JSON.stringify(log, null, 2);
}
