/**
 * Which resources a rule examines, so the compliance matrix can tell "pass" (the stack has
 * resources the rule judges, and none violates it) from "not applicable" (the stack has none).
 *
 * Every rule declares what it judges (resource rules by their SDK classes, stack rules by the
 * classes or provider they judge); the pack's build writes that into its rule manifest, which this
 * reads. The CLI never loads rule code for it.
 */
import { judges, readRuleManifest, type RuleManifestEntry } from "../../common/rule-manifest";
import { PACK_DIR } from "../../offline/analyzer-client";

/** Tests whether a resource type token is one a rule examines. */
export type TypeMatcher = (type: string) => boolean;

let manifest: ReadonlyMap<string, RuleManifestEntry> | undefined;

function entries(): ReadonlyMap<string, RuleManifestEntry> {
    manifest ??= new Map(readRuleManifest(PACK_DIR).rules.map((r) => [r.name, r]));
    return manifest;
}

/** The matcher for a rule, or `undefined` for a policy aiguard does not know (no claim is made). */
export function subjectOf(ruleName: string): TypeMatcher | undefined {
    const entry = entries().get(ruleName);
    return entry ? (t) => judges(entry, t) : undefined;
}

/** Whether the stack (its resource types) holds anything the rule examines. */
export function applies(ruleName: string, resourceTypes: ReadonlySet<string>): boolean {
    const match = subjectOf(ruleName);
    if (!match) return false;
    for (const t of resourceTypes) if (match(t)) return true;
    return false;
}
