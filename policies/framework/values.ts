/**
 * Small, pure helpers rules use to read property bags safely: unknown-aware getters, tag lookup,
 * and policy-document parsing (JSON string or object, Statement as object or array).
 */
import { containsUnknown, UNKNOWN, UNKNOWN_STRING, type Maybe, type Unknown } from "../../common/unknown";
import type { RuleResource } from "./rule";
import type { Settings } from "../../common/settings";

export { containsUnknown, isUnknown, UNKNOWN_STRING } from "../../common/unknown";

/** T without the unknown marker and absence: what a path step can index into. */
type Present<T> = Exclude<T, Unknown | undefined | null>;
/**
 * The keys a path step may take on T: indexes of arrays, property names of objects, anything on
 * untyped values. On a union (a rule over several classes) a key of any member is accepted.
 */
type KeyOf<T> = unknown extends T ? string | number : KeysOfMember<Present<T>>;
type KeysOfMember<P> = P extends ReadonlyArray<unknown> ? number
    : P extends object ? ([keyof P] extends [never] ? string | number : keyof P & (string | number))
    : never;
/** The value one step down (on a union: from each member that has the key, `undefined` from those that do not). */
type Step<T, K> = unknown extends T ? unknown : StepMember<Present<T>, K>;
type StepMember<P, K> = P extends ReadonlyArray<infer E> ? E
    : [keyof P] extends [never] ? unknown
    : K extends keyof P ? P[K]
    : undefined;
/** What {@link get} returns: the value at the path, `UNKNOWN` if a step was unknown, `undefined` if absent. */
type Got<T> = T | Unknown | undefined;

/**
 * Reads a nested property; `UNKNOWN` if any step is unknown, `undefined` if absent. Typed: on a
 * rule's {@link PropsOf} props, each key must exist on the resource's input type at that depth.
 */
export function get<T, K1 extends KeyOf<T>>(obj: T, k1: K1): Got<Step<T, K1>>;
export function get<T, K1 extends KeyOf<T>, K2 extends KeyOf<Step<T, K1>>>(obj: T, k1: K1, k2: K2): Got<Step<Step<T, K1>, K2>>;
export function get<T, K1 extends KeyOf<T>, K2 extends KeyOf<Step<T, K1>>, K3 extends KeyOf<Step<Step<T, K1>, K2>>>(
    obj: T, k1: K1, k2: K2, k3: K3): Got<Step<Step<Step<T, K1>, K2>, K3>>;
export function get<T, K1 extends KeyOf<T>, K2 extends KeyOf<Step<T, K1>>, K3 extends KeyOf<Step<Step<T, K1>, K2>>, K4 extends KeyOf<Step<Step<Step<T, K1>, K2>, K3>>>(
    obj: T, k1: K1, k2: K2, k3: K3, k4: K4): Got<Step<Step<Step<Step<T, K1>, K2>, K3>, K4>>;
export function get(obj: unknown, ...path: (string | number)[]): unknown {
    return getPath(obj, path);
}

/** {@link get} for a path computed at run time (untyped: the caller vouches for the path). */
export function getPath(obj: unknown, path: readonly (string | number)[]): unknown {
    let cur: unknown = obj;
    for (const key of path) {
        if (cur === UNKNOWN) return UNKNOWN;
        if (cur === null || cur === undefined || typeof cur !== "object") return undefined;
        cur = (cur as Record<string | number, unknown>)[key];
    }
    return cur;
}

/** Treats a single object or an array (or absent) uniformly as a list; unknown stays unknown. */
export function asList(v: unknown): Maybe<unknown[]> {
    if (v === UNKNOWN) return UNKNOWN;
    if (v === undefined || v === null) return [];
    return Array.isArray(v) ? v : [v];
}

/** The resource's tags (`tags`, or `metadata.labels` for Kubernetes); unknown if the map is. */
export function tagsOf(props: Readonly<Record<string, unknown>>): Maybe<Readonly<Record<string, unknown>>> {
    const t = props.tags ?? props.tagsAll ?? get(props, "metadata", "labels");
    if (t === UNKNOWN) return UNKNOWN;
    if (t && typeof t === "object") return t as Record<string, unknown>;
    return {};
}

/**
 * The value of one tag, looking at `tags` and then `tagsAll` (which adds the provider's default
 * tags in outputs). `undefined` when known to be absent; `UNKNOWN` when it may be set but is not known.
 */
