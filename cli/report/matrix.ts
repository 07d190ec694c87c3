/**
 * The compliance matrix behind `aiguard report`: every clause of both documents, with the pack rules
 * that cite it (and their status on this stack), the components and admission controls that serve
 * it, the exemptions applied to its rules, and, for organisational clauses, why infrastructure code
 * cannot enforce them.
 *
 * Rule status on the stack:
 *   fail            a mandatory finding
 *   warn            advisory findings only
 *   exempted        every finding was exempted (with a justification)
 *   pass            the stack has resources the rule examines, and none violates it
 *   not-applicable  the stack has nothing the rule examines
 *   disabled        turned off in the policy config
 * Clause status: not-enforceable (organisational); no-rule (enforceable, but no rule of the pack
 * cites it: served by controls only); otherwise the worst of its rules (fail > warn > exempted > pass),
 * or not-applicable when none of its rules applies.
 */
import { CLAUSES, type Clause } from "../../common/clauses";
import type { EnforcementLevel, Severity } from "../../offline/analyzer-client";
import { EXEMPTIONS_POLICY, isReportPolicy, policyClauses, type AppliedExemption, type CheckResult, type Finding } from "../evaluation/result";
import { applies } from "./applicability";
import { CONTROLS, NOT_ENFORCEABLE, type Control } from "./controls";

export type RuleStatus = "fail" | "warn" | "exempted" | "pass" | "not-applicable" | "disabled";
export type ClauseStatus = "fail" | "warn" | "exempted" | "pass" | "not-applicable" | "no-rule" | "not-enforceable";

export interface MatrixRule {
    readonly name: string;
    readonly description: string;
    readonly severity: Severity;
    readonly level: EnforcementLevel;
    readonly status: RuleStatus;
    /** Findings on this stack (mandatory and advisory). */
    readonly findings: number;
    readonly exempted: number;
    readonly url: string;
}

export interface MatrixClause {
    readonly clause: Clause;
    readonly status: ClauseStatus;
    readonly rules: readonly MatrixRule[];
    readonly controls: readonly Control[];
    readonly exemptions: readonly AppliedExemption[];
    /** For organisational clauses: why they are beyond infrastructure code. */
    readonly notEnforceableBecause?: string;
}

export interface StageSummary {
    readonly document: Clause["document"];
    readonly stage: string;
    readonly counts: Readonly<Record<ClauseStatus, number>>;
    readonly total: number;
}

/** A rule with findings on this stack: what it asks, how to fix it, and every resource that fails it. */
export interface FailingRule {
    readonly name: string;
    readonly description: string;
    readonly severity: Severity;
    /** Effective enforcement level. */
    readonly level: EnforcementLevel;
    readonly status: "fail" | "warn";
    readonly remediation: string;
    readonly url: string;
    readonly clauses: readonly string[];
    readonly findings: readonly Finding[];
}

export interface Matrix {
    readonly result: CheckResult;
    /** Rules with findings, mandatory ones first, then by severity and name. */
    readonly failing: readonly FailingRule[];
    /** The exemptions report's findings: expired exemptions, impossible expiry dates, exemptions that applied to nothing. */
    readonly exemptionProblems: readonly Finding[];
    readonly generatedAt: string;
    readonly clauses: readonly MatrixClause[];
    readonly stages: readonly StageSummary[];
    readonly totals: Readonly<Record<ClauseStatus, number>>;
}

const RULE_ORDER: readonly RuleStatus[] = ["fail", "warn", "exempted", "pass", "not-applicable", "disabled"];
export const CLAUSE_STATUSES: readonly ClauseStatus[] = ["fail", "warn", "exempted", "pass", "not-applicable", "no-rule", "not-enforceable"];

const zero = (): Record<ClauseStatus, number> => Object.fromEntries(CLAUSE_STATUSES.map((s) => [s, 0])) as Record<ClauseStatus, number>;

