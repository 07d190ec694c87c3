/**
 * The hardening every aiguard bucket gets (DV-2 / P5): ACLs disabled, every public-access block on,
 * versioning, default encryption with SSE-C uploads blocked. Shared by the model stores, their
 * access-log buckets and the audit trail's bucket. Every resource is a child of `parent`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

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