export function tagValue(props: Readonly<Record<string, unknown>>, key: string): unknown {
    let sawUnknown = false;
    for (const map of [props.tags, props.tagsAll]) {
        if (map === UNKNOWN) sawUnknown = true;
        else if (map && typeof map === "object") {
            const v = (map as Record<string, unknown>)[key];
            if (v !== undefined && v !== null) return v;
        }
    }
    return sawUnknown ? UNKNOWN : undefined;
}

/** True when the resource carries the asset-kind tag at all (it is an aiguard-governed AI resource). */
export function isAiResource(props: Readonly<Record<string, unknown>>, settings: Settings): Maybe<boolean> {
    const tags = tagsOf(props);
    if (tags === UNKNOWN) return UNKNOWN;
    const kind = tags[settings.assetKindTagKey];
    if (kind === UNKNOWN) return UNKNOWN;
    return typeof kind === "string" && kind.length > 0;
}

/** One IAM-style policy statement, normalised: list fields are always arrays. */
export interface Statement {
    readonly sid?: string;
    readonly effect: "Allow" | "Deny" | string;
    /** True when the statement's Effect (or the whole statement) is unknown at preview. */
    readonly effectUnknown: boolean;
    readonly principal: Maybe<unknown>;
    readonly notPrincipal: Maybe<unknown>;
    readonly action: Maybe<unknown[]>;
    readonly notAction: Maybe<unknown[]>;
    readonly resource: Maybe<unknown[]>;
    readonly notResource: Maybe<unknown[]>;
    readonly condition: Maybe<Record<string, Record<string, unknown>>> | undefined;
}

export type ParsedPolicy =
    | { readonly ok: true; readonly statements: readonly Statement[] }
    | { readonly ok: false; readonly unknown: true }
    | { readonly ok: false; readonly unknown: false; readonly error: string };

/**
 * Parses a policy document given as a JSON string or an object. An unknown document, or a string
 * that is not JSON because an unknown value stands outside its strings, yields
 * `{ok:false, unknown:true}`; unknown values inside the document's strings are kept (see below).
 */
export function parsePolicy(doc: unknown): ParsedPolicy {
    const parsed = parseJsonDocument(doc);
    if (!parsed.ok) return parsed.unknown ? parsed : { ok: false, unknown: false, error: `policy ${parsed.error}` };
    const value = parsed.value;
    if (!value || typeof value !== "object") return { ok: false, unknown: false, error: "policy is not a JSON object" };
    if (containsUnknown(value)) {
        // Unknown parts are kept as UNKNOWN in the statements below; only a fully unknown Statement is opaque.
        if ((value as Record<string, unknown>).Statement === UNKNOWN) return { ok: false, unknown: true };
    }
    const raw = asList((value as Record<string, unknown>).Statement);
    if (raw === UNKNOWN) return { ok: false, unknown: true };
    const statements: Statement[] = raw.map((s) => {
        if (s === UNKNOWN) return UNKNOWN_STATEMENT;
        const o = (s && typeof s === "object" ? s : {}) as Record<string, unknown>;
        return {
            sid: typeof o.Sid === "string" ? o.Sid : undefined,
            effect: o.Effect === UNKNOWN ? "" : String(o.Effect ?? ""),
            effectUnknown: o.Effect === UNKNOWN,
            principal: o.Principal as Maybe<unknown>,
            notPrincipal: o.NotPrincipal as Maybe<unknown>,
            action: o.Action === undefined ? undefined as any : asList(o.Action),
            notAction: o.NotAction === undefined ? undefined as any : asList(o.NotAction),
            resource: o.Resource === undefined ? undefined as any : asList(o.Resource),
            notResource: o.NotResource === undefined ? undefined as any : asList(o.NotResource),
            condition: o.Condition as any,
        };
    });
    return { ok: true, statements };
}

export type ParsedJson =
    | { readonly ok: true; readonly value: unknown }
    | { readonly ok: false; readonly unknown: true }
    | { readonly ok: false; readonly unknown: false; readonly error: string };

/**
 * A JSON document given as a string (or already as a value). A document built from outputs at
 * preview embeds the engine's unknown marker inside its JSON strings (an ARN, a name): it still
 * parses, with {@link UNKNOWN} in place of those strings, so the parts that do not depend on them
 * can be judged. A marker outside a string, or an unknown document, is `{ok:false, unknown:true}`.
 */
