/**
 * The pack's per-request memoization (deserialized and normalised properties shared by every policy
 * of a request) must not change a single diagnostic: on a multi-replica stack with seeded
 * violations, the pack over the analyzer protocol reports exactly what each rule reports when run
 * in-process on plain property bags.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { platformSlice, syntheticStack, type SyntheticStack } from "../../bench/synthetic-stack";
import { RunningPack, type AnalyzerResourceInput } from "../../offline/analyzer-client";
import { RULES } from "../../policies/catalogue";
import type { Rule, RuleResource } from "../../policies/framework/rule";
import { DEFAULT_SETTINGS } from "../../common/settings";

let pack: RunningPack;
let stack: SyntheticStack;

beforeAll(async () => {
    [pack, stack] = await Promise.all([RunningPack.start(), platformSlice().then((slice) => syntheticStack(slice, 600, { violatingEvery: 2 }))]);
    await pack.client.configure({});
}, 180_000);

afterAll(async () => {
    await pack?.stop();
});

/** A diagnostic as the SDK words it: the policy's description, a newline, the finding and its clause IDs. */
const line = (rule: Rule, urn: string, message: string) => `${rule.name} | ${urn} | ${rule.description}\n${message} [${rule.clauses.join(", ")}]`;
const plain = (r: AnalyzerResourceInput): RuleResource => ({ type: r.type, name: r.name, urn: r.urn, parent: r.parent, props: JSON.parse(JSON.stringify(r.properties)) });
const byName = new Map(RULES.map((r) => [r.name, r]));

describe("memoized pack = rules run in-process", () => {
    it("AnalyzeStack reports exactly the stack rules' findings", async () => {
        const resources = stack.resources.map((r) => plain(r.output));
        const expected = RULES.flatMap((rule) => (rule.kind === "stack" ? rule.check(resources, { settings: DEFAULT_SETTINGS }).filter((f) => !f.undecided).map((f) => line(rule, f.urn ?? "", f.message)) : []));
        const got = (await pack.client.analyzeStack(stack.resources.map((r) => r.output))).filter((d) => byName.has(d.policyName)).map((d) => line(byName.get(d.policyName)!, d.urn, d.message.slice(d.message.indexOf("\n") + 1).replace(/ \[[^\]]*\]$/, "")));
        expect(expected.length).toBeGreaterThan(20);
        expect(got.sort()).toEqual(expected.sort());
    });

    it("Analyze reports exactly the resource rules' findings, resource by resource", async () => {
        const expected: string[] = [];
        const got: string[] = [];
        for (const r of stack.resources) {
            const resource = plain(r.input);
            for (const rule of RULES) {
                if (rule.kind !== "resource" || !rule.resourceTypes.includes(r.input.type)) continue;
                for (const f of rule.check(resource, { settings: DEFAULT_SETTINGS })) expected.push(line(rule, r.input.urn, f.message));
            }
            for (const d of await pack.client.analyze(r.input)) got.push(line(byName.get(d.policyName)!, r.input.urn, d.message.slice(d.message.indexOf("\n") + 1).replace(/ \[[^\]]*\]$/, "")));
        }
        expect(expected.length).toBeGreaterThan(0);
        expect(got.sort()).toEqual(expected.sort());
    });
});
