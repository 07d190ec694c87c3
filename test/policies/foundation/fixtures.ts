/**
 * Plain property bags for calling rules directly, as the adapter would after unwrapping the SDK's
 * proxy: inputs for resource rules, outputs for stack rules, `UNKNOWN` for preview-time unknowns.
 */
import { expect } from "vitest";
import type { Finding, Rule, RuleResource } from "../../../policies/framework/rule";
import { DEFAULT_SETTINGS, type Settings } from "../../../common/settings";
import { TagKeys } from "../../../common/conventions";

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
