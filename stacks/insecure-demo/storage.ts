/**
 * The demo's S3 stores and their backup, declared the way teams get them wrong:
 *  - a dataset bucket with none of the hardening (no SSE-KMS, versioning, public-access block,
 *    ownership controls, TLS-only policy or access logs), `forceDestroy` on and a public-read ACL,
 *    left out of the backup selection;
 *  - a released-model bucket that is otherwise hardened but was created without object lock;
 *  - an AWS Backup vault with no customer key and no vault lock, and a plan that never copies its
 *    recovery points anywhere offline.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { TagKeys } from "../../common/conventions";
import { aiTags } from "./tags";

export interface DemoStorage {
    readonly datasets: aws.s3.Bucket;
    readonly releasedModels: aws.s3.Bucket;
    readonly accessLogs: aws.s3.Bucket;
}

/** Physical bucket names (fixed so that findings are easy to read). */
export const DemoBuckets = {
    datasets: "acme-training-datasets",
    releasedModels: "acme-released-models",
    accessLogs: "acme-s3-access-logs",
} as const;

/** A bucket policy that denies everything not sent over TLS (what the dataset bucket lacks). */
function denyInsecureTransport(bucketArn: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [bucketArn, `${bucketArn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        }],
    });
}

/** Buckets: one bare dataset store, one released-model store without object lock, one log bucket. */
export function buildStorage(keyArn: pulumi.Input<string>): DemoStorage {
    // "Public-ish" dataset bucket: nobody added the bucket-level resources @pulumi/aws v7 splits out.
    const datasets = new aws.s3.Bucket("datasets", {
        bucket: DemoBuckets.datasets,
        forceDestroy: true,
        tags: aiTags("dataset-store"),
    });
    new aws.s3.BucketAcl("datasets-acl", { bucket: datasets.id, acl: "public-read" });

    const accessLogs = new aws.s3.Bucket("access-logs", { bucket: DemoBuckets.accessLogs, tags: aiTags("access-logs") });

    // Released models: hardened in every way except object lock, which can only be set at creation.
    const releasedModels = new aws.s3.Bucket("released-models", {
        bucket: DemoBuckets.releasedModels,
        tags: aiTags("model-store", { [TagKeys.releasedModels]: "true" }),
    });
    new aws.s3.BucketServerSideEncryptionConfiguration("released-models-sse", {
        bucket: releasedModels.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn }, bucketKeyEnabled: true }],
    });
    new aws.s3.BucketVersioning("released-models-versioning", {
        bucket: releasedModels.id,
        versioningConfiguration: { status: "Enabled" },
    });
    new aws.s3.BucketPublicAccessBlock("released-models-pab", {
        bucket: releasedModels.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
    });
    new aws.s3.BucketOwnershipControls("released-models-ownership", {
        bucket: releasedModels.id,
        rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    new aws.s3.BucketPolicy("released-models-policy", {
        bucket: releasedModels.id,
        policy: releasedModels.arn.apply(denyInsecureTransport),
    });
    new aws.s3.BucketLogging("released-models-logging", {
        bucket: releasedModels.id,
        targetBucket: accessLogs.bucket,
        targetPrefix: `${DemoBuckets.releasedModels}/`,
    });
    return { datasets, releasedModels, accessLogs };
}

/** Backups of the released models only, to an unlocked vault with an AWS-owned key and no offline copy. */
export function buildBackups(storage: DemoStorage, backupRoleArn: pulumi.Input<string>): void {
    const vault = new aws.backup.Vault("model-backups", { tags: aiTags("backup") });
    const plan = new aws.backup.Plan("model-backup-plan", {
        rules: [{
            ruleName: "daily",
            targetVaultName: vault.name,
            schedule: "cron(0 5 * * ? *)",
            lifecycle: { deleteAfter: 14 },
        }],
        tags: aiTags("backup"),
    });
    new aws.backup.Selection("model-backup-selection", {
        planId: plan.id,
        iamRoleArn: backupRoleArn,
        resources: [storage.releasedModels.arn],
    });
}
