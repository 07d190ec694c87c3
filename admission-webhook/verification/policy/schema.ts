/**
 * Structural validation of a raw (parsed YAML/JSON) trust policy document: a JSON schema checked
 * with ajv (types, required fields, enums, unknown fields), then the relations a schema states
 * badly (exactly one of two fields, operator/values, unique names) in code. Every error is a
 * {@link PolicyLoadError} naming the field path (`policies[0].authorities[1].keyless.issuer`) and
 * the fix. Unknown fields are rejected so that typos (`subjectRegex`) never weaken a policy.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
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

const NON_EMPTY = { type: "string", pattern: "\\S" } as const;
/** An optional string; `null` (YAML `issuer:` with no value) counts as absent. */
const OPTIONAL = { type: ["string", "null"], pattern: "\\S" } as const;
const FLAG = { type: "boolean" } as const;
const DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
const OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist"] as const;
const FORMATS = ["legacy", "bundle"] as const;

const SELECTOR = {
    type: "object",
    additionalProperties: false,
    properties: {
        matchLabels: { type: "object", additionalProperties: { type: "string", description: "must be a string (quote numbers and booleans)" } },
        matchExpressions: {
            type: "array",
            items: {
                type: "object",
                additionalProperties: false,
                required: ["key", "operator"],
                properties: { key: NON_EMPTY, operator: { enum: OPERATORS }, values: { type: "array", items: NON_EMPTY } },
            },
        },
    },
} as const;

const AUTHORITY = {
    type: "object",
    additionalProperties: false,
    required: ["name"],
    properties: {
        name: NON_EMPTY,
        key: { type: "object", additionalProperties: false, required: ["pem"], properties: { pem: NON_EMPTY, ignoreTlog: FLAG } },
        keyless: {
            type: "object",
            additionalProperties: false,
            properties: { issuer: OPTIONAL, issuerRegExp: OPTIONAL, subject: OPTIONAL, subjectRegExp: OPTIONAL, ignoreTlog: FLAG, ignoreSct: FLAG },
        },
    },
} as const;

const POLICY = {
    type: "object",
    additionalProperties: false,
    required: ["name", "mode", "namespaceSelector", "images", "authorities"],
    properties: {
        name: { type: "string", allOf: [{ pattern: "\\S" }, { pattern: DNS_LABEL, description: "must be a DNS label (lowercase letters, digits, '-')" }] },
        mode: { enum: ["enforce", "warn"] },
        namespaceSelector: SELECTOR,
        images: { type: "array", minItems: 1, items: NON_EMPTY },
        authorities: { type: "array", minItems: 1, items: AUTHORITY },
        trustedRoot: { type: ["object", "string"], pattern: "\\S" },
        signatureFormats: { type: "array", minItems: 1, items: { enum: FORMATS } },
    },
} as const;

/** The trust policy document's JSON schema (POLICY.md describes the same fields). */
export const TRUST_POLICY_SCHEMA = {
    type: "object",
    additionalProperties: false,
    required: ["apiVersion", "kind", "noMatch", "policies"],
    properties: {
        apiVersion: { const: API_VERSION },
        kind: { const: KIND },
        noMatch: { enum: ["deny", "allow"] },
        policies: { type: "array", minItems: 1, items: POLICY },
    },
} as const;

/** What a missing required field is told, when more than "is required" helps. */
const REQUIRED_HINTS: Readonly<Record<string, string>> = {
    namespaceSelector: "is required: use `{}` to select every namespace, or matchLabels/matchExpressions",
};

let compiled: ValidateFunction | undefined;

function fail(path: string, message: string): never {
    throw new PolicyLoadError("schema", path, message);
}

/** `/policies/0/namespaceSelector/matchLabels/a~1b` → `policies[0].namespaceSelector.matchLabels.a/b` (indexes only inside lists). */
function fieldPath(pointer: string, doc: unknown): string {
    let path = "";
    let node: unknown = doc;
    for (const raw of pointer.split("/").slice(1)) {
        const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
        path = Array.isArray(node) ? `${path}[${seg}]` : path === "" ? seg : `${path}.${seg}`;
        node = typeof node === "object" && node !== null ? (node as Record<string, unknown>)[seg] : undefined;
    }
    return path;
}

type Schema = { readonly type?: string | readonly string[]; readonly enum?: readonly string[]; readonly const?: string; readonly description?: string; readonly properties?: Record<string, Schema> };

