/**
 * The access-log bucket of a {@link ModelStore} (hardening from ./hardened-bucket). Every resource
 * is a direct child of the calling component.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { hardenBucket, type BucketHardening } from "./hardened-bucket";
import { accessLogBucketPolicy } from "./model-store-policies";
import { AssetKinds, assetTags, type AssetTags } from "./tags";

export { hardenBucket, type BucketEncryption, type BucketHardening } from "./hardened-bucket";

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
