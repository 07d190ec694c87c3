/**
 * One settings block for the pack, turned into the per-policy config that Pulumi's
 * `--policy-pack-config` takes (`aiguard config expand`) and that `aiguard check --config` applies,
 * by the same function ({@link normalisePolicyConfig}), so both give the same verdicts.
 *
 *   {
 *     "all": "mandatory",                               // every rule's level (string or {enforcementLevel})
 *     "aiguard": { "allowedRegistries": ["ghcr.io/acme"], "scope": "all", "exemptions": [...] },
 *     "aws-ec2-securitygroup-disallow-public-ingress": { "enforcementLevel": "advisory", "exemptions": [...] },
 *     "aws-kms-key-enable-rotation": "disabled"          // shorthand for {enforcementLevel}
 *   }
 *
 * Pulumi's policy config is keyed by policy name and knows no pack-wide settings, so the expansion:
 *  - spreads the pack-wide `aiguard` block over every policy whose config schema declares the
 *    setting (a per-policy value wins), and adds its `exemptions` to each policy's own;
 *  - writes every policy's level out when `"all"` is given, and keeps aiguard's reports (what it
 *    judged, left undecided, exempted) advisory: under `"all": "mandatory"` Pulumi would otherwise
 *    make each report block every preview. Naming a report with a blocking level is an error;
 *  - validates every value against the policy's own config schema (as the Pulumi CLI does) and
 *    rejects an unknown policy or setting name (with the nearest known name), so a typo never
 *    silently weakens the pack.
 * An expanded config expands to itself, so either file may be given to `aiguard check --config`.
 */
import * as fs from "node:fs";
import Ajv, { type ErrorObject } from "ajv";
import type { AnalyzerInfo, EnforcementLevel, PackConfig } from "../../offline/analyzer-client";
import { UsageError } from "../errors";
import { describeError } from "../../common/errors";
import { didYouMean } from "../nearest";
import { expiryProblem } from "../../common/settings";
import { EXEMPTIONS_POLICY, isReportPolicy, REPORT_POLICIES } from "./result";

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];
const PACK_WIDE = "aiguard";

/** Reads a config file into a plain object. Throws {@link UsageError}. */
export function readPolicyConfigFile(file: string): Record<string, unknown> {
    let text: string;
    try {
        text = fs.readFileSync(file === "-" ? 0 : file, "utf8");
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new UsageError(code === "ENOENT" ? `--config file ${file} does not exist` : `cannot read --config file ${file}: ${describeError(err)}`);
    }
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (err) {
        throw new UsageError(`--config file ${file} is not valid JSON: ${describeError(err)}`, 'the file maps policy names to settings, e.g. {"all": "mandatory"}');
    }
    if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw new UsageError(`--config file ${file} must hold a JSON object keyed by policy name`);
    return doc as Record<string, unknown>;
}

function level(value: unknown, where: string): EnforcementLevel {
    if (typeof value === "string" && (LEVELS as readonly string[]).includes(value)) return value as EnforcementLevel;
    throw new UsageError(`--config ${where}: enforcement level ${JSON.stringify(value)} is not one of ${LEVELS.join(", ")}`);
}

function describe(errors: readonly ErrorObject[] | null | undefined): string {
    return (errors ?? []).map((e) => `${e.instancePath || "(value)"} ${e.message ?? "is invalid"}${e.keyword === "additionalProperties" ? ` ("${String(e.params.additionalProperty)}")` : ""}`).join("; ");
}

/**
 * Rejects an exemption whose expiry is not a real date (`2027-13-45` has the schema's shape). The
 * pack never applies one (fail closed) and reports it; here the user gets the error before a run.
 */
function checkExpiries(list: unknown, where: string): void {
    if (!Array.isArray(list)) return;
    list.forEach((e, i) => {
        const problem = e && typeof e === "object" ? expiryProblem((e as { expires?: unknown }).expires as string | undefined) : undefined;
        if (problem !== undefined && typeof (e as { expires?: unknown }).expires === "string") {
            throw new UsageError(`--config ${where}[${i}]: ${problem}`, "write the last day the exemption applies as an existing date, YYYY-MM-DD (e.g. 2027-03-31)");
        }
    });
}

