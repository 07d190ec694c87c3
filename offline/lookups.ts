/**
 * Answers for provider functions (lookups: `aws.ec2.getAmi`, `aws.route53.getZone`, ...) in an
 * offline run: the user's answers file first (first matching entry), then the built-in answers
 * (AWS account, region, partition and zones of aws-mocks.ts; `kubernetes:yaml:decode`, which is
 * plain YAML parsing).
 */
import * as YAML from "yaml";
import { awsCallAnswers } from "./aws-mocks";

/** One entry of an answers file, its function already normalised to a token. */
export interface LookupAnswer {
    /** The provider function's token, e.g. `aws:ec2/getAmi:getAmi`. */
    readonly token: string;
    /** Argument values the call must have (a deep subset match); absent: any call. */
    readonly where?: Readonly<Record<string, unknown>>;
    /** What the function returns. */
    readonly result: Readonly<Record<string, unknown>>;
}

/** A call that had no answer (its arguments summarised for the note). */
export interface UnansweredLookup {
    readonly token: string;
    readonly inputs: Readonly<Record<string, string>>;
}

/** `aws.ec2.getAmi` / `aws.ec2.getAmiOutput` / `aws.getCallerIdentity` → a token; tokens pass through. */
export function functionToken(name: string): string {
    if (name.includes(":")) return name;
    const parts = name.split(".");
    const fn = parts.pop()!.replace(/Output$/, "");
    const [pkg, ...modules] = parts;
    return `${pkg}:${modules.length > 0 ? modules.join("/") : "index"}/${fn}:${fn}`;
}

/** `aws:ec2/getAmi:getAmi` → `aws.ec2.getAmi` (how programs spell it). */
export function functionName(token: string): string {
    const m = /^([^:]+):([^/:]+)\/([^:]+):([^:]+)$/.exec(token);
    if (!m) return token;
    return m[2] === "index" ? `${m[1]}.${m[4]}` : `${m[1]}.${m[2]!.replace(/\//g, ".")}.${m[4]}`;
}

export function describeUnanswered(token: string): string {
    return `provider function ${functionName(token)} (${token}) has no offline answer`;
}

function matches(where: unknown, actual: unknown): boolean {
    if (where === null || typeof where !== "object") return where === actual;
    if (Array.isArray(where)) return Array.isArray(actual) && where.length === actual.length && where.every((w, i) => matches(w, actual[i]));
    if (actual === null || typeof actual !== "object") return false;
    return Object.entries(where).every(([k, w]) => matches(w, (actual as Record<string, unknown>)[k]));
}

const builtIn: Record<string, (inputs: Record<string, unknown>) => Record<string, unknown> | undefined> = {
    ...awsCallAnswers,
    "kubernetes:yaml:decode": (inputs) =>
        typeof inputs.text === "string" ? { result: YAML.parseAllDocuments(inputs.text).map((d) => d.toJS()).filter((d) => d !== null && d !== undefined) } : undefined,
};

/** The answer for a call, or `undefined` when nobody answers it. */
export function answerLookup(token: string, inputs: Record<string, unknown>, answers: readonly LookupAnswer[]): Record<string, unknown> | undefined {
    const entry = answers.find((a) => a.token === token && (a.where === undefined || matches(a.where, inputs)));
    if (entry) return { ...entry.result };
    return builtIn[token]?.(inputs);
}

/** Lookups whose result is a set of resources (a rendered Helm chart): what is missing without them. */
export const RESOURCE_PRODUCING_LOOKUPS: Readonly<Record<string, string>> = {
    "kubernetes:helm:template": "a Helm chart rendered with `helm template`, which aiguard does not run offline",
};
