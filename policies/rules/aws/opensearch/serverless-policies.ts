/**
 * OpenSearch Serverless security policies and the collections they govern. Encryption and network
 * settings of a collection live on `aws.opensearch.ServerlessSecurityPolicy` resources (JSON
 * documents, `type` "encryption" or "network") whose `Rules[].Resource` patterns name collections
 * (`collection/<name>`, a trailing `*` as wildcard). A policy document built from outputs may be
 * unknown at preview; a policy that may match but cannot be read leaves the collection undecided.
 */
import * as aws from "@pulumi/aws";
import { globToRegExp, NAME_GLOB } from "../../../../common/glob";
import { typeToken, UNKNOWN, type RuleResource } from "../../../framework/rule";
import { asList, byType, knownString, parseJsonDocument } from "../../../framework/values";

export const SECURITY_POLICY_TYPE = typeToken(aws.opensearch.ServerlessSecurityPolicy);

/** How one policy rule relates to one collection. */
export type Match =
    | { readonly kind: "no" }
    | { readonly kind: "unknown" }
    /** `specificity`: length of the pattern before any wildcard; an exact name beats every wildcard. */
    | { readonly kind: "yes"; readonly specificity: number };

/** One statement of a policy (the encryption document itself, or one entry of a network document) and the resources it matches. */
export interface PolicyEntry {
    readonly policy: RuleResource;
    /** The statement: `AWSOwnedKey`/`KmsARN` (encryption) or `AllowFromPublic` (network), UNKNOWN parts kept. */
    readonly body: Readonly<Record<string, unknown>>;
    /** Its rules: resource type and patterns. */
    readonly rules: readonly { readonly resourceType: unknown; readonly patterns: readonly unknown[] | typeof UNKNOWN }[] | typeof UNKNOWN;
}

/** A policy of the wanted type whose content cannot be read at preview (type, document or statements unknown). */
export interface Unreadable {
    readonly policy: RuleResource;
    readonly why: string;
}

export interface SecurityPolicies {
    readonly entries: readonly PolicyEntry[];
    readonly unreadable: readonly Unreadable[];
}

/** The encryption or network policies of the stack, parsed. Malformed documents are skipped: AWS rejects them. */
export function securityPolicies(resources: readonly RuleResource[], type: "encryption" | "network"): SecurityPolicies {
    const entries: PolicyEntry[] = [];
    const unreadable: Unreadable[] = [];
    for (const p of byType(resources).get(SECURITY_POLICY_TYPE) ?? []) {
        const t = knownString(p.props.type);
        if (t !== UNKNOWN && t !== type) continue;
        if (t === UNKNOWN) {
            unreadable.push({ policy: p, why: "its type is unknown" });
            continue;
        }
        const parsed = parseJsonDocument(p.props.policy);
        if (!parsed.ok) {
            if (parsed.unknown) unreadable.push({ policy: p, why: "its policy document is unknown" });
            continue;
        }
        // Encryption: one object. Network: a list of objects.
        const bodies = type === "encryption" ? [parsed.value] : asList(parsed.value);
        if (bodies === UNKNOWN) {
            unreadable.push({ policy: p, why: "its policy document is unknown" });
            continue;
        }
        for (const b of bodies) {
            if (b === UNKNOWN) {
                unreadable.push({ policy: p, why: "a statement of its policy document is unknown" });
                continue;
            }
            if (!b || typeof b !== "object" || Array.isArray(b)) continue;
            const body = b as Record<string, unknown>;
            const rules = asList(body.Rules);
            entries.push({
                policy: p,
                body,
                rules: rules === UNKNOWN ? UNKNOWN : rules.map((r) => {
                    const o = r && typeof r === "object" ? (r as Record<string, unknown>) : {};
                    const patterns = r === UNKNOWN ? UNKNOWN : asList(o.Resource);
                    return { resourceType: r === UNKNOWN ? UNKNOWN : o.ResourceType, patterns };
                }),
            });
        }
    }
    return { entries, unreadable };
}

/** How a `collection/<glob>` pattern relates to a collection name (known or not). */
export function matchPattern(pattern: unknown, name: unknown): Match {
    const p = knownString(pattern);
    if (p === UNKNOWN) return { kind: "unknown" };
    if (typeof p !== "string" || !p.toLowerCase().startsWith("collection/")) return { kind: "no" };
    const glob = p.slice("collection/".length);
    const n = knownString(name);
    if (n === UNKNOWN || typeof n !== "string") return { kind: "unknown" };
    if (!globToRegExp(glob, NAME_GLOB).test(n)) return { kind: "no" };
    const star = glob.indexOf("*");
    return { kind: "yes", specificity: star < 0 ? Number.MAX_SAFE_INTEGER : star };
}

/** How an entry relates to a collection, for rules of the given resource types. */
export function matchEntry(entry: PolicyEntry, name: unknown, resourceTypes: readonly string[]): Match {
    if (entry.rules === UNKNOWN) return { kind: "unknown" };
    let best: Match = { kind: "no" };
    for (const rule of entry.rules) {
        const rt = knownString(rule.resourceType);
        if (rt !== UNKNOWN && !(typeof rt === "string" && resourceTypes.includes(rt))) continue;
        const patterns = rule.patterns === UNKNOWN ? [UNKNOWN] : rule.patterns;
        for (const pattern of patterns) {
            const m = rt === UNKNOWN ? { kind: "unknown" as const } : matchPattern(pattern, name);
            if (m.kind === "yes" && (best.kind !== "yes" || m.specificity > best.specificity)) best = m;
            else if (m.kind === "unknown" && best.kind === "no") best = m;
        }
    }
    return best;
}
