/**
 * Principal and condition helpers shared by the resource-policy rules (S3, ECR, KMS, SNS, SQS,
 * OpenSearch) and the IAM rules: who a statement names, which conditions really restrict it, and
 * whether it makes what it grants public. Pure.
 */
import { UNKNOWN, type Finding, type Maybe } from "../../framework/rule";
import { asList, containsUnknown, parsePolicy, UNKNOWN_STRING, type Statement } from "../../framework/values";

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

/**
 * Condition keys that bind a request to this account, organisation, network or resource, so a
 * statement whose Principal is everyone is not public when one of them is tested with a specific
 * value. Lower-cased. `aws:SourceArn`/`aws:SourceOwner`/`aws:SourceAccount` are set only on
 * requests a service makes on a resource owner's behalf, so a direct caller never matches them.
 */
export const RESTRICTING_KEYS: ReadonlySet<string> = new Set([
    "aws:sourcevpce",
    "aws:sourcevpc",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:sourceaccount",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:sourcearn",
    "aws:sourceowner",
    "aws:principalarn",
    "aws:userid",
]);

/** Condition keys whose values are ARNs (an account wildcard in them restricts nothing). */
const ARN_KEYS: ReadonlySet<string> = new Set(["aws:sourcearn", "aws:principalarn"]);

/** Operators that let a request through only when the key matches one of the values. */
const MATCHING_OPERATOR = /^(?:ForAnyValue:|ForAllValues:)?(?:StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike)$/;

/** Whether a statement grants something to the public. */
export type Exposure =
    | { readonly public: false }
    | { readonly public: true; readonly who: string; readonly conditioned: boolean };

/** "allows <who> without a Condition" / "... under a Condition that restricts ..."; `after` follows the principal ("assume it"). */
export function exposureText(e: Extract<Exposure, { public: true }>, verb = "allows", after = ""): string {
    return `${verb} ${e.who}${after ? ` ${after}` : ""}${e.conditioned ? " under a Condition that restricts neither account, organisation, network nor source" : " without a Condition"}`;
}

const NOT_PUBLIC: Exposure = { public: false };

/** True for a pattern value that matches anything (`*`, `**`, `?*`). */
function matchesAnything(v: string): boolean {
    return /^[*?]*$/.test(v.trim());
}

/** Whether one condition value narrows its key, or UNKNOWN. */
function narrows(key: string, value: unknown): Maybe<boolean> {
    if (value === UNKNOWN) return UNKNOWN;
    if (typeof value !== "string") return false;
    if (value.includes(UNKNOWN_STRING)) return UNKNOWN;
    if (matchesAnything(value)) return false;
    if (ARN_KEYS.has(key)) {
        const parts = value.split(":");
        if (parts.length >= 5 && /[*?]/.test(parts[4]!)) return false;
    }
    return true;
}

/** Whether every value of a condition test narrows its key (an empty or unknown list does not decide). */
function allNarrow(key: string, values: unknown): Maybe<boolean> {
    const list = asList(values);
    if (list === UNKNOWN) return UNKNOWN;
    if (list.length === 0) return false;
    let unknown = false;
    for (const v of list) {
        const n = narrows(key, v);
        if (n === false) return false;
        if (n === UNKNOWN) unknown = true;
    }
    return unknown ? UNKNOWN : true;
}

/** True for an IP range that is the whole internet. */
function everyAddress(v: string): boolean {
    return /^(?:0\.0\.0\.0\/0|::\/0|::0\/0)$/.test(v.trim());
}

/**
 * Whether a Condition block really restricts who can use a statement: `true` when one test binds
 * the request to specific accounts, organisations, VPCs, endpoints, source resources or principal
 * ARNs (with a matching operator, not `...IfExists`, and no match-anything value), or to IP ranges
 * other than 0.0.0.0/0 and ::/0; `UNKNOWN` when no known test does and some test is unknown.
 * `extraKeys` adds a service's own keys (e.g. `kms:calleraccount`), lower-cased.
 */
