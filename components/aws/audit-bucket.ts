/**
 * The trail's own log bucket for {@link AuditTrail}, built inline (not through the model-store
 * component) because its policy is CloudTrail-specific: SSE-KMS with the audit key, versioning,
 * all four public-access blocks, ACLs disabled, TLS-only, CloudTrail writes scoped to the one
 * trail, a retention lifecycle that keeps every version for the retention period, and S3 server
 * access logging (to a hardened access-log bucket of its own unless one is given).
 */
import * as aws from "@pulumi/aws";
import { hardenBucket } from "./hardened-bucket";
import * as pulumi from "@pulumi/pulumi";
import { trailBucketPolicy, type TrailContext } from "./audit-policies";
import { buildAccessLogBucket } from "./model-store-bucket";
import type { AssetTags } from "./tags";

export interface TrailBucketArgs {
    readonly keyArn: pulumi.Input<string>;
    readonly retentionDays: number;
    readonly tags: Record<string, string>;
    readonly context: pulumi.Output<TrailContext>;
    /** Bucket receiving S3 server access logs of this bucket. Default: a hardened access-log bucket is created. */
    readonly accessLogsBucket?: pulumi.Input<string>;
    /** Inventory tags of the access-log bucket created by default. */
    readonly assetTags: AssetTags;
}

export interface TrailBucket {
    readonly bucket: aws.s3.Bucket;
    /** The resources CloudTrail's delivery checks depend on (the trail waits for them). */
    readonly readiness: pulumi.Resource[];
}

/** Creates the bucket and its settings as children of `parent`, named `${name}-bucket[-<setting>]`. */
export function createTrailBucket(name: string, parent: pulumi.Resource, args: TrailBucketArgs): TrailBucket {
    const opts = { parent };
    const bucket = new aws.s3.Bucket(`${name}-bucket`, { forceDestroy: false, tags: args.tags }, opts);
    const { publicAccessBlock: pab, ownership, encryption, versioning } = hardenBucket(parent, `${name}-bucket`, bucket, { kmsKeyArn: args.keyArn });
    new aws.s3.BucketLifecycleConfiguration(`${name}-bucket-lifecycle`, {
        bucket: bucket.id,
        rules: [{
            id: "retain-audit-logs",
            status: "Enabled",
            filter: {},
            expiration: { days: args.retentionDays },
            noncurrentVersionExpiration: { noncurrentDays: args.retentionDays },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        }],
    }, { parent, dependsOn: [versioning] });
    const policy = new aws.s3.BucketPolicy(`${name}-bucket-policy`, {
        bucket: bucket.id,
        policy: pulumi.jsonStringify(pulumi.all([bucket.arn, args.context]).apply(([arn, c]) => trailBucketPolicy(arn, c))),
    }, { parent, dependsOn: [pab] });
    // Who read or deleted audit logs is itself audit evidence (OM-1 / P12): access logging is on by default.
    const target = args.accessLogsBucket ?? buildAccessLogBucket(parent, `${name}-bucket-access-logs`, {
        assetTags: args.assetTags,
        retentionDays: args.retentionDays,
        sourceBucketArn: bucket.arn,
        accountId: args.context.apply((c) => c.accountId),
    }).bucket.id;
    new aws.s3.BucketLogging(`${name}-bucket-logging`, {
        bucket: bucket.id,
        targetBucket: target,
        targetPrefix: pulumi.interpolate`${bucket.id}/`,
    }, opts);
    return { bucket, readiness: [policy, pab, ownership, encryption, versioning] };
}
