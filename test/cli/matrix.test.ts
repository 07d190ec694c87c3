/**
 * The compliance matrix model, the rule applicability it rests on, the controls table, and the
 * policy-config normalisation (in process, no pack).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { normalisePolicyConfig } from "../../cli/evaluation/policy-config";
import type { CheckResult } from "../../cli/evaluation/result";
import { UsageError } from "../../cli/errors";
import { applies, subjectOf } from "../../cli/report/applicability";
import { CONTROLS, NOT_ENFORCEABLE } from "../../cli/report/controls";
import { buildMatrix } from "../../cli/report/matrix";
import type { AnalyzerInfo, PolicyMetadata } from "../../offline/analyzer-client";
import { RULES } from "../../policies/catalogue";
import { CLAUSES } from "../../common/clauses";
import { record } from "../harness";
import { buildInsecureDemo } from "../../stacks/insecure-demo/demo";
import { REPO_ROOT } from "./support";

describe("rule applicability", () => {
    it("resolves every rule of the catalogue, and every rule applies to the insecure demo (which breaks them all)", async () => {
        const demo = await record(() => buildInsecureDemo(), { project: "insecure-demo", stack: "dev" });
        const types = new Set(demo.resources.filter((r) => r.custom).map((r) => r.type));
        for (const rule of RULES) {
            expect(subjectOf(rule.name), rule.name).toBeDefined();
            expect(applies(rule.name, types), rule.name).toBe(true);
        }
    });

    it("takes each rule's subjects from what the rule declares (the pack's rule manifest)", () => {
        expect(applies("aws-s3-bucket-enable-versioning", new Set(["aws:s3/bucketV2:BucketV2"]))).toBe(true);
        expect(applies("aws-s3-bucket-enable-versioning", new Set(["aws:s3/bucketPolicy:BucketPolicy"]))).toBe(false);
        // The rule judges a route table's inline routes too: reading its name ("route") said otherwise.
        expect(applies("aws-ec2-route-disallow-training-internet-route", new Set(["aws:ec2/routeTable:RouteTable"]))).toBe(true);
        expect(applies("aws-ec2-route-disallow-training-internet-route", new Set(["aws:ec2/vpc:Vpc"]))).toBe(false);
        expect(applies("aws-tags-resource-missing-required-tags", new Set(["aws:sns/topic:Topic"]))).toBe(true);
        expect(applies("aws-tags-resource-missing-required-tags", new Set(["kubernetes:core/v1:Namespace"]))).toBe(false);
        expect(applies("kubernetes-core-pod-disallow-privileged", new Set(["kubernetes:batch/v1:CronJob"]))).toBe(true);
        expect(applies("aws-kms-key-enable-rotation", new Set(["aws:kms/keyPolicy:KeyPolicy"]))).toBe(false);
        expect(subjectOf("some-other-packs-policy")).toBeUndefined();
    });
});

describe("controls and organisational clauses", () => {
    it("cites, in each control's file header, every clause the table lists", () => {
        for (const c of CONTROLS) {
            const header = fs.readFileSync(path.join(REPO_ROOT, c.path), "utf8").split("*/")[0]!;
            for (const id of c.clauses) expect(header, `${c.path} ${id}`).toMatch(new RegExp(`\\b${id}\\b`));
        }
    });

    it("explains every clause marked not enforceable, and only those", () => {
        expect(Object.keys(NOT_ENFORCEABLE).sort()).toEqual(CLAUSES.filter((c) => !c.enforceable).map((c) => c.id).sort());
    });
});

const policy = (name: string, clauses: string[], extra: Partial<PolicyMetadata> = {}): PolicyMetadata => ({
    name,
    description: `${name} description.`,
    type: "resource",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "fix it",
    url: "",
    tags: [...clauses.map((c) => `clause:${c}`), "aiguard"],
    ...extra,
});