export function parseJsonDocument(doc: unknown): ParsedJson {
    if (doc === UNKNOWN) return { ok: false, unknown: true };
    if (typeof doc !== "string") return { ok: true, value: doc };
    const partial = doc.includes(UNKNOWN_STRING);
    try {
        return { ok: true, value: JSON.parse(doc, partial ? (_k, v) => (v === UNKNOWN_STRING ? UNKNOWN : v) : undefined) };
    } catch (e) {
        if (partial) return { ok: false, unknown: true };
        return { ok: false, unknown: false, error: `is not valid JSON: ${(e as Error).message}` };
    }
}

/** A statement that is entirely unknown at preview: every field is UNKNOWN. */
const UNKNOWN_STATEMENT: Statement = {
    effect: "",
    effectUnknown: true,
    principal: UNKNOWN,
    notPrincipal: UNKNOWN,
    action: UNKNOWN,
    notAction: UNKNOWN,
    resource: UNKNOWN,
    notResource: UNKNOWN,
    condition: UNKNOWN,
};


const typeIndexes = new WeakMap<readonly RuleResource[], ReadonlyMap<string, readonly RuleResource[]>>();

/**
 * Convenience for stack rules: resources indexed by type. The adapter hands every stack rule of a
 * request the same frozen array (`stackView` in adapt.ts), so the index is built once per request
 * and shared (read-only); an array that is not frozen is indexed afresh on every call.
 */
export function byType(resources: readonly RuleResource[]): ReadonlyMap<string, readonly RuleResource[]> {
    const cached = typeIndexes.get(resources);
    if (cached) return cached;
    const m = new Map<string, RuleResource[]>();
    for (const r of resources) {
        let list = m.get(r.type);
        if (!list) m.set(r.type, (list = []));
        list.push(r);
    }
    if (Object.isFrozen(resources)) {
        for (const list of m.values()) Object.freeze(list);
        typeIndexes.set(resources, m);
    }
    return m;
}

/**
 * A string value, `UNKNOWN` when unknown (or when it embeds the engine's unknown marker, as
 * interpolated strings do at preview), `undefined` when absent or not a string.
 */
export function knownString(v: unknown): Maybe<string> | undefined {
    if (v === UNKNOWN) return UNKNOWN;
    if (typeof v !== "string") return undefined;
    return v.includes(UNKNOWN_STRING) ? UNKNOWN : v;
}

/** True when `v` is a known, non-blank string (a key ARN, an ID). */
export function isSetString(v: unknown): boolean {
    const s = knownString(v);
    return typeof s === "string" && s.trim().length > 0;
}

/** The account ID field of an ARN (`arn:partition:service:region:account:...`), if present. */
export function arnAccount(arn: string): string | undefined {
    const parts = arn.split(":");
    return parts.length >= 6 && parts[0] === "arn" && /^\d{12}$/.test(parts[4]) ? parts[4] : undefined;
}

/**
 * True when the value is known to be missing: absent, blank, or not a string. `false` for a
 * non-blank string and for unknown values (so rules never report an unknown as missing).
 */
export function isKnownMissing(v: unknown): boolean {
    const s = knownString(v);
    if (s === UNKNOWN) return false;
    return !(typeof s === "string" && s.trim().length > 0);
}

/** Resource-rule `onUnknown` text for rules that read one or a few fields. */
export function skipsWhenUnknown(fields: string): string {
    return `Reports nothing when ${fields} is unknown at preview (a value computed from another resource); the rule runs again at update with the resolved value, so an unknown never produces a false violation or a crash.`;
}

/** An AWS-managed KMS key named by alias or alias ARN (`alias/aws/s3`, `arn:aws:kms:…:alias/aws/sagemaker`). */
const AWS_MANAGED_KEY = /^(?:arn:aws[a-z-]*:kms:[^:]*:[^:]*:)?alias\/aws\//;

/** True for a known value that names an AWS-managed key rather than a customer-managed one. */
export function isAwsManagedKey(v: unknown): boolean {
    const s = knownString(v);
    return typeof s === "string" && AWS_MANAGED_KEY.test(s.trim());
}

/**
 * True when a KMS key field is known not to name a customer-managed key: absent, blank, or an
 * AWS-managed key (`alias/aws/*`), which the owner cannot control, rotate on its terms or destroy.
 * `false` for unknown values (never a false violation).
 */
export function isKnownMissingKey(v: unknown): boolean {
    return isKnownMissing(v) || isAwsManagedKey(v);
}
