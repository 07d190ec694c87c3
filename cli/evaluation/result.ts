/**
 * The outcome of one `aiguard check`, as every output format sees it: the pack's diagnostics turned
 * into findings (rule, level, clause IDs, resource, message without the SDK's description prefix and
 * without the clause suffix), plus exemptions the pack applied, with their justification.
 */
import { PACK_REPORTS } from "../../offline/evaluate";
import type { Diagnostic, EnforcementLevel, PolicyMetadata, Severity } from "../../offline/analyzer-client";
import type { RunMode } from "../../offline/mock-state";
import type { Unseen } from "./unseen";

export type { RunMode } from "../../offline/mock-state";

/** Where a finding's resource is declared. */
export interface Location {
    /** Path relative to the target's `root` (the repository root), forward slashes. */
    readonly file: string;
    readonly line?: number;
    readonly column?: number;
}

export interface Finding {
    readonly rule: string;
    readonly level: EnforcementLevel;
    readonly severity: Severity;
    /** The finding itself, e.g. `AI log group "training-logs" is not encrypted ...`. */
    readonly message: string;
    readonly clauses: readonly string[];
    /** Empty for a stack-level finding with no resource. */
    readonly urn: string;
    readonly resourceType: string;
    readonly resourceName: string;
    readonly location?: Location;
}

export interface AppliedExemption {
    readonly rule: string;
    readonly urn: string;
    readonly resourceType: string;
    readonly resourceName: string;
    readonly message: string;
    readonly justification: string;
    /** The last day the exemption applies, when it has one. */
    readonly expires?: string;
    /** Where the exempted resource is declared. */
    readonly location?: Location;
}

export interface CheckTarget {
    /** `program`: run offline; `preview`/`export`: read from `--from`. */
    readonly kind: "program" | "preview" | "export";
    /** The program directory or the `--from` file, as given. */
    readonly path: string;
    readonly project: string;
    readonly stack: string;
    /** The program's entry file (relative to `root`), for `program` targets. */
    readonly mainFile?: string;
    /**
     * Absolute directory that {@link Location} paths are relative to: the git repository holding
     * the program (or the `--from` file), else the working directory.
     */
    readonly root: string;
    /** The commit checked out in `root` and whether the work tree differs from it, when git can tell. */
    readonly repository?: { readonly commit: string; readonly dirty: boolean };
    /** SHA-256 of the `--from` document. */
    readonly sha256?: string;
}

export interface CheckResult {
    readonly target: CheckTarget;
    /**
     * What the pack was shown: `preview`, a first `pulumi preview` (computed outputs unknown,
     * references carried by dependencies), or `update`, every output known (a state after update).
     */
    readonly mode: RunMode;
    /** What the run could not see (components in plugins, dynamic providers, reads, charts). */
    readonly unseen: readonly Unseen[];
    /** Names of the program's stack outputs (program runs). */
    readonly stackOutputs?: readonly string[];
    readonly pack: { readonly name: string; readonly version: string };
    /** Every policy of the pack, with its metadata (rules for SARIF and the compliance matrix). */
    readonly policies: readonly PolicyMetadata[];
    /** Effective enforcement level of each policy after `--config`. */
    readonly levels: Readonly<Record<string, EnforcementLevel>>;
    /** Type token of every analyzed resource (with repeats), for applicability. */
    readonly resourceTypes: readonly string[];
    readonly findings: readonly Finding[];
    readonly exemptions: readonly AppliedExemption[];
    readonly notes: readonly string[];
    readonly durationMs: number;
    /** Rules chosen on the command line (`--rule` / `--skip-rule`); absent when all rules ran. */
    readonly selection?: RuleSelection;
    /** `--baseline`: findings it accepted (not in {@link findings}) and entries nothing matched. */
    readonly baseline?: BaselineOutcome;
    /** `--fail-on`: only mandatory findings at or above this severity block. Absent: every mandatory finding blocks. */
    readonly failOn?: FailOnSeverity;
}

/** Rules chosen on the command line: the pack ran with every other rule `disabled`. */
export interface RuleSelection {
    /** `--rule` patterns as given, and `--skip-rule` patterns as given. */
    readonly rulePatterns: readonly string[];
    readonly skipPatterns: readonly string[];
    /** The rules that ran. */
    readonly selected: readonly string[];
    /** The rules disabled by the selection. */
    readonly skipped: readonly string[];
}

/** One accepted finding of a baseline file (see `cli/evaluation/baseline.ts`). */
export interface BaselineEntry {
    readonly rule: string;
    readonly urn: string;
    readonly fingerprint: string;
    readonly resourceType: string;
    readonly resourceName: string;
    /** The message when the baseline was written: for people; never matched. */
    readonly message: string;
}

export interface BaselineOutcome {
    /** The baseline file, as given. */
    readonly file: string;
    /** How many entries it holds. */
    readonly entries: number;
    /** This run's findings the baseline accepted: reported as suppressed, never blocking. */
    readonly suppressed: readonly Finding[];
    /** Entries of evaluated rules that matched no finding of this run (fixed, or the resource is gone). */
    readonly fixed: readonly BaselineEntry[];
}

/** The severity scale of the rules (policies/framework/rule.ts, @pulumi/policy's Severity), lowest first. */
export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type FailOnSeverity = (typeof SEVERITIES)[number];

/** Whether a finding's severity is at or above `threshold`. A finding without a severity meets every threshold (fail closed). */
export function meetsSeverity(severity: Severity, threshold: FailOnSeverity | undefined): boolean {
    if (threshold === undefined || severity === "") return true;
    return SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(threshold);
}

