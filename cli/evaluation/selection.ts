/**
 * Rule selection on the command line (`--rule`, `--skip-rule`), done the way Pulumi would do it:
 * through the policy config, every rule left out set to `disabled`, so the pack never runs it.
 * Patterns are rule names or globs (`aws-s3-*`; `*` matches any run of characters). A pattern that
 * matches no rule is an error with the nearest rule name, so a typo never silently runs nothing or
 * skips nothing. aiguard's report policies (scope, undecided, exemptions) are not rules and always run.
 */
import { globToRegExp, NAME_GLOB } from "../../common/glob";
import type { PackConfig } from "../../offline/analyzer-client";
import { UsageError } from "../errors";
import { didYouMean } from "../nearest";
import type { RuleSelection } from "./result";

export interface SelectionFlags {
    /** `--rule`: run only rules matching one of these (empty: every rule). */
    readonly rules?: readonly string[];
    /** `--skip-rule`: never run rules matching one of these. */
    readonly skipRules?: readonly string[];
}

function matching(pattern: string, flag: string, names: readonly string[]): string[] {
    const re = globToRegExp(pattern, NAME_GLOB);
    const hits = names.filter((n) => re.test(n));
    if (hits.length === 0) {
        throw new UsageError(
            `${flag} ${pattern} matches no rule of the pack${pattern.includes("*") ? "" : didYouMean(pattern, names)}`,
            "list the rules with `aiguard rules` (names, or globs such as aws-s3-*)",
        );
    }
    return hits;
}

/** Resolves the patterns against the pack's rule names. Undefined when no flag was given. */
export function resolveSelection(flags: SelectionFlags, ruleNames: readonly string[]): RuleSelection | undefined {
    const rulePatterns = flags.rules ?? [];
    const skipPatterns = flags.skipRules ?? [];
    if (rulePatterns.length === 0 && skipPatterns.length === 0) return undefined;
    const chosen = new Set(rulePatterns.length > 0 ? rulePatterns.flatMap((p) => matching(p, "--rule", ruleNames)) : ruleNames);
    for (const p of skipPatterns) for (const n of matching(p, "--skip-rule", ruleNames)) chosen.delete(n);
    const selected = ruleNames.filter((n) => chosen.has(n));
    if (selected.length === 0) {
        throw new UsageError("--rule and --skip-rule leave no rule to run", "skip fewer rules, or drop --skip-rule patterns that cover every --rule");
    }
    return { rulePatterns, skipPatterns, selected, skipped: ruleNames.filter((n) => !chosen.has(n)) };
}

/** The policy config with every skipped rule `disabled` (the command line wins over `--config`). */
export function applySelection(config: PackConfig, selection: RuleSelection | undefined): PackConfig {
    if (!selection) return config;
    const out: PackConfig = { ...config };
    for (const name of selection.skipped) out[name] = { ...(config[name] ?? {}), enforcementLevel: "disabled" };
    return out;
}

/** One line saying what the selection did, for every output format's notes. */
export function describeSelection(s: RuleSelection): string {
    const flags = [...s.rulePatterns.map((p) => `--rule ${p}`), ...s.skipPatterns.map((p) => `--skip-rule ${p}`)].join(" ");
    const few = (names: readonly string[]) => (names.length <= 12 ? names.join(", ") : `${names.slice(0, 12).join(", ")} and ${names.length - 12} more`);
    return `rule selection (${flags}): ran ${s.selected.length} rule(s): ${few(s.selected)}; skipped ${s.skipped.length} (disabled)${s.skipped.length > 0 ? `: ${few(s.skipped)}` : ""}`;
}
