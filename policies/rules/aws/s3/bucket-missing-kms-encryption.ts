import * as aws from "@pulumi/aws";
import { UNKNOWN, typeToken, stackRule } from "../../../framework/rule";
import { asList, get, isAwsManagedKey } from "../../../framework/values";
import { BUCKET_CONFIG_ON_UNKNOWN, BUCKET_SCOPE_SETTINGS, checkBucketConfig, inlineSetting, notAccessLogTarget, type Verdict } from "./buckets";
import type { RuleResource } from "../../../framework/rule";

const TYPES = [
    typeToken(aws.s3.BucketServerSideEncryptionConfiguration),
    typeToken(aws.s3.BucketServerSideEncryptionConfigurationV2),
];
const KMS_ALGORITHMS: ReadonlySet<string> = new Set(["aws:kms", "aws:kms:dsse"]);

/** Compliant when some rule applies SSE-KMS by default with an explicit (customer-managed) key. */
export function judgeEncryption(config: RuleResource): Verdict {
    const rules = asList(config.props.rules ?? config.props.rule);
    if (rules === UNKNOWN) return UNKNOWN;
    let unknown = false;
    for (const r of rules) {
        const algorithm = get(r, "applyServerSideEncryptionByDefault", "sseAlgorithm");
        const key = get(r, "applyServerSideEncryptionByDefault", "kmsMasterKeyId");
        if (algorithm === UNKNOWN || key === UNKNOWN) unknown = true;
        else if (typeof algorithm === "string" && KMS_ALGORITHMS.has(algorithm) && typeof key === "string" && key.length > 0 && !isAwsManagedKey(key)) return undefined;
    }
    return unknown ? UNKNOWN : "default encryption is not SSE-KMS with a customer-managed key (sseAlgorithm aws:kms and kmsMasterKeyId)";
}

export const s3BucketMissingKmsEncryption = stackRule({
    judges: [aws.s3.Bucket, aws.s3.BucketV2],
    name: "aws-s3-bucket-missing-kms-encryption",
    description:
        "S3 buckets in scope (by default every bucket: models, datasets and captured inference data land in buckets that no tag announces) must encrypt objects by default with SSE-KMS under a customer-managed key. A key the owner controls makes access auditable and data disposal by crypto-shredding possible.",
    clauses: ["DV-2", "P5", "P13"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Add an `aws.s3.BucketServerSideEncryptionConfiguration` for the bucket with `rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: \"aws:kms\", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }]`, where `key` is an `aws.kms.Key` with rotation enabled.",
    url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
    settings: [...BUCKET_SCOPE_SETTINGS],
    onUnknown: BUCKET_CONFIG_ON_UNKNOWN,
    check: (resources, { settings }) =>
        checkBucketConfig(resources, settings, {
            types: TYPES,
            missing: "has no server-side encryption configuration with SSE-KMS (aws.s3.BucketServerSideEncryptionConfiguration)",
            judge: judgeEncryption,
            inline: inlineSetting("serverSideEncryptionConfiguration", judgeEncryption),
            applies: notAccessLogTarget,
        }),
});
