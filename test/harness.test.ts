import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { record, UnmockedCallError, MOCK_ACCOUNT_ID } from "./harness";

class Pair extends pulumi.ComponentResource {
    readonly bucketArn: pulumi.Output<string>;
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("test:index:Pair", name, {}, opts);
        const b = new aws.s3.Bucket(`${name}-bucket`, {}, { parent: this });
        new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: b.id, versioningConfiguration: { status: "Enabled" } }, { parent: this });
        this.bucketArn = b.arn;
        this.registerOutputs({ bucketArn: this.bucketArn });
    }
}

describe("offline harness", () => {
    it("records type, name, inputs and parent of every registration, including dependent ones", async () => {
        const run = await record(() => {
            const p = new Pair("p");
            return { arn: p.bucketArn };
        });
        expect(run.resources.map((r) => r.type)).toEqual(["test:index:Pair", "aws:s3/bucket:Bucket", "aws:s3/bucketVersioning:BucketVersioning"]);
        const comp = run.get("test:index:Pair", "p");
        expect(comp.custom).toBe(false);
        expect(run.childrenOf(comp.urn).map((r) => r.name).sort()).toEqual(["p-bucket", "p-versioning"]);
        expect(run.inputs("aws:s3/bucketVersioning:BucketVersioning", "p-versioning")).toEqual({
            bucket: "p-bucket-0a1b2c3",
            versioningConfiguration: { status: "Enabled" },
        });
        expect(await new Promise((r) => pulumi.output(run.result.arn).apply(r))).toBe("arn:aws:s3:::p-bucket-0a1b2c3");
    });

    it("answers the AWS identity data sources and fails loudly on any other call", async () => {
        const ok = await record(async () => (await aws.getCallerIdentity()).accountId);
        expect(ok.result).toBe(MOCK_ACCOUNT_ID);
        await expect(record(async () => aws.ec2.getAmi({ owners: ["amazon"], mostRecent: true }))).rejects.toBeInstanceOf(UnmockedCallError);
    });
});
