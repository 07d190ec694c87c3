/**
 * The rule manifest: the pack's rules described as data, for the tools that report on the pack
 * without loading its code (the CLI's compliance report, `aiguard rules` and `aiguard explain`). The pack writes it next to its
 * compiled entry point when it is built (`policies/manifest.ts` → `policies/bin/rules.json`), from
 * the same rule objects the pack runs, so it cannot drift from them.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** What a rule judges: resources of some type tokens, or every resource of a provider. */
export type RuleSubjects = { readonly types: readonly string[] } | { readonly provider: string };

export interface RuleManifestEntry {
    readonly name: string;
    readonly kind: "resource" | "stack";
    readonly clauses: readonly string[];
    readonly judges: RuleSubjects;
    readonly onUnknown: string;
    /** The rule's metadata (policies/framework/rule.ts `RuleMeta`), for `aiguard rules` and `aiguard explain`. */
    readonly description: string;
    readonly severity: "low" | "medium" | "high" | "critical";
    /** Default enforcement level (before any policy config). */
    readonly enforcementLevel: "advisory" | "mandatory" | "remediate" | "disabled";
    readonly remediationSteps: string;
    readonly url: string;
    /** Pack settings the rule reads (common/settings.ts). */
    readonly settings: readonly string[];
}

export interface RuleManifest {
    readonly version: 1;
    readonly rules: readonly RuleManifestEntry[];
}

/** The manifest's file name, inside the pack's `bin/`. */
export const RULE_MANIFEST_FILE = "rules.json";

/** Whether a rule judges resources of this type token. */
export function judges(entry: RuleManifestEntry, type: string): boolean {
    const j = entry.judges;
    return "provider" in j ? type.startsWith(`${j.provider}:`) : j.types.includes(type);
}

/** Reads the manifest of a built pack; throws with the path and the fix when it is missing or malformed. */
export function readRuleManifest(packDir: string): RuleManifest {
    const file = path.join(packDir, "bin", RULE_MANIFEST_FILE);
    let parsed: unknown;
    try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new Error(`cannot read the policy pack's rule manifest ${file} (${(err as Error).message}); build the pack with \`npm run build:policies\``);
    }
    const m = parsed as Partial<RuleManifest>;
    if (m.version !== 1 || !Array.isArray(m.rules)) throw new Error(`${file} is not a rule manifest of version 1; rebuild the pack with \`npm run build:policies\``);
    return m as RuleManifest;
}
