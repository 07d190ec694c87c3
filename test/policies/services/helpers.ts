/** Test helpers for the service rules: property bags, one-field edits, rule runners. */
import { expect } from "vitest";
import type { Finding, Rule, RuleResource } from "../../../policies/framework/rule";
import { DEFAULT_SETTINGS, type Settings } from "../../../common/settings";

export function urnOf(type: string, name: string): string {
    return `urn:pulumi:test::aiguard::${type}::${name}`;
}

export function res(type: string, name: string, props: Record<string, unknown>): RuleResource {
    return { type, name, urn: urnOf(type, name), props };
}

export function ctx(overrides: Partial<Settings> = {}): { settings: Settings } {
    return { settings: { ...DEFAULT_SETTINGS, ...overrides } };
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
