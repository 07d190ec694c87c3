/**
 * `aiguard check --from`: realistic `pulumi preview --json` and `pulumi stack export` documents
 * (fixtures/README.md), evaluated by the real pack; and the document reader itself.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as Sarif from "sarif";
import { beforeAll, describe, expect, it } from "vitest";
import { parsePlannedStack, parseSourcePosition } from "../../cli/evaluation/from-file";
import { UsageError } from "../../cli/errors";
import { UNKNOWN_STRING } from "../../common/unknown";
import { sarifErrors } from "./sarif-schema";
import { aiguard, FIXTURES, type CliRun } from "./support";

const preview = path.join(FIXTURES, "preview.json");
const exported = path.join(FIXTURES, "stack-export.json");
const config = path.join(FIXTURES, "policy-config.json");
const load = (f: string) => JSON.parse(fs.readFileSync(f, "utf8"));

describe("reading the documents", () => {
    it("takes a preview's planned resources: creates and updates, not deletes, providers or the stack", () => {
        const p = parsePlannedStack(load(preview));
        expect(p.kind).toBe("preview");
        expect([p.project, p.stack]).toEqual(["ml-platform", "prod"]);
        expect(p.resources.map((r) => r.name)).toEqual(["model-key", "sentiment", "public-demo-lb"]);
        const key = p.resources[0]!;
        expect(key.inputs.policy).toBe(UNKNOWN_STRING); // "[secret]"
        expect(key.outputs.arn).toBe(UNKNOWN_STRING); // computed at preview
        expect(p.resources[1]!.dependencies).toEqual(["urn:pulumi:prod::ml-platform::aws:kms/key:Key::model-key"]);
        expect(p.sources.get(key.urn)).toEqual({ file: "index.ts", line: 14, column: 17 });
        expect(p.notes).toEqual([
            "this preview lists only changed resources (3 unchanged left out); rules that relate resources (e.g. a bucket and its encryption configuration) see only the listed ones: run `pulumi preview --json --show-sames`",
        ]);
    });

    it("takes an export's resources with inputs and outputs, encrypted secrets as unknown", () => {
        const p = parsePlannedStack(load(exported));
        expect(p.kind).toBe("export");
        expect(p.resources.map((r) => [r.type, r.id])).toEqual([
            ["aws:kms/key:Key", "4f6c1a2b-8d3e-4f5a-9b6c-7d8e9f0a1b2c"],
            ["aws:sagemaker/model:Model", "sentiment-v3"],
            ["aws:ec2/securityGroup:SecurityGroup", "sg-0123abcd4567ef890"],
        ]);
        expect(p.resources[0]!.inputs.policy).toBe(UNKNOWN_STRING);
        expect(p.notes).toEqual(["1 encrypted secret value(s) were treated as unknown (model-key#policy); export with --show-secrets to let rules read them"]);
    });

    it("decodes plaintext secrets (--show-secrets) and keeps a --show-sames preview note-free", () => {
        const doc = load(exported);
        doc.deployment.resources[4].inputs.description = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext: '"shown"' };
        expect(parsePlannedStack(doc).resources[1]!.name).toBe("sentiment");
        expect(parsePlannedStack(doc).resources[2]!.inputs.description).toBe("shown");
        const withSames = load(preview);
        withSames.steps.push({ op: "same", urn: "urn:pulumi:prod::ml-platform::aws:s3/bucket:Bucket::b", newState: { urn: "urn:pulumi:prod::ml-platform::aws:s3/bucket:Bucket::b", type: "aws:s3/bucket:Bucket", custom: true, inputs: {} } });
        expect(parsePlannedStack(withSames).notes).toEqual([]);
    });

    it("refuses plans and unrelated documents with a usage error", () => {
        expect(() => parsePlannedStack({ resourcePlans: {} })).toThrow(UsageError);
        expect(() => parsePlannedStack({ resourcePlans: {} })).toThrow("is a deployment plan (pulumi preview --save-plan)");
        expect(() => parsePlannedStack([])).toThrow("is not Pulumi preview or stack-export JSON: it is not a JSON object");
        expect(() => parsePlannedStack({ version: 1, deployment: { resources: [] } })).toThrow("aiguard reads version 3 and later");
    });

    it("parses the engine's source positions", () => {
        expect(parseSourcePosition("project:///stacks/platform/index.ts#12,5")).toEqual({ file: "stacks/platform/index.ts", line: 12, column: 5 });
        expect(parseSourcePosition("project:///index.ts#3")).toEqual({ file: "index.ts", line: 3 });
        expect(parseSourcePosition("file:///abs/index.ts#3")).toBeUndefined();
        expect(parseSourcePosition(undefined)).toBeUndefined();
    });
});

describe("checking them with the pack", () => {
    let previewJson: CliRun;
    let exportWithConfig: CliRun;
    let previewSarif: CliRun;
    let fromStdin: CliRun;
    beforeAll(async () => {
        [previewJson, exportWithConfig, previewSarif, fromStdin] = await Promise.all([
            aiguard(["check", "--from", preview, "--format", "json"]),
            aiguard(["check", "--from", exported, "--config", config, "--format", "json"]),
            aiguard(["check", "--from", preview, "--format", "sarif"]),
            aiguard(["check", "--from", "-", "--format", "json"], { input: fs.readFileSync(exported, "utf8") }),
        ]);
    }, 300_000);

    const summary = (r: CliRun) => JSON.parse(r.stdout).findings.map((f: any) => [f.rule, f.resourceName, f.level]);

    it("finds exactly the planned violations of a preview", () => {
        expect(previewJson.code).toBe(1);
        expect(summary(previewJson).sort()).toEqual([
            ["aws-ec2-securitygroup-disallow-public-ingress", "public-demo-lb", "mandatory"],
            ["aws-kms-key-enable-rotation", "model-key", "mandatory"],
            ["aws-sagemaker-model-disallow-unapproved-registry", "sentiment", "mandatory"],
        ]);
        const doc = JSON.parse(previewJson.stdout);
        expect(doc.target).toMatchObject({ kind: "preview", path: preview, project: "ml-platform", stack: "prod", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
        expect(doc.findings.find((f: any) => f.rule === "aws-ec2-securitygroup-disallow-public-ingress").location).toEqual({ file: "network.ts", line: 8, column: 24 });
    });

    it("applies the config: a pack-wide registry setting and an exemption with its justification", () => {
        // ghcr.io/acme is allowed pack-wide; the public demo load balancer is exempted.
        expect(exportWithConfig.code).toBe(1);
        const doc = JSON.parse(exportWithConfig.stdout);
        expect(summary(exportWithConfig)).toEqual([["aws-kms-key-enable-rotation", "model-key", "mandatory"]]);
        expect(doc.exemptions).toEqual([
            {
                rule: "aws-ec2-securitygroup-disallow-public-ingress",
                urn: "urn:pulumi:prod::ml-platform::aws:ec2/securityGroup:SecurityGroup::public-demo-lb",
                resourceType: "aws:ec2/securityGroup:SecurityGroup",
                resourceName: "public-demo-lb",
                message: 'security group "public-demo-lb" allows ingress from 0.0.0.0/0 (tcp 443-443)',
                justification: "Public demo endpoint serving synthetic data only (RISK-142)",
                expires: "2099-12-31",
            },
        ]);
        expect(doc.summary).toMatchObject({ mandatory: 1, exempted: 1, resources: 3 });
    });

    it("reads stdin with --from -", () => {
        expect(fromStdin.code).toBe(1);
        expect(summary(fromStdin)).toHaveLength(3);
        expect(JSON.parse(fromStdin.stdout).target.kind).toBe("export");
    });

    it("points SARIF results at the resource's source line", () => {
        const log: Sarif.Log = JSON.parse(previewSarif.stdout);
        expect(sarifErrors(log)).toEqual([]);
        const r = log.runs[0]!.results!.find((x) => x.ruleId === "aws-kms-key-enable-rotation")!;
        expect(r.locations![0]!.physicalLocation).toEqual({ artifactLocation: { uri: "index.ts", uriBaseId: "%SRCROOT%" }, region: { startLine: 14, startColumn: 17 } });
        // Among the notes: that the project directory was not found (the fixture's project is not in this repository), and the pack's scope report.
        const notes = log.runs[0]!.properties!.notes as string[];
        expect(notes.some((n) => n.includes('no Pulumi.yaml naming project "ml-platform" was found'))).toBe(true);
        expect(notes.some((n) => n.includes('scope "all"'))).toBe(true);
    });
});