/**
 * Turns a raw config object into the per-policy config the analyzer's Configure call takes,
 * validated against each policy's schema from GetAnalyzerInfo. Throws {@link UsageError}.
 */
/** aiguard's report policies: advisory by design, whatever `"all"` says. */
const REPORT_POLICY_NAMES = [EXEMPTIONS_POLICY, ...REPORT_POLICIES];

export function normalisePolicyConfig(raw: Readonly<Record<string, unknown>>, info: AnalyzerInfo): PackConfig {
    const names = info.policies.map((p) => p.name);
    let all: EnforcementLevel | undefined;
    let packWide: Record<string, unknown> = {};
    const perPolicy = new Map<string, Record<string, unknown>>();
    for (const [key, value] of Object.entries(raw)) {
        if (key === "all") {
            all = level(typeof value === "object" && value !== null ? (value as Record<string, unknown>).enforcementLevel : value, '"all"');
        } else if (key === PACK_WIDE) {
            if (!value || typeof value !== "object" || Array.isArray(value)) throw new UsageError(`--config "${PACK_WIDE}" must be an object of settings`);
            packWide = value as Record<string, unknown>;
        } else if (names.includes(key)) {
            if (typeof value === "string") perPolicy.set(key, { enforcementLevel: level(value, `"${key}"`) });
            else if (value && typeof value === "object" && !Array.isArray(value)) perPolicy.set(key, value as Record<string, unknown>);
            else throw new UsageError(`--config "${key}" must be an enforcement level or an object of settings`);
        } else {
            throw new UsageError(`--config names policy "${key}", which the pack does not have${didYouMean(key, names)}`, "list the rules with `aiguard rules`");
        }
    }
    checkExpiries(packWide.exemptions, `"${PACK_WIDE}".exemptions`);
    for (const [name, own] of perPolicy) checkExpiries(own.exemptions, `"${name}".exemptions`);
    const declared = new Set(info.policies.flatMap((p) => Object.keys(p.configSchema?.properties ?? {})));
    for (const key of Object.keys(packWide)) {
        if (!declared.has(key)) throw new UsageError(`--config "${PACK_WIDE}.${key}" is not a setting of any policy${didYouMean(key, declared)}`);
    }
    const ajv = new Ajv({ allErrors: true, strict: false });
    const out: PackConfig = {};
    for (const policy of info.policies) {
        const props = policy.configSchema?.properties ?? {};
        const own = { ...(perPolicy.get(policy.name) ?? {}) };
        const ownLevel = own.enforcementLevel;
        delete own.enforcementLevel;
        const merged: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(packWide)) if (k in props) merged[k] = v;
        Object.assign(merged, own);
        if (Array.isArray(packWide.exemptions) && "exemptions" in props) {
            merged.exemptions = [...(packWide.exemptions as unknown[]), ...(Array.isArray(own.exemptions) ? own.exemptions : [])];
        }
        const validate = ajv.compile({ type: "object", properties: props, required: [...(policy.configSchema?.required ?? [])], additionalProperties: false });
        if (!validate(merged)) {
            throw new UsageError(`--config for policy "${policy.name}": ${describe(validate.errors)}`, `its settings: ${Object.keys(props).join(", ") || "none"}`);
        }
        const report = isReportPolicy(policy.name);
        // "all" sets the rules' level; the reports stay advisory whatever it says (see above).
        const lvl = ownLevel !== undefined ? level(ownLevel, `"${policy.name}".enforcementLevel`) : all !== undefined && report ? "advisory" : all;
        if (report && lvl !== undefined && lvl !== "advisory" && lvl !== "disabled") {
            throw new UsageError(
                `--config: "${policy.name}" is set to "${lvl}", but it is one of aiguard's reports (what it judged, what it left undecided, what it exempted); a report at that level would block every pulumi preview that uses this config`,
                `remove the entry, or set it to "advisory" (the reports: ${REPORT_POLICY_NAMES.join(", ")})`,
            );
        }
        if (lvl !== undefined || Object.keys(merged).length > 0) out[policy.name] = { ...(lvl ? { enforcementLevel: lvl } : {}), ...merged };
    }
    return out;
}
