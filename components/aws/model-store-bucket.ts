/**
 * Bucket hardening shared by {@link ModelStore}'s store and access-log buckets (DV-2 / P5): ACLs
 * disabled, every public-access block on, versioning, default encryption; and the access-log
 * bucket itself. Every resource is a direct child of the calling component.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accessLogBucketPolicy } from "./model-store-policies";
import { AssetKinds, assetTags, type AssetTags } from "./tags";

/** Default encryption of a bucket: SSE-KMS with a customer key, or SSE-S3 where AWS allows nothing else. */
export type BucketEncryption = { readonly kmsKeyArn: pulumi.Input<string> } | { readonly sseS3: true };

/** The hardening resources of one bucket. */
export interface BucketHardening {
    readonly ownership: aws.s3.BucketOwnershipControls;
    readonly publicAccessBlock: aws.s3.BucketPublicAccessBlock;
    readonly versioning: aws.s3.BucketVersioning;
    readonly encryption: aws.s3.BucketServerSideEncryptionConfiguration;
}

/** Adds ownership, public-access block, versioning and default encryption to `bucket`, named `<prefix>-<suffix>`. */
export function hardenBucket(parent: pulumi.Resource, prefix: string, bucket: aws.s3.Bucket, encryption: BucketEncryption): BucketHardening {
    const opts = { parent };
    const ownership = new aws.s3.BucketOwnershipControls(`${prefix}-ownership`, {
        bucket: bucket.id,
        // ACLs disabled: the bucket owner owns every object; access is decided by policies only.
        rule: { objectOwnership: "BucketOwnerEnforced" },
    }, opts);
    const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(`${prefix}-public-access-block`, {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
    }, opts);
    const versioning = new aws.s3.BucketVersioning(`${prefix}-versioning`, {
        bucket: bucket.id,
        versioningConfiguration: { status: "Enabled" },
    }, opts);
    const byDefault = "kmsKeyArn" in encryption
        ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: encryption.kmsKeyArn }
        : { sseAlgorithm: "AES256" };
    const sse = new aws.s3.BucketServerSideEncryptionConfiguration(`${prefix}-encryption`, {
        bucket: bucket.id,
        rules: [{
            applyServerSideEncryptionByDefault: byDefault,
            bucketKeyEnabled: "kmsKeyArn" in encryption,
            // Customer-provided keys (SSE-C) would put objects outside the key policy's control.
            blockedEncryptionTypes: ["SSE-C"],
        }],
    }, opts);
    return { ownership, publicAccessBlock, versioning, encryption: sse };
}

/** What the access-log bucket needs to know. */
export interface AccessLogBucketSpec {
    readonly assetTags: AssetTags;
    /** Days to keep access logs. */
    readonly retentionDays: number;
    /** The store bucket whose logs this bucket receives. */
    readonly sourceBucketArn: pulumi.Input<string>;
    readonly accountId: pulumi.Input<string>;
}

/** The access-log bucket and its hardening. */
export interface AccessLogBucket {
    readonly bucket: aws.s3.Bucket;
    readonly hardening: BucketHardening;
    readonly policy: aws.s3.BucketPolicy;
    readonly lifecycle: aws.s3.BucketLifecycleConfiguration;
}

/**
 * A hardened bucket for S3 server access logs of one store (OM-1 / P12).
 *
 * Encryption is SSE-S3 (AES256) on purpose: S3 server access logging can only deliver to a target
 * bucket whose default encryption is SSE-S3; default SSE-KMS on a target bucket is not supported
 * (AWS docs, "Enabling Amazon S3 server access logging": "You can use default bucket encryption on
 * the target bucket only if AES256 (SSE-S3) is selected"). The bucket does not log its own access:
 * that would be an endless loop of log records about log deliveries.
 */
export function buildAccessLogBucket(parent: pulumi.Resource, prefix: string, spec: AccessLogBucketSpec): AccessLogBucket {
    const opts = { parent };
    const bucket = new aws.s3.Bucket(prefix, {
        forceDestroy: false,
        tags: assetTags(spec.assetTags, AssetKinds.accessLogs),
    }, opts);
    const hardening = hardenBucket(parent, prefix, bucket, { sseS3: true });
    const policy = new aws.s3.BucketPolicy(`${prefix}-policy`, {
        bucket: bucket.id,
        policy: pulumi.all([bucket.arn, spec.sourceBucketArn, spec.accountId]).apply(([arn, source, account]) =>
            JSON.stringify(accessLogBucketPolicy(arn, source, account))),
    }, { parent, dependsOn: [hardening.publicAccessBlock, hardening.ownership] });
    const lifecycle = new aws.s3.BucketLifecycleConfiguration(`${prefix}-lifecycle`, {
        bucket: bucket.id,
        rules: [
            {
                id: "retain-access-logs",
                status: "Enabled",
                filter: {},
                expiration: { days: spec.retentionDays },
                noncurrentVersionExpiration: { noncurrentDays: 30 },
                abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
            },
        ],
    }, { parent, dependsOn: [hardening.versioning] });
    return { bucket, hardening, policy, lifecycle };
}