/** Builds the matrix from a check result. `now` is injectable for tests. */
export function buildMatrix(result: CheckResult, now: Date = new Date()): Matrix {
    const types = new Set(result.resourceTypes);
    const rules: MatrixRule[] = result.policies
        .filter((p) => !isReportPolicy(p.name))
        .map((p) => {
            const level = result.levels[p.name] ?? p.enforcementLevel;
            const findings = result.findings.filter((f) => f.rule === p.name);
            const exempted = result.exemptions.filter((e) => e.rule === p.name).length;
            let status: RuleStatus;
            if (level === "disabled") status = "disabled";
            else if (findings.some((f) => f.level === "mandatory")) status = "fail";
            else if (findings.length > 0) status = "warn";
            else if (exempted > 0) status = "exempted";
            else status = applies(p.name, types) ? "pass" : "not-applicable";
            return { name: p.name, description: p.description, severity: p.severity, level, status, findings: findings.length, exempted, url: p.url };
        });
    const clausesOf = new Map(result.policies.map((p) => [p.name, policyClauses(p)]));
    const clauses: MatrixClause[] = CLAUSES.map((clause) => {
        const own = rules
            .filter((r) => clausesOf.get(r.name)?.includes(clause.id))
            .sort((a, b) => RULE_ORDER.indexOf(a.status) - RULE_ORDER.indexOf(b.status) || a.name.localeCompare(b.name));
        const controls = CONTROLS.filter((c) => c.clauses.includes(clause.id));
        const exemptions = result.exemptions.filter((e) => clausesOf.get(e.rule)?.includes(clause.id));
        let status: ClauseStatus;
        if (!clause.enforceable) status = "not-enforceable";
        else if (own.length === 0) status = "no-rule";
        else status = (["fail", "warn", "exempted", "pass"] as const).find((s) => own.some((r) => r.status === s)) ?? "not-applicable";
        return {
            clause,
            status,
            rules: own,
            controls,
            exemptions,
            ...(clause.enforceable ? {} : { notEnforceableBecause: NOT_ENFORCEABLE[clause.id] ?? "This clause is organisational: it is met by people and processes, not by infrastructure settings." }),
        };
    });
    const stages: StageSummary[] = [];
    const totals = zero();
    for (const c of clauses) {
        let s = stages.find((x) => x.document === c.clause.document && x.stage === c.clause.stage) as (StageSummary & { counts: Record<ClauseStatus, number>; total: number }) | undefined;
        if (!s) stages.push((s = { document: c.clause.document, stage: c.clause.stage, counts: zero(), total: 0 }));
        s.counts[c.status]++;
        s.total++;
        totals[c.status]++;
    }
    return { result, generatedAt: now.toISOString(), failing: failingRules(result), exemptionProblems: result.findings.filter((f) => f.rule === EXEMPTIONS_POLICY), clauses, stages, totals };
}

const SEVERITY_ORDER = ["critical", "high", "medium", "low"];

/** The rules with findings, each with its resources, message and fix. */
export function failingRules(result: CheckResult): FailingRule[] {
    const policies = new Map(result.policies.map((p) => [p.name, p]));
    const byRule = new Map<string, Finding[]>();
    for (const f of result.findings) {
        if (isReportPolicy(f.rule)) continue;
        byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
    }
    return [...byRule.entries()]
        .map(([name, findings]): FailingRule => {
            const p = policies.get(name);
            return {
                name,
                description: p?.description ?? "",
                severity: p?.severity ?? findings[0]!.severity,
                level: result.levels[name] ?? p?.enforcementLevel ?? findings[0]!.level,
                status: findings.some((f) => f.level === "mandatory") ? "fail" : "warn",
                remediation: p?.remediationSteps ?? "",
                url: p?.url ?? "",
                clauses: policyClauses(p).length > 0 ? policyClauses(p) : findings[0]!.clauses,
                findings: [...findings].sort((a, b) => a.resourceName.localeCompare(b.resourceName) || a.urn.localeCompare(b.urn)),
            };
        })
        .sort((a, b) => (a.status === b.status ? 0 : a.status === "fail" ? -1 : 1) || SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || a.name.localeCompare(b.name));
}

/** Short human labels for statuses. */
export const STATUS_LABEL: Record<ClauseStatus | RuleStatus, string> = {
    fail: "fail",
    warn: "advisory findings",
    exempted: "pass (exempted)",
    pass: "pass",
    "not-applicable": "not applicable",
    "no-rule": "controls only",
    "not-enforceable": "not enforceable by IaC",
    disabled: "disabled",
};
