/**
 * Structural validation of a raw (parsed YAML/JSON) trust policy document. Every error is a
 * {@link PolicyLoadError} naming the field path (`policies[0].authorities[1].keyless.issuer`) and
 * the fix. Unknown fields are rejected so that typos (`subjectRegex`) never weaken a policy.
 */
import { PolicyLoadError } from "../errors";
import type { LabelSelector, LabelSelectorRequirement } from "../../../common/label-selector";
import type { NoMatchBehaviour, PolicyMode, SignatureFormat } from "./types";

export const API_VERSION = "aiguard.io/v1";
export const KIND = "ImageTrustPolicy";

/** The raw shapes after structural validation (before keys, regexes and trust roots are compiled). */
export interface RawKeyAuthority { readonly name: string; readonly key: { readonly pem: string; readonly ignoreTlog: boolean } }
export interface RawKeylessAuthority {
    readonly name: string;
    readonly keyless: {
        readonly issuer?: string;
        readonly issuerRegExp?: string;
        readonly subject?: string;
        readonly subjectRegExp?: string;
        readonly ignoreTlog: boolean;
        readonly ignoreSct: boolean;
    };
}
export type RawAuthority = RawKeyAuthority | RawKeylessAuthority;
export interface RawPolicy {
    readonly name: string;
    readonly mode: PolicyMode;
    readonly namespaceSelector: LabelSelector;
    readonly images: readonly string[];
    readonly authorities: readonly RawAuthority[];
    readonly trustedRoot?: string | Record<string, unknown>;
    readonly signatureFormats: readonly SignatureFormat[];
}
export interface RawDocument {
    readonly noMatch: NoMatchBehaviour;
    readonly policies: readonly RawPolicy[];
}

type Obj = Record<string, unknown>;

function fail(path: string, message: string): never {
    throw new PolicyLoadError("schema", path, message);
}

function object(value: unknown, path: string, allowed: readonly string[]): Obj {
    if (typeof value !== "object" || value === null || Array.isArray(value)) fail(path, "must be an object");
    for (const key of Object.keys(value)) {
        if (!allowed.includes(key)) fail(path ? `${path}.${key}` : key, `unknown field: remove it (allowed here: ${allowed.join(", ")})`);
    }
    return value as Obj;
}

function string(value: unknown, path: string, required: true): string;
function string(value: unknown, path: string, required: false): string | undefined;
function string(value: unknown, path: string, required: boolean): string | undefined {
    if (value === undefined || value === null) {
        if (required) fail(path, "is required");
        return undefined;
    }
    if (typeof value !== "string" || value.trim() === "") fail(path, "must be a non-empty string");
    return value;
}

function oneOf<T extends string>(value: unknown, path: string, options: readonly T[]): T {
    if (value === undefined) fail(path, `is required: set it to one of ${options.join(" | ")}`);
    if (typeof value !== "string" || !options.includes(value as T)) fail(path, `must be one of ${options.join(" | ")}, got ${JSON.stringify(value)}`);
    return value as T;
}

function bool(value: unknown, path: string): boolean {
    if (value === undefined) return false;
    if (typeof value !== "boolean") fail(path, "must be true or false");
    return value;
}

function list(value: unknown, path: string, nonEmpty: boolean): unknown[] {
    if (!Array.isArray(value)) fail(path, "must be a list");
    if (nonEmpty && value.length === 0) fail(path, "must not be empty");
    return value;
}

function selector(value: unknown, path: string): LabelSelector {
    if (value === undefined) fail(path, "is required: use `{}` to select every namespace, or matchLabels/matchExpressions");
    const o = object(value, path, ["matchLabels", "matchExpressions"]);
    const matchLabels: Record<string, string> = {};
    if (o.matchLabels !== undefined) {
        const labels = object(o.matchLabels, `${path}.matchLabels`, Object.keys(o.matchLabels as Obj ?? {}));
        for (const [k, v] of Object.entries(labels)) {
            if (typeof v !== "string") fail(`${path}.matchLabels.${k}`, "must be a string (quote numbers and booleans)");
            matchLabels[k] = v;
        }
    }
    const matchExpressions: LabelSelectorRequirement[] = [];
    if (o.matchExpressions !== undefined) {
        list(o.matchExpressions, `${path}.matchExpressions`, false).forEach((e, i) => {
            const p = `${path}.matchExpressions[${i}]`;
            const r = object(e, p, ["key", "operator", "values"]);
            const operator = oneOf(r.operator, `${p}.operator`, ["In", "NotIn", "Exists", "DoesNotExist"] as const);
            const values = r.values === undefined ? [] : list(r.values, `${p}.values`, false).map((v, j) => string(v, `${p}.values[${j}]`, true));
            if ((operator === "In" || operator === "NotIn") && values.length === 0) fail(`${p}.values`, `must not be empty for operator ${operator}`);
            if ((operator === "Exists" || operator === "DoesNotExist") && values.length > 0) fail(`${p}.values`, `must be empty for operator ${operator}`);
            matchExpressions.push({ key: string(r.key, `${p}.key`, true), operator, values });
        });
    }
    return { matchLabels, matchExpressions };
}

