/**
 * Pure builders for {@link ModelStore}: bucket policies and lifecycle rules. Inputs are plain
 * strings so tests can call them directly; the component resolves outputs before calling.
 */
import type * as aws from "@pulumi/aws";
import type { PolicyDocument } from "./network-policies";

export type { PolicyDocument } from "./network-policies";

/** Denies any request to the bucket or its objects that is not over TLS 1.2+ (DV-2 / P5). */
export function tlsOnlyStatements(bucketArn: string): Record<string, unknown>[] {
    const resources = [bucketArn, `${bucketArn}/*`];
    return [
        {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: resources,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
            Sid: "DenyOutdatedTls",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: resources,
            Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
        },
    ];
}

/**
 * Policy of a data store: TLS only, and uploads must be SSE-KMS with exactly the store's key.
 *
 * Strict (default): an upload that omits the encryption headers is denied too (negated condition
 * operators match absent keys), so every writer states the key it uses. With
 * `allowPutWithoutKmsHeaders`, an added `Null: false` test limits both denials to requests that
 * carry the header, and the bucket's default encryption (the same key) applies to the rest.
 */
export function storeBucketPolicy(bucketArn: string, keyArn: string, allowPutWithoutKmsHeaders = false): PolicyDocument {
    const sse = "s3:x-amz-server-side-encryption";
    const keyId = "s3:x-amz-server-side-encryption-aws-kms-key-id";
    const onlyIfPresent = (key: string) => (allowPutWithoutKmsHeaders ? { Null: { [key]: "false" } } : {});
    return {
        Version: "2012-10-17",
        Statement: [
            ...tlsOnlyStatements(bucketArn),
            {
                Sid: "DenyUploadsNotEncryptedWithKms",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:PutObject",
                Resource: `${bucketArn}/*`,
                Condition: { StringNotEquals: { [sse]: "aws:kms" }, ...onlyIfPresent(sse) },
            },
            {
                Sid: "DenyUploadsWithAnotherKmsKey",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:PutObject",
                Resource: `${bucketArn}/*`,
                Condition: { StringNotEquals: { [keyId]: keyArn }, ...onlyIfPresent(keyId) },
            },
        ],
    };
}

/**
 * Policy of the access-log bucket: TLS only, and the S3 logging service may write only logs of the
 * named source bucket of this account (confused-deputy conditions).
 */
export function accessLogBucketPolicy(logBucketArn: string, sourceBucketArn: string, accountId: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            ...tlsOnlyStatements(logBucketArn),
            {
                Sid: "S3ServerAccessLogsDelivery",
                Effect: "Allow",
                Principal: { Service: "logging.s3.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: `${logBucketArn}/*`,
                Condition: {
                    ArnLike: { "aws:SourceArn": sourceBucketArn },
                    StringEquals: { "aws:SourceAccount": accountId },
                },
            },
        ],
    };
}

/** Lifecycle choices of a store (P13 disposal). */
export interface StoreLifecycle {
    /** Expire current objects this many days after creation (adds a delete marker). */
    readonly expireObjectsAfterDays?: number;
    /** Permanently delete versions this many days after they became noncurrent. */
    readonly expireNoncurrentVersionsAfterDays?: number;
}

/** Lifecycle rules: always abort incomplete multipart uploads after 7 days; expiry when asked. */
export function storeLifecycleRules(lifecycle: StoreLifecycle): aws.types.input.s3.BucketLifecycleConfigurationRule[] {
    const rules: aws.types.input.s3.BucketLifecycleConfigurationRule[] = [
        { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
    ];
    if (lifecycle.expireObjectsAfterDays !== undefined) {
        rules.push({ id: "expire-objects", status: "Enabled", filter: {}, expiration: { days: lifecycle.expireObjectsAfterDays } });
    }
    if (lifecycle.expireNoncurrentVersionsAfterDays !== undefined) {
        rules.push({
            id: "expire-noncurrent-versions",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: lifecycle.expireNoncurrentVersionsAfterDays },
            // Clean up delete markers left alone once their versions are gone; only one rule may expire.
            ...(lifecycle.expireObjectsAfterDays === undefined ? { expiration: { expiredObjectDeleteMarker: true } } : {}),
        });
    }
    return rules;
}
