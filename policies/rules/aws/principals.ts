/**
 * Principal and condition helpers shared by the S3, KMS and IAM rules.
 */
import { UNKNOWN, type Maybe } from "../../framework/rule";
import { asList, containsUnknown } from "../../framework/values";

/** True if the principal is everyone: `"*"`, `{AWS: "*"}` or a list containing `"*"`. UNKNOWN if it cannot be told. */
export function isEveryone(principal: unknown): Maybe<boolean> {
    if (principal === UNKNOWN) return UNKNOWN;
    if (principal === "*") return true;
    if (principal && typeof principal === "object" && !Array.isArray(principal)) {
        const aws = asList((principal as Record<string, unknown>).AWS);
        if (aws === UNKNOWN) return UNKNOWN;
        if (aws.includes("*")) return true;
        if (aws.includes(UNKNOWN)) return UNKNOWN;
    }
    return false;
}

/** The service principals a statement names (`Principal: {Service: ...}`); UNKNOWN if not known. */
export function servicePrincipals(principal: unknown): Maybe<string[]> {
    if (principal === UNKNOWN) return UNKNOWN;
    if (!principal || typeof principal !== "object" || Array.isArray(principal)) return [];
    const services = asList((principal as Record<string, unknown>).Service);
    if (services === UNKNOWN || services.includes(UNKNOWN)) return UNKNOWN;
    return services.filter((s): s is string => typeof s === "string");
}

/** Condition keys (lower-cased) a statement's Condition block tests, across all operators. */
export function conditionKeys(condition: unknown): Maybe<Set<string>> {
    if (condition === UNKNOWN) return UNKNOWN;
    const keys = new Set<string>();
    if (!condition || typeof condition !== "object") return keys;
    for (const block of Object.values(condition as Record<string, unknown>)) {
        if (block === UNKNOWN) return UNKNOWN;
        if (block && typeof block === "object") for (const k of Object.keys(block)) keys.add(k.toLowerCase());
    }
    return keys;
}

/** True if the Condition block has at least one known test (an unknown block counts as a test). */
export function isConditioned(condition: unknown): boolean {
    if (condition === UNKNOWN) return true;
    if (!condition || typeof condition !== "object") return false;
    return Object.values(condition as Record<string, unknown>).some(
        (block) => block === UNKNOWN || (block !== null && typeof block === "object" && Object.keys(block).length > 0),
    );
}

/** True if anything in the value is unknown (re-exported for the rules' "cannot tell yet" checks). */
export const hasUnknown = containsUnknown;
