/**
 * The pack's rules as `aiguard rules` and `aiguard explain` show them, from the rule manifest the
 * pack's build writes (common/rule-manifest.ts), so the CLI lists rules without loading rule code.
 * Pure: the manifest comes in, views and errors come out.
 */
import { CLAUSE_IDS, CLAUSES } from "../../common/clauses";
import type { RuleManifestEntry } from "../../common/rule-manifest";
import { DEFAULT_SETTINGS, SETTING_SCHEMAS, type Settings } from "../../common/settings";
import { UsageError } from "../errors";
import { SEVERITIES } from "../evaluation/result";
import { didYouMean } from "../nearest";

/** Where a rule applies: `aws` + `sagemaker`, `kubernetes` + `apps` (the API group; `core` for v1), or a whole provider (`*`). */
export interface RuleService {
    readonly provider: string;
    readonly service: string;
}

/** `aws:sagemaker/model:Model` → aws/sagemaker; `kubernetes:networking.k8s.io/v1:NetworkPolicy` → kubernetes/networking.k8s.io. */
export function serviceOf(type: string): RuleService {
    const [provider = "", module = ""] = type.split(":");
    return { provider, service: module.split("/")[0] ?? module };
}

export function servicesOf(rule: RuleManifestEntry): RuleService[] {
    if ("provider" in rule.judges) return [{ provider: rule.judges.provider, service: "*" }];
    const seen = new Map<string, RuleService>();
    for (const t of rule.judges.types) {
        const s = serviceOf(t);
        seen.set(`${s.provider}/${s.service}`, s);
    }
    return [...seen.values()];
}

export interface RuleFilter {
    readonly clause?: string;
    readonly service?: string;
    /** Severities to keep (any of). */
    readonly severity?: readonly string[];
}

/** A `--service` value matches `sagemaker`, `networking` for `networking.k8s.io`, or a provider name. */
function serviceMatches(s: RuleService, wanted: string): boolean {
    return s.provider === wanted || s.service === wanted || s.service.startsWith(`${wanted}.`);
}

/**
 * The rules passing every filter (all of them). A clause, service or severity that names nothing
 * the pack knows is an error with the nearest known value. A provider-wide rule (the tag rule)
 * matches every service of its provider.
 */
export function filterRules(rules: readonly RuleManifestEntry[], f: RuleFilter): RuleManifestEntry[] {
    if (f.clause !== undefined && !CLAUSE_IDS.has(f.clause)) {
        throw new UsageError(`--clause ${f.clause} is not a clause of either document${didYouMean(f.clause, CLAUSE_IDS)}`, `clause IDs: ${[...CLAUSE_IDS].join(", ")}`);
    }
    for (const s of f.severity ?? []) {
        if (!(SEVERITIES as readonly string[]).includes(s)) {
            throw new UsageError(`--severity ${s} is not a severity${didYouMean(s, SEVERITIES)}`, `use one or more of ${SEVERITIES.join(", ")} (comma-separated)`);
        }
    }
    const all = rules.flatMap(servicesOf);
    const wanted = f.service;
    const providers = new Set(wanted === undefined ? [] : all.filter((s) => s.service !== "*" && serviceMatches(s, wanted)).map((s) => s.provider));
    if (wanted !== undefined && providers.size === 0 && !all.some((s) => s.provider === wanted)) {
        const known = new Set(all.flatMap((s) => [s.provider, ...(s.service === "*" ? [] : [s.service])]));
        throw new UsageError(`--service ${wanted} is not a service any rule judges${didYouMean(wanted, known)}`, `services: ${[...known].sort().join(", ")}`);
    }
    return rules.filter(
        (r) =>
            (f.clause === undefined || r.clauses.includes(f.clause)) &&
            (f.severity === undefined || f.severity.length === 0 || f.severity.includes(r.severity)) &&
            (wanted === undefined || servicesOf(r).some((s) => serviceMatches(s, wanted) || (s.service === "*" && providers.has(s.provider)))),
    );
}

/** The rule named `name`, or an error with the nearest rule name. */
export function findRule(rules: readonly RuleManifestEntry[], name: string): RuleManifestEntry {
    const rule = rules.find((r) => r.name === name);
    if (!rule) throw new UsageError(`no rule named "${name}"${didYouMean(name, rules.map((r) => r.name))}`, "list the rules with `aiguard rules`");
    return rule;
}

export interface SettingView {
    readonly name: string;
    readonly description: string;
    readonly default: unknown;
}

export interface ClauseView {
    readonly id: string;
    readonly document: string;
    readonly stage: string;
    readonly title: string;
}

/** What `aiguard explain` shows of a rule. */
export interface RuleExplanation {
    readonly name: string;
    readonly description: string;
    readonly severity: string;
    readonly enforcementLevel: string;
    readonly clauses: readonly ClauseView[];
    readonly services: readonly RuleService[];
    /** The resource types it judges, or `every <provider> resource`. */
    readonly judges: readonly string[];
    readonly kind: "resource" | "stack";
    readonly remediationSteps: string;
    readonly url: string;
    readonly onUnknown: string;
    readonly settings: readonly SettingView[];
    /** How to waive the rule for one resource (policy config), and how to choose or skip it. */
    readonly exempt: { readonly config: unknown; readonly commandLine: readonly string[] };
}

export function explainRule(rule: RuleManifestEntry): RuleExplanation {
    return {
        name: rule.name,
        description: rule.description,
        severity: rule.severity,
        enforcementLevel: rule.enforcementLevel,
        clauses: rule.clauses.map((id): ClauseView => {
            const c = CLAUSES.find((x) => x.id === id);
            return c ? { id: c.id, document: c.document, stage: c.stage, title: c.title } : { id, document: "?", stage: "?", title: "(not a clause aiguard knows)" };
        }),
        services: servicesOf(rule),
        judges: "provider" in rule.judges ? [`every ${rule.judges.provider} resource`] : rule.judges.types,
        kind: rule.kind,
        remediationSteps: rule.remediationSteps,
        url: rule.url,
        onUnknown: rule.onUnknown,
        settings: rule.settings.map((name): SettingView => {
            const schema = SETTING_SCHEMAS[name as keyof Settings] as { description?: string } | undefined;
            return { name, description: schema?.description ?? "", default: DEFAULT_SETTINGS[name as keyof Settings] };
        }),
        exempt: {
            config: {
                [rule.name]: { exemptions: [{ name: "<logical name or glob>", justification: "<why this is acceptable, 20 characters or more>", expires: "YYYY-MM-DD" }] },
            },
            commandLine: [`--skip-rule ${rule.name}   (aiguard check/report: do not run it)`, `--rule ${rule.name}        (run only it)`, `{"${rule.name}": "advisory"} in --config   (report, never block; or "disabled")`],
        },
    };
}