/** The findings that block: mandatory, at or above `--fail-on` (exempted and baselined ones are not findings). */
export const blocking = (r: CheckResult): readonly Finding[] => r.findings.filter((f) => f.level === "mandatory" && meetsSeverity(f.severity, r.failOn));

export const EXEMPTIONS_POLICY = "aiguard-exemptions-applied";
/**
 * The pack's report policies that are not findings: what it judged and recognised (scope), and
 * what it could not decide at preview. Their diagnostics become notes of the result.
 */
export const REPORT_POLICIES: ReadonlySet<string> = PACK_REPORTS;

/** The pack's own report policies (exemptions, scope, undecided): not rules, never findings of a rule. */
export function isReportPolicy(name: string): boolean {
    return name === EXEMPTIONS_POLICY || REPORT_POLICIES.has(name);
}

/** Splits a URN into its resource type (last type in the chain) and logical name. */
export function parseUrn(urn: string): { type: string; name: string } {
    const m = /^urn:pulumi:[^:]*::[^:]*::(.+)::([^]*)$/.exec(urn);
    if (!m) return { type: "", name: urn === "" ? "(stack)" : urn };
    const chain = m[1]!.split("$");
    return { type: chain[chain.length - 1]!, name: m[2]! };
}

/** Clause IDs a policy declares through its `clause:<ID>` tags. */
export function policyClauses(policy: PolicyMetadata | undefined): string[] {
    return (policy?.tags ?? []).filter((t) => t.startsWith("clause:")).map((t) => t.slice("clause:".length));
}

/** The violation text: the SDK prefixes the policy description and a newline. */
function findingText(d: Diagnostic, policy: PolicyMetadata | undefined): string {
    if (policy && d.message.startsWith(`${policy.description}\n`)) return d.message.slice(policy.description.length + 1);
    const nl = d.message.lastIndexOf("\n");
    return nl >= 0 ? d.message.slice(nl + 1) : d.message;
}

const CLAUSE_SUFFIX = /\s*\[((?:[A-Z]{1,2}-?\d+)(?:,\s*[A-Z]{1,2}-?\d+)*)\]\s*$/;

/** `message [DP-1, P6]` → `{ text: "message", clauses: ["DP-1", "P6"] }`. */
export function splitClauses(text: string): { text: string; clauses: string[] } {
    const m = CLAUSE_SUFFIX.exec(text);
    if (!m) return { text, clauses: [] };
    return { text: text.slice(0, m.index), clauses: m[1]!.split(",").map((c) => c.trim()) };
}

const EXEMPTED = /^exempted from (\S+): ([^]*?) — justification: ([^]*?)(?: — expires: (\d{4}-\d{2}-\d{2}))?$/;

/** Turns the pack's diagnostics into findings and applied exemptions. */
export function interpret(
    diagnostics: readonly Diagnostic[],
    policies: readonly PolicyMetadata[],
    locate: (urn: string) => Location | undefined,
): { findings: Finding[]; exemptions: AppliedExemption[]; notes: string[] } {
    const byName = new Map(policies.map((p) => [p.name, p]));
    const findings: Finding[] = [];
    const exemptions: AppliedExemption[] = [];
    const notes: string[] = [];
    for (const d of diagnostics) {
        const policy = byName.get(d.policyName);
        const text = findingText(d, policy);
        const { type, name } = parseUrn(d.urn);
        if (REPORT_POLICIES.has(d.policyName)) {
            notes.push(d.urn ? `${type} "${name}": ${text}` : text);
            continue;
        }
        const exempted = d.policyName === EXEMPTIONS_POLICY ? EXEMPTED.exec(text) : null;
        if (exempted) {
            const location = locate(d.urn);
            exemptions.push({ rule: exempted[1]!, urn: d.urn, resourceType: type, resourceName: name, message: exempted[2]!, justification: exempted[3]!, ...(exempted[4] ? { expires: exempted[4] } : {}), ...(location ? { location } : {}) });
            continue;
        }
        const split = splitClauses(text);
        const location = locate(d.urn);
        findings.push({
            rule: d.policyName,
            level: d.enforcementLevel,
            severity: d.severity,
            message: split.text,
            clauses: split.clauses.length > 0 ? split.clauses : policyClauses(policy),
            urn: d.urn,
            resourceType: type,
            resourceName: name,
            ...(location ? { location } : {}),
        });
    }
    return { findings, exemptions, notes };
}

export type Verdict = "blocked" | "passed" | "incomplete" | "nothing-judged";

/**
 * `blocked`: mandatory violations at or above `--fail-on` (exit 1). `nothing-judged`: no resource reached the pack, which
 * is not a pass (exit 2). `incomplete`: no mandatory violation among what was judged, but some of
 * the stack was not seen (exit 0; the unseen list says what and what to do). `passed` (exit 0).
 */
export function verdictOf(r: CheckResult): Verdict {
    if (blocking(r).length > 0) return "blocked";
    if (r.resourceTypes.length === 0) return "nothing-judged";
    return r.unseen.length > 0 ? "incomplete" : "passed";
}

export const exitCodeOf = (r: CheckResult): number => ({ blocked: 1, "nothing-judged": 2, incomplete: 0, passed: 0 })[verdictOf(r)];

export const mandatory = (r: CheckResult): readonly Finding[] => r.findings.filter((f) => f.level === "mandatory");
export const advisory = (r: CheckResult): readonly Finding[] => r.findings.filter((f) => f.level !== "mandatory");
