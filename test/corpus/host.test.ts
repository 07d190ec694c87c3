/**
 * What the program host records for corpus programs, before any policy runs: the engine's view of
 * a first preview (unknowns, dependencies) versus an update, provider default tags in `tagsAll`,
 * closure serialization, answers.
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { UNKNOWN_STRING } from "../../common/unknown";
import { readAnswersFile } from "../../cli/evaluation/answers-file";
import { resolveProgram, runProgram } from "../../cli/evaluation/program";
import type { RecordedResource } from "../../offline/recorded";
import { PROGRAMS } from "./support";

const one = (rs: readonly RecordedResource[], type: string, name: string) => {
    const hit = rs.filter((r) => r.type === type && r.name === name);
    expect(hit, `${type} ${name}`).toHaveLength(1);
    return hit[0]!;
};

describe("program host", () => {
    it("preview: computed outputs are the unknown sentinel, references carry propertyDependencies; update: known", async () => {
        const target = resolveProgram(path.join(PROGRAMS, "static-site-async"));
        const preview = await runProgram(target, "preview", []);
        const bucket = one(preview.resources, "aws:s3/bucket:Bucket", "site-bucket");
        expect(bucket.id).toBeUndefined();
        expect(bucket.outputs).toMatchObject({ arn: UNKNOWN_STRING, bucket: "site-bucket-0a1b2c3" });
        const policy = one(preview.resources, "aws:s3/bucketPolicy:BucketPolicy", "site-policy");
        expect(policy.inputs).toMatchObject({ bucket: UNKNOWN_STRING, policy: UNKNOWN_STRING });
        expect(policy.propertyDependencies).toMatchObject({ bucket: [bucket.urn], policy: [bucket.urn] });
        expect(policy.dependencies).toEqual(expect.arrayContaining([bucket.urn]));
        // Project config default (Pulumi.yaml `config:`) reached the program.
        expect(one(preview.resources, "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration", "site").inputs).toMatchObject({ indexDocument: { suffix: "index.html" } });

        const update = await runProgram(target, "update", []);
        const policyAfter = one(update.resources, "aws:s3/bucketPolicy:BucketPolicy", "site-policy");
        expect(policyAfter.inputs.bucket).toBe("site-bucket-0a1b2c3");
        expect(String(policyAfter.inputs.policy)).toContain("arn:aws:s3:::site-bucket-0a1b2c3/*");
    });

    it("aws:defaultTags are merged under the resource's tags into tagsAll; inline callbacks are serialized", async () => {
        const run = await runProgram(resolveProgram(path.join(PROGRAMS, "serverless-inline")), "preview", []);
        expect(one(run.resources, "aws:s3/bucket:Bucket", "uploads").outputs.tagsAll).toEqual({ CostCenter: "ml-42", Owner: "data-team", Name: "uploads" });
        expect(one(run.resources, "aws:dynamodb/table:Table", "index").outputs.tagsAll).toEqual({ CostCenter: "ml-42", Owner: "data-team" });
        // Types without tags get none (the provider's schema has no tagsAll for them).
        const attachments = run.resources.filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
        expect(attachments.length).toBeGreaterThan(0);
        for (const a of attachments) expect(a.outputs.tagsAll).toBeUndefined();
        const fn = one(run.resources, "aws:lambda/function:Function", "on-upload");
        expect(JSON.stringify(fn.inputs.code)).toContain("indexing ${records.length} objects");
    });

    it("an answers file answers lookups; without one they are recorded as unanswered and the values unknown", async () => {
        const target = resolveProgram(path.join(PROGRAMS, "lookups-ec2"));
        const bare = await runProgram(target, "preview", []);
        expect(one(bare.resources, "aws:ec2/instance:Instance", "web").inputs.ami).toBe(UNKNOWN_STRING);
        expect([...new Set(bare.unanswered.map((u) => u.token))].sort()).toEqual(["aws:ec2/getAmi:getAmi", "aws:ec2/getVpc:getVpc", "aws:route53/getZone:getZone"]);
        const answered = await runProgram(target, "preview", readAnswersFile(path.join(PROGRAMS, "lookups-ec2", "answers.yaml")));
        expect(one(answered.resources, "aws:ec2/instance:Instance", "web").inputs.ami).toBe("ami-0c1a7f89451184c8b");
        expect(one(answered.resources, "aws:ec2/securityGroup:SecurityGroup", "web-sg").inputs.vpcId).toBe("vpc-0a1b2c3d");
        expect(answered.unanswered).toEqual([]);
    });
});
