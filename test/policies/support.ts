/**
 * The one set of helpers for calling rules directly, as the adapter would after unwrapping the
 * SDK's proxy: plain property bags (inputs for resource rules, outputs for stack rules, `UNKNOWN`
 * for preview-time unknowns), one-field edits, rule runners and exact-finding assertions.
 */
import { expect } from "vitest";
import { TagKeys } from "../../common/conventions";
import { DEFAULT_SETTINGS, type Settings } from "../../common/settings";
import type { Finding, Rule, RuleResource } from "../../policies/framework/rule";

/** A resource whose props tests may edit in place. */
export interface Res extends RuleResource {
    props: Record<string, any>;
}

export function urnOf(type: string, name: string): string {
    return `urn:pulumi:dev::aiguard::${type}::${name}`;
}

export function res(type: string, name: string, props: Record<string, any>): Res {
    return { type, name, urn: urnOf(type, name), props };
}

export function ctx(overrides: Partial<Settings> = {}): { settings: Settings } {
    return { settings: { ...DEFAULT_SETTINGS, ...overrides } };
}

/** Tags of a governed AI resource of the given asset kind. */
export function aiTags(kind: string, more: Record<string, string> = {}): Record<string, string> {
    return { [TagKeys.owner]: "ml-platform", [TagKeys.dataClassification]: "confidential", [TagKeys.assetKind]: kind, ...more };
}

/** Runs a rule: resource rules get one resource, stack rules the whole list. */
export function run(rule: Rule, subject: Res | readonly Res[], settings: Settings = DEFAULT_SETTINGS): readonly Finding[] {
    if (rule.kind === "resource") {
        if (Array.isArray(subject)) throw new Error(`${rule.name} is a resource rule: pass one resource`);
        return rule.check(subject as Res, { settings });
    }
    return rule.check(Array.isArray(subject) ? subject : [subject as Res], { settings });
}

/** Asserts exactly these findings: each a message substring and, for stack rules, the URN. */
export function expectFindings(found: readonly Finding[], expected: readonly { message: string; urn?: string }[]): void {
    expect(found).toHaveLength(expected.length);
    expected.forEach((e, i) => {
        expect(found[i]!.message).toContain(e.message);
        if (e.urn !== undefined) expect(found[i]!.urn).toBe(e.urn);
    });
}

/** Index of a stack by logical name, for edits. */
export function named(stack: readonly Res[]): Record<string, Res> {
    return Object.fromEntries(stack.map((r) => [r.name, r]));
}

/** Deep copy with the value at `path` (dots, `[i]` indices) replaced; `undefined` deletes it. */
export function withField<T>(obj: T, path: string, value: unknown): T {
    const copy = structuredCloneWithSymbols(obj) as any;
    const keys = path.replace(/\[(\d+)\]/g, ".$1").split(".");
    let cur = copy;
    for (const k of keys.slice(0, -1)) {
        if (cur[k] === undefined) cur[k] = {};
        cur = cur[k];
    }
    const last = keys[keys.length - 1];
    if (value === undefined) delete cur[last];
    else cur[last] = value;
    return copy;
}

/** structuredClone cannot copy symbols (UNKNOWN); this copies plain data and keeps symbols. */
function structuredCloneWithSymbols(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(structuredCloneWithSymbols);
    if (v && typeof v === "object") {
        const o: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) o[k] = structuredCloneWithSymbols(x);
        return o;
    }
    return v;
}

/** Runs a resource rule on one resource. */
export function runResource(rule: Rule, type: string, props: Record<string, unknown>, settings: Partial<Settings> = {}): readonly Finding[] {
    if (rule.kind !== "resource") throw new Error(`${rule.name} is not a resource rule`);
    expect(rule.resourceTypes).toContain(type);
    return rule.check(res(type, "subject", props), ctx(settings));
}

/** Runs a stack rule on a stack. */
export function runStack(rule: Rule, resources: readonly RuleResource[], settings: Partial<Settings> = {}): readonly Finding[] {
    if (rule.kind !== "stack") throw new Error(`${rule.name} is not a stack rule`);
    return rule.check(resources, ctx(settings));
}

/** Asserts exactly one finding whose message contains every given substring (and the URN, if given). */
export function expectOne(findings: readonly Finding[], substrings: readonly string[], urn?: string): void {
    expect(findings, JSON.stringify(findings)).toHaveLength(1);
    for (const s of substrings) expect(findings[0].message).toContain(s);
    if (urn !== undefined) expect(findings[0].urn).toBe(urn);
}

export const DIGEST = "sha256:" + "a".repeat(64);
export const ECR = "123456789012.dkr.ecr.eu-west-2.amazonaws.com";
export const PINNED = `${ECR}/models/llm@${DIGEST}`;
