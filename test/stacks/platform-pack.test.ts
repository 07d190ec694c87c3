/**
 * The example platform, run offline and evaluated by the real pack process over the analyzer
 * protocol (as `pulumi preview --policy-pack policies` would): no component default may violate
 * any rule, mandatory or advisory.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunningPack } from "../../offline/analyzer-client";
import { evaluate } from "../../offline/evaluate";
import { buildPlatform } from "../../stacks/platform/platform";
import { record } from "../harness";
import { PROJECT, stackConfig } from "./platform-config";

let pack: RunningPack;
beforeAll(async () => {
    pack = await RunningPack.start();
});
afterAll(async () => pack?.stop());

describe.each(["dev", "prod"])("example platform (%s) under the aiguard pack", (stack) => {
    it("has zero violations, mandatory or advisory", async () => {
        const { cfg, raw } = stackConfig(stack);
        const run = await record(() => buildPlatform(cfg), { project: PROJECT, stack, config: raw });
        const result = await evaluate(pack, run.resources);
        expect(result.resourceCount).toBeGreaterThan(140);
        expect(result.diagnostics.map((d) => `${d.policyName} ${d.urn}: ${d.message}`)).toEqual([]);
        // Nothing left undecided, and the scope report says what was judged: every resource (scope "all").
        expect(result.reports.filter((d) => d.policyName !== "aiguard-scope")).toEqual([]);
        expect(result.reports.map((d) => d.message).join("\n")).toMatch(/scope "all": every resource of a type a rule governs is judged/);
    });
});
