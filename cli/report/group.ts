/**
 * Grouping shared by the human formats: findings by guideline stage, then by clause, then by rule.
 * A rule cites several clauses (NCSC/CISA and UK Code); its findings are shown once, under the
 * first clause it cites (its primary clause), with the others listed beside the rule.
 */
import { CLAUSES, type Clause } from "../../common/clauses";
import type { PolicyMetadata } from "../../offline/analyzer-client";
import type { CheckResult, Finding, Location } from "../evaluation/result";

export interface RuleGroup {
    readonly rule: string;
    readonly policy: PolicyMetadata | undefined;
    readonly clauses: readonly string[];
    readonly findings: readonly Finding[];
}

export interface ClauseGroup {
    readonly clause: Clause | undefined;
    /** The clause ID (also for IDs the clause list does not know). */
    readonly id: string;
    readonly rules: readonly RuleGroup[];
}

export interface StageGroup {
    readonly stage: string;
    readonly document: string;
    readonly clauses: readonly ClauseGroup[];
}

export const DOCUMENT_NAMES: Record<string, string> = {
    "ncsc-cisa": "NCSC/CISA Guidelines for Secure AI System Development",
    "uk-code": "UK Code of Practice for the Cyber Security of AI",
};

const ORDER = new Map<string, number>(CLAUSES.map((c, i) => [c.id, i]));
const levelRank = (f: Finding) => (f.level === "mandatory" ? 0 : 1);

/** Groups the result's findings by stage → primary clause → rule, in the documents' order. */
export function groupFindings(result: CheckResult): StageGroup[] {
    const policies = new Map(result.policies.map((p) => [p.name, p]));
    const byClause = new Map<string, Map<string, Finding[]>>();
    for (const f of result.findings) {
        const primary = f.clauses[0] ?? "(no clause)";
        const rules = byClause.get(primary) ?? new Map<string, Finding[]>();
        byClause.set(primary, rules);
        rules.set(f.rule, [...(rules.get(f.rule) ?? []), f]);
    }
    const clauseIds = [...byClause.keys()].sort((a, b) => (ORDER.get(a) ?? 999) - (ORDER.get(b) ?? 999) || a.localeCompare(b));
    const stages: { stage: string; document: string; clauses: ClauseGroup[] }[] = [];
    for (const id of clauseIds) {
        const clause = CLAUSES.find((c) => c.id === id);
        const stage = clause?.stage ?? "Other";
        const document = clause ? DOCUMENT_NAMES[clause.document]! : "";
        let group = stages.find((s) => s.stage === stage && s.document === document);
        if (!group) stages.push((group = { stage, document, clauses: [] }));
        const rules = [...byClause.get(id)!.entries()]
            .map(([rule, findings]): RuleGroup => ({ rule, policy: policies.get(rule), clauses: findings[0]!.clauses, findings }))
            .sort((a, b) => levelRank(a.findings[0]!) - levelRank(b.findings[0]!) || a.rule.localeCompare(b.rule));
        group.clauses.push({ clause, id, rules });
    }
    return stages;
}

/** Verdict counts. */
export function tally(result: CheckResult): { mandatory: number; advisory: number; rules: number; clauses: number; exempted: number; resources: number } {
    const m = result.findings.filter((f) => f.level === "mandatory");
    return {
        mandatory: m.length,
        advisory: result.findings.length - m.length,
        rules: new Set(m.map((f) => f.rule)).size,
        clauses: new Set(m.flatMap((f) => f.clauses)).size,
        exempted: result.exemptions.length,
        resources: result.resourceTypes.length,
    };
}

export const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

/** `file:line:column` of a declaration (relative to the repository root), or a dash. */
export function declaredAt(loc: Location | undefined): string {
    if (!loc) return "—";
    return `${loc.file}${loc.line ? `:${loc.line}${loc.column ? `:${loc.column}` : ""}` : ""}`;
}

/**
 * What a report describes, as label/value pairs: the input (program directory and stack, or the
 * `--from` file and its SHA-256), the mode, the repository's commit (and whether the work tree
 * differed from it), the pack and aiguard versions, and when it was generated.
 */
export function inputFacts(result: CheckResult, generatedAt: string, toolVersion: string): [string, string][] {
    const t = result.target;
    const facts: [string, string][] = [
        ["Input", t.kind === "program" ? `program ${t.path}${t.mainFile ? ` (entry ${t.mainFile})` : ""}` : `${t.kind === "preview" ? "pulumi preview --json" : "pulumi stack export"} file ${t.path}`],
        ["Project / stack", `${t.project || "?"} / ${t.stack || "?"}`],
        ["Mode", modePhrase(result)],
    ];
    if (t.sha256) facts.push(["Input SHA-256", t.sha256]);
    facts.push(["Repository", t.repository ? `${t.root} at commit ${t.repository.commit}${t.repository.dirty ? " with uncommitted changes" : " (clean)"}` : `${t.root} (no git commit found)`]);
    facts.push(["Policy pack", `${result.pack.name} ${result.pack.version}`], ["aiguard", toolVersion], ["Generated", generatedAt]);
    return facts;
}

/** What was checked, in one phrase: `stacks/platform (project aiguard-platform, stack dev)`. */
export function targetPhrase(result: CheckResult): string {
    const t = result.target;
    const what = t.kind === "program" ? t.path : `${t.kind === "preview" ? "preview" : "stack export"} ${t.path}`;
    return `${what} (project ${t.project || "?"}, stack ${t.stack || "?"}, ${modePhrase(result)})`;
}

/** Which view of the stack the pack judged. */
export function modePhrase(result: CheckResult): string {
    if (result.target.kind !== "program") return result.mode === "preview" ? "planned by a real preview" : "state after update";
    return result.mode === "preview" ? "first-preview mode: computed outputs unknown" : "update mode: all outputs known";
}