function result(partial: Partial<CheckResult>): CheckResult {
    return {
        target: { kind: "program", path: ".", project: "p", stack: "s", root: "/repo" },
        mode: "preview",
        unseen: [],
        pack: { name: "aiguard", version: "0.1.0" },
        policies: [],
        levels: {},
        resourceTypes: [],
        findings: [],
        exemptions: [],
        notes: [],
        durationMs: 1,
        ...partial,
    };
}

describe("matrix statuses", () => {
    it("takes each clause's worst rule, and tells pass from not applicable by the stack's resources", () => {
        const m = buildMatrix(
            result({
                policies: [policy("aws-kms-key-enable-rotation", ["DV-2", "P11"]), policy("aws-eks-cluster-disallow-public-endpoint", ["DP-1", "P6"]), policy("aws-kms-key-configure-deletion-window", ["DV-2", "P13"])],
                levels: { "aws-kms-key-configure-deletion-window": "advisory" },
                resourceTypes: ["aws:kms/key:Key"],
                findings: [{ rule: "aws-kms-key-configure-deletion-window", level: "advisory", severity: "high", message: "m", clauses: ["DV-2", "P13"], urn: "u", resourceType: "aws:kms/key:Key", resourceName: "k" }],
            }),
        );
        const status = (id: string) => m.clauses.find((c) => c.clause.id === id)!.status;
        expect(status("DV-2")).toBe("warn");
        expect(status("P11")).toBe("pass");
        expect(status("DP-1")).toBe("not-applicable");
        expect(status("SD-1")).toBe("not-enforceable");
        expect(status("OM-2")).toBe("no-rule");
        expect(m.clauses.find((c) => c.clause.id === "DV-2")!.rules.map((r) => [r.name, r.status])).toEqual([
            ["aws-kms-key-configure-deletion-window", "warn"],
            ["aws-kms-key-enable-rotation", "pass"],
        ]);
        expect(m.totals["not-enforceable"]).toBe(9);
        expect(m.stages.reduce((n, s) => n + s.total, 0)).toBe(CLAUSES.length);
    });
});

describe("policy config", () => {
    const info: AnalyzerInfo = {
        name: "aiguard",
        version: "0.1.0",
        supportsConfig: true,
        policies: [
            policy("a-rule", ["DP-1"], { configSchema: { properties: { allowedRegistries: { type: "array", items: { type: "string" } }, exemptions: { type: "array" } }, required: [] } }),
            policy("b-rule", ["DP-1"], { configSchema: { properties: { exemptions: { type: "array" } }, required: [] } }),
        ],
    };

    it("spreads the aiguard block over the policies that declare each setting and adds its exemptions to each policy's own", () => {
        const e1 = { name: "x", justification: "a justification long enough" };
        const e2 = { name: "y", justification: "another justification here" };
        expect(normalisePolicyConfig({ all: "advisory", aiguard: { allowedRegistries: ["ghcr.io/acme"], exemptions: [e1] }, "b-rule": { enforcementLevel: "mandatory", exemptions: [e2] } }, info)).toEqual({
            "a-rule": { enforcementLevel: "advisory", allowedRegistries: ["ghcr.io/acme"], exemptions: [e1] },
            "b-rule": { enforcementLevel: "mandatory", exemptions: [e1, e2] },
        });
        expect(normalisePolicyConfig({ "a-rule": "disabled" }, info)).toEqual({ "a-rule": { enforcementLevel: "disabled" } });
    });

    it("rejects unknown settings, bad levels and values the schema forbids", () => {
        expect(() => normalisePolicyConfig({ aiguard: { allowedRegistry: [] } }, info)).toThrow('"aiguard.allowedRegistry" is not a setting of any policy (did you mean "allowedRegistries"?)');
        expect(() => normalisePolicyConfig({ all: "strict" }, info)).toThrow('enforcement level "strict" is not one of advisory, mandatory, remediate, disabled');
        expect(() => normalisePolicyConfig({ "a-rule": { allowedRegistries: "ghcr.io" } }, info)).toThrow(UsageError);
        expect(() => normalisePolicyConfig({ "b-rule": { allowedRegistries: [] } }, info)).toThrow('--config for policy "b-rule": (value) must NOT have additional properties ("allowedRegistries")');
    });
});