export function conditionRestricts(condition: unknown, extraKeys: ReadonlySet<string> = new Set()): Maybe<boolean> {
    if (condition === UNKNOWN) return UNKNOWN;
    if (!condition || typeof condition !== "object") return false;
    let unknown = false;
    for (const [operator, block] of Object.entries(condition as Record<string, unknown>)) {
        if (block === UNKNOWN) {
            unknown = true;
            continue;
        }
        if (!block || typeof block !== "object") continue;
        for (const [rawKey, values] of Object.entries(block as Record<string, unknown>)) {
            const key = rawKey.toLowerCase();
            let verdict: Maybe<boolean> = false;
            if (operator === "IpAddress" && key === "aws:sourceip") {
                const list = asList(values);
                if (list === UNKNOWN || list.some((v) => v === UNKNOWN || (typeof v === "string" && v.includes(UNKNOWN_STRING)))) verdict = UNKNOWN;
                else verdict = list.length > 0 && list.every((v) => typeof v === "string" && !everyAddress(v));
            } else if (MATCHING_OPERATOR.test(operator) && (RESTRICTING_KEYS.has(key) || extraKeys.has(key))) {
                verdict = allNarrow(key, values);
            }
            if (verdict === true) return true;
            if (verdict === UNKNOWN) unknown = true;
        }
    }
    return unknown ? UNKNOWN : false;
}

/**
 * Whether a resource-policy statement makes what it grants public: an Allow to everyone
 * (`"*"`, `{AWS: "*"}`) or to everyone but a list (`NotPrincipal`) that no Condition restricts
 * ({@link conditionRestricts}). `UNKNOWN` when the Effect, Principal or Condition leaves it open.
 * The one judgement of "public" that the resource-policy rules (S3, ECR, KMS, SNS, SQS,
 * OpenSearch) and the IAM trust rule share.
 */
export function statementExposure(s: Statement, extraKeys?: ReadonlySet<string>): Maybe<Exposure> {
    if (!s.effectUnknown && s.effect !== "Allow") return NOT_PUBLIC;
    let everyone: Maybe<boolean>;
    let who: string;
    if (s.notPrincipal !== undefined && s.notPrincipal !== null) {
        everyone = s.notPrincipal === UNKNOWN ? UNKNOWN : true;
        who = "everyone except the NotPrincipal list";
    } else {
        everyone = isEveryone(s.principal);
        who = "everyone (Principal \"*\")";
    }
    if (everyone === false) return NOT_PUBLIC;
    const restricted = conditionRestricts(s.condition, extraKeys);
    if (restricted === true) return NOT_PUBLIC;
    if (everyone === UNKNOWN || restricted === UNKNOWN || s.effectUnknown) return UNKNOWN;
    return { public: true, who, conditioned: isConditioned(s.condition) };
}

/** A statement's name for messages: its Sid, else its position. */
export function statementLabel(s: Statement, i: number): string {
    return s.sid ? `statement "${s.sid}"` : `statement #${i + 1}`;
}

/** The verdict on a whole policy document: the public statements, or why it cannot be judged. */
export type PolicyExposure =
    | { readonly kind: "judged"; readonly publicStatements: readonly string[]; readonly undecided: readonly string[] }
    | { readonly kind: "unknown" }
    | { readonly kind: "unreadable"; readonly error: string };

/**
 * Judges every statement of a resource policy (JSON string or object; parts may be unknown at
 * preview): which statements are public (each as "<label> <why>") and which cannot be decided yet.
 */
export function policyExposure(doc: unknown, extraKeys?: ReadonlySet<string>): PolicyExposure {
    const parsed = parsePolicy(doc);
    if (!parsed.ok) return parsed.unknown ? { kind: "unknown" } : { kind: "unreadable", error: parsed.error };
    const publicStatements: string[] = [];
    const undecided: string[] = [];
    parsed.statements.forEach((s, i) => {
        const e = statementExposure(s, extraKeys);
        if (e === UNKNOWN) undecided.push(statementLabel(s, i));
        else if (e.public) publicStatements.push(`${statementLabel(s, i)} ${exposureText(e)}`);
    });
    return { kind: "judged", publicStatements, undecided };
}

/**
 * Findings of a public-principal rule for one policy document: one violation per public statement,
 * an `undecided` notice when the document or some statement is not known yet, and a violation for
 * a document that cannot be read (fail closed). `what` names the document (`S3 bucket policy of "x"`).
 */
export function publicPolicyFindings(doc: unknown, what: string, urn?: string, extraKeys?: ReadonlySet<string>): Finding[] {
    if (doc === undefined || doc === null || doc === "") return [];
    const at = urn === undefined ? {} : { urn };
    const e = policyExposure(doc, extraKeys);
    if (e.kind === "unknown") return [{ ...at, undecided: true, message: `${what} is not known yet, so whether it grants access to everyone is decided at update` }];
    if (e.kind === "unreadable") return [{ ...at, message: `${what} cannot be read: ${e.error}` }];
    return [
        ...e.publicStatements.map((p) => ({ ...at, message: `${what}: ${p}` })),
        ...e.undecided.map((u) => ({ ...at, undecided: true, message: `${what}: whether ${u} grants access to everyone depends on values not known yet` })),
    ];
}