function authority(value: unknown, path: string): RawAuthority {
    const o = object(value, path, ["name", "key", "keyless"]);
    const name = string(o.name, `${path}.name`, true);
    if ((o.key === undefined) === (o.keyless === undefined)) fail(path, "must have exactly one of `key` or `keyless`");
    if (o.key !== undefined) {
        const k = object(o.key, `${path}.key`, ["pem", "ignoreTlog"]);
        return { name, key: { pem: string(k.pem, `${path}.key.pem`, true), ignoreTlog: bool(k.ignoreTlog, `${path}.key.ignoreTlog`) } };
    }
    const p = `${path}.keyless`;
    const k = object(o.keyless, p, ["issuer", "issuerRegExp", "subject", "subjectRegExp", "ignoreTlog", "ignoreSct"]);
    const issuer = string(k.issuer, `${p}.issuer`, false);
    const issuerRegExp = string(k.issuerRegExp, `${p}.issuerRegExp`, false);
    const subject = string(k.subject, `${p}.subject`, false);
    const subjectRegExp = string(k.subjectRegExp, `${p}.subjectRegExp`, false);
    if ((issuer === undefined) === (issuerRegExp === undefined)) fail(p, "must have exactly one of `issuer` or `issuerRegExp`");
    if ((subject === undefined) === (subjectRegExp === undefined)) fail(p, "must have exactly one of `subject` or `subjectRegExp`");
    return {
        name,
        keyless: {
            ...(issuer !== undefined ? { issuer } : { issuerRegExp: issuerRegExp! }),
            ...(subject !== undefined ? { subject } : { subjectRegExp: subjectRegExp! }),
            ignoreTlog: bool(k.ignoreTlog, `${p}.ignoreTlog`),
            ignoreSct: bool(k.ignoreSct, `${p}.ignoreSct`),
        },
    };
}

function policy(value: unknown, path: string): RawPolicy {
    const o = object(value, path, ["name", "mode", "namespaceSelector", "images", "authorities", "trustedRoot", "signatureFormats"]);
    const name = string(o.name, `${path}.name`, true);
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) fail(`${path}.name`, "must be a DNS label (lowercase letters, digits, '-')");
    const images = list(o.images, `${path}.images`, true).map((g, i) => string(g, `${path}.images[${i}]`, true));
    const authorities = list(o.authorities, `${path}.authorities`, true).map((a, i) => authority(a, `${path}.authorities[${i}]`));
    const seen = new Set<string>();
    authorities.forEach((a, i) => {
        if (seen.has(a.name)) fail(`${path}.authorities[${i}].name`, `duplicate authority name ${JSON.stringify(a.name)}`);
        seen.add(a.name);
    });
    let trustedRoot: string | Record<string, unknown> | undefined;
    if (o.trustedRoot !== undefined) {
        if (typeof o.trustedRoot === "string") trustedRoot = string(o.trustedRoot, `${path}.trustedRoot`, true);
        else trustedRoot = object(o.trustedRoot, `${path}.trustedRoot`, Object.keys(o.trustedRoot as Obj ?? {}));
    }
    const formats = o.signatureFormats === undefined
        ? (["legacy", "bundle"] as const)
        : list(o.signatureFormats, `${path}.signatureFormats`, true).map((f, i) => oneOf(f, `${path}.signatureFormats[${i}]`, ["legacy", "bundle"] as const));
    return {
        name,
        mode: oneOf(o.mode, `${path}.mode`, ["enforce", "warn"] as const),
        namespaceSelector: selector(o.namespaceSelector, `${path}.namespaceSelector`),
        images,
        authorities,
        ...(trustedRoot !== undefined ? { trustedRoot } : {}),
        signatureFormats: [...new Set(formats)],
    };
}

/** Validates the document's structure; throws {@link PolicyLoadError} with code `schema`. */
export function validateDocument(value: unknown): RawDocument {
    const o = object(value, "", ["apiVersion", "kind", "noMatch", "policies"]);
    if (o.apiVersion !== API_VERSION) fail("apiVersion", `must be ${JSON.stringify(API_VERSION)}, got ${JSON.stringify(o.apiVersion)}`);
    if (o.kind !== KIND) fail("kind", `must be ${JSON.stringify(KIND)}, got ${JSON.stringify(o.kind)}`);
    const noMatch = oneOf(o.noMatch, "noMatch", ["deny", "allow"] as const);
    const policies = list(o.policies, "policies", true).map((p, i) => policy(p, `policies[${i}]`));
    const names = new Set<string>();
    policies.forEach((p, i) => {
        if (names.has(p.name)) fail(`policies[${i}].name`, `duplicate policy name ${JSON.stringify(p.name)}`);
        names.add(p.name);
    });
    return { noMatch, policies };
}