/** The message for the first ajv error, in the words the hand-written validator used. */
function explain(e: ErrorObject, doc: unknown): { path: string; message: string } {
    const at = fieldPath(e.instancePath, doc);
    const parent = (e.parentSchema ?? {}) as Schema;
    const join = (name: string) => (at === "" ? name : `${at}.${name}`);
    switch (e.keyword) {
        case "additionalProperties":
            return { path: join(String(e.params.additionalProperty)), message: `unknown field: remove it (allowed here: ${Object.keys(parent.properties ?? {}).join(", ")})` };
        case "required": {
            const name = String(e.params.missingProperty);
            const field = parent.properties?.[name] ?? {};
            const message = REQUIRED_HINTS[name]
                ?? (field.enum ? `is required: set it to one of ${field.enum.join(" | ")}` : field.const !== undefined ? `must be ${JSON.stringify(field.const)}, got undefined` : field.type === "array" ? "must be a list" : "is required");
            return { path: join(name), message };
        }
        case "const":
            return { path: at, message: `must be ${JSON.stringify(e.params.allowedValue)}, got ${JSON.stringify(e.data)}` };
        case "enum":
            return { path: at, message: `must be one of ${(e.params.allowedValues as string[]).join(" | ")}, got ${JSON.stringify(e.data)}` };
        case "minItems":
            return { path: at, message: "must not be empty" };
        case "pattern":
            return { path: at, message: parent.description ?? "must be a non-empty string" };
        case "type": {
            const types = [parent.type ?? []].flat();
            const message = parent.description
                ?? (types.includes("object") ? "must be an object" : types.includes("array") ? "must be a list" : types.includes("boolean") ? "must be true or false" : "must be a non-empty string");
            return { path: at, message };
        }
        default:
            return { path: at, message: e.message ?? "is invalid" };
    }
}

type Obj = Record<string, unknown>;
type Parsed = { apiVersion: string; kind: string; noMatch: NoMatchBehaviour; policies: Array<Obj & { name: string; mode: PolicyMode; images: string[]; authorities: Obj[]; namespaceSelector: Obj }> };

function selector(value: Obj, path: string): LabelSelector {
    const matchLabels = { ...((value.matchLabels as Record<string, string> | undefined) ?? {}) };
    const matchExpressions = ((value.matchExpressions as Array<{ key: string; operator: LabelSelectorRequirement["operator"]; values?: string[] }> | undefined) ?? []).map((r, i) => {
        const values = r.values ?? [];
        const p = `${path}.matchExpressions[${i}].values`;
        if ((r.operator === "In" || r.operator === "NotIn") && values.length === 0) fail(p, `must not be empty for operator ${r.operator}`);
        if ((r.operator === "Exists" || r.operator === "DoesNotExist") && values.length > 0) fail(p, `must be empty for operator ${r.operator}`);
        return { key: r.key, operator: r.operator, values };
    });
    return { matchLabels, matchExpressions };
}

const present = (v: unknown): v is string => typeof v === "string";

function authority(o: Obj, path: string): RawAuthority {
    const name = o.name as string;
    if ((o.key === undefined) === (o.keyless === undefined)) fail(path, "must have exactly one of `key` or `keyless`");
    if (o.key !== undefined) {
        const k = o.key as { pem: string; ignoreTlog?: boolean };
        return { name, key: { pem: k.pem, ignoreTlog: k.ignoreTlog ?? false } };
    }
    const p = `${path}.keyless`;
    const k = o.keyless as { issuer?: string | null; issuerRegExp?: string | null; subject?: string | null; subjectRegExp?: string | null; ignoreTlog?: boolean; ignoreSct?: boolean };
    if (present(k.issuer) === present(k.issuerRegExp)) fail(p, "must have exactly one of `issuer` or `issuerRegExp`");
    if (present(k.subject) === present(k.subjectRegExp)) fail(p, "must have exactly one of `subject` or `subjectRegExp`");
    return {
        name,
        keyless: {
            ...(present(k.issuer) ? { issuer: k.issuer } : { issuerRegExp: k.issuerRegExp! }),
            ...(present(k.subject) ? { subject: k.subject } : { subjectRegExp: k.subjectRegExp! }),
            ignoreTlog: k.ignoreTlog ?? false,
            ignoreSct: k.ignoreSct ?? false,
        },
    };
}

function unique(names: readonly string[], at: (i: number) => string, what: string): void {
    const seen = new Set<string>();
    names.forEach((n, i) => {
        if (seen.has(n)) fail(at(i), `duplicate ${what} name ${JSON.stringify(n)}`);
        seen.add(n);
    });
}

/** Validates the document's structure; throws {@link PolicyLoadError} with code `schema`. */
export function validateDocument(value: unknown): RawDocument {
    const validate = (compiled ??= new Ajv({ allErrors: false, strict: true, allowUnionTypes: true, verbose: true }).compile(TRUST_POLICY_SCHEMA));
    if (!validate(value)) {
        const { path, message } = explain(validate.errors![0]!, value);
        fail(path, message);
    }
    const doc = value as Parsed;
    const policies = doc.policies.map((o, i): RawPolicy => {
        const path = `policies[${i}]`;
        const authorities = o.authorities.map((a, j) => authority(a, `${path}.authorities[${j}]`));
        unique(authorities.map((a) => a.name), (j) => `${path}.authorities[${j}].name`, "authority");
        const formats = (o.signatureFormats as SignatureFormat[] | undefined) ?? ["legacy", "bundle"];
        return {
            name: o.name,
            mode: o.mode,
            namespaceSelector: selector(o.namespaceSelector, `${path}.namespaceSelector`),
            images: o.images,
            authorities,
            ...(o.trustedRoot !== undefined ? { trustedRoot: o.trustedRoot as string | Record<string, unknown> } : {}),
            signatureFormats: [...new Set(formats)],
        };
    });
    unique(policies.map((p) => p.name), (i) => `policies[${i}].name`, "policy");
    return { noMatch: doc.noMatch, policies };
}
