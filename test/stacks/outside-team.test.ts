/**
 * Stacks written by a team that never read aiguard's conventions, through the running pack exactly
 * as the Pulumi CLI drives it: no aiguard tags, references as outputs.
 *  - The defects the issue measured on such a stack (an unencrypted force-destroy bucket, `*` on
 *    `*`, AdministratorAccess on the SageMaker execution role, a log group kept one day) are found.
 *  - The insecure demo with every aiguard tag and label stripped keeps every finding of the tagged
 *    demo, except those that only a tag can decide (listed below with the reason).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunningPack } from "../../offline/analyzer-client";
import { evaluate } from "../../offline/evaluate";
import type { RecordedResource } from "../../offline/recording-mocks";
import { buildInsecureDemo } from "../../stacks/insecure-demo/demo";
import { record } from "../harness";

let pack: RunningPack;
beforeAll(async () => {
    pack = await RunningPack.start();
}, 120_000);
afterAll(async () => pack?.stop());

const key = (d: { policyName: string; urn: string }) => `${d.policyName}|${d.urn.slice(d.urn.lastIndexOf("::") + 2)}`;

/** A SageMaker training setup as a team might write it from the AWS docs: no aiguard tags anywhere. */
function teamStack(): void {
    const data = new aws.s3.Bucket("training-data", { forceDestroy: true, tags: { team: "ml" } });
    const role = new aws.iam.Role("sagemaker-exec", {
        assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
    });
    new aws.iam.RolePolicyAttachment("sagemaker-admin", { role: role.name, policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" });
    new aws.iam.Policy("everything", { policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }) });
    new aws.cloudwatch.LogGroup("training-logs", { name: "/aws/sagemaker/TrainingJobs", retentionInDays: 1 });
    new aws.sagemaker.Model("classifier", {
        executionRoleArn: role.arn,
        primaryContainer: { image: "123456789012.dkr.ecr.eu-west-2.amazonaws.com/classifier@sha256:" + "a".repeat(64), modelDataUrl: pulumi.interpolate`s3://${data.bucket}/model.tar.gz` },
    });
}

describe("a stack written without aiguard's conventions", () => {
    it("has every measured defect reported, each on the resource at fault", async () => {
        const run = await record(() => teamStack(), { project: "team-ml", stack: "dev" });
        const found = new Set((await evaluate(pack, run.resources)).mandatory.map(key));
        for (const expected of [
            "aws-s3-bucket-missing-kms-encryption|training-data",
            "aws-s3-bucket-disallow-force-destroy|training-data",
            "aws-s3-bucket-enable-versioning|training-data",
            "aws-s3-bucket-enable-object-lock|training-data",
            "aws-iam-policy-disallow-wildcard-permissions|everything",
            "aws-iam-role-disallow-admin-policies|sagemaker-admin",
            "aws-iam-role-missing-confused-deputy-condition|sagemaker-exec",
            "aws-cloudwatch-loggroup-configure-retention|training-logs",
            "aws-cloudwatch-loggroup-missing-kms-key|training-logs",
            // Recognised as AI assets from use, so the inventory tags are required of them too.
            "aws-tags-resource-missing-required-tags|training-data",
            "aws-tags-resource-missing-required-tags|sagemaker-exec",
        ]) expect(found, expected).toContain(expected);
    }, 60_000);
});

/** The same resources with every `aiguard:*` tag and `aiguard.io/*` label removed, inputs and outputs. */
function stripAiguard(resources: readonly RecordedResource[]): RecordedResource[] {
    const strip = (v: unknown): unknown => {
        if (Array.isArray(v)) return v.map(strip);
        if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith("aiguard:") && !k.startsWith("aiguard.io/")).map(([k, x]) => [k, strip(x)]));
        return v;
    };
    return resources.map((r) => ({ ...r, inputs: strip(r.inputs) as Record<string, unknown>, outputs: strip(r.outputs) as Record<string, unknown> }));
}

/** Findings only a tag or label can decide on the demo, and why. */
const ONLY_BY_TAG: Record<string, string> = {
    "aws-ec2-vpc-disallow-training-inference-connection|training-to-inference": "no AI service runs in the inference VPC, so only its tag says it is the inference network",
    "aws-ec2-route-disallow-training-inference-route|training-to-inference-route": "the same: the inference VPC is known only by its tag",
    "aws-ec2-securitygroup-disallow-training-inference-reference|training-from-inference": "the same: the inference security group is known only by its tag",
    "aws-tags-resource-missing-required-tags|model-images": "the finding is about the repository's partial aiguard tags, which are stripped",
    "kubernetes-networking-networkpolicy-missing-default-deny|models-ns": "its workloads request no accelerator and run no known model server: only the label makes it a model namespace",
    "kubernetes-admissionregistration-validatingwebhookconfiguration-missing-image-admission|models-ns": "the same: only the label makes it a model namespace",
    "kubernetes-core-namespace-enforce-pod-security-restricted|models-ns": "the same: only the label makes it a model namespace",
};

describe("the insecure demo without any aiguard tag or label", () => {
    it("keeps every finding of the tagged demo except those only a tag can decide", async () => {
        const run = await record(() => buildInsecureDemo(), { project: "insecure-demo", stack: "dev" });
        const tagged = new Set((await evaluate(pack, run.resources)).diagnostics.map(key));
        const untagged = new Set((await evaluate(pack, stripAiguard(run.resources))).diagnostics.map(key));
        const lost = [...tagged].filter((k) => !untagged.has(k)).sort();
        expect(lost).toEqual(Object.keys(ONLY_BY_TAG).sort());
        expect(tagged.size).toBeGreaterThan(90);
    }, 60_000);
});
