import * as aws from "@pulumi/aws";
import { UNKNOWN, typeToken, stackRule } from "../../../framework/rule";
import { BUCKET_CONFIG_ON_UNKNOWN, BUCKET_SCOPE_SETTINGS, checkBucketConfig } from "./buckets";

const FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

export const s3BucketMissingPublicAccessBlock = stackRule({
    judges: [aws.s3.Bucket, aws.s3.BucketV2],
    name: "aws-s3-bucket-missing-public-access-block",
    description:
        "S3 buckets in scope (by default every bucket: models, datasets and captured inference data land in buckets that no tag announces) must have a public-access block with all four settings true. This stops any ACL or bucket policy from exposing AI assets to the internet.",
    clauses: ["DP-1", "DV-2", "P5", "P6"],
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Add an `aws.s3.BucketPublicAccessBlock` for the bucket with `blockPublicAcls`, `blockPublicPolicy`, `ignorePublicAcls` and `restrictPublicBuckets` all set to `true`.",
    url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
    settings: [...BUCKET_SCOPE_SETTINGS],
    onUnknown: BUCKET_CONFIG_ON_UNKNOWN,
    check: (resources, { settings }) =>
        checkBucketConfig(resources, settings, {
            types: [typeToken(aws.s3.BucketPublicAccessBlock)],
            missing: "has no public-access block (aws.s3.BucketPublicAccessBlock)",
            judge: (c) => {
                if (FLAGS.some((f) => c.props[f] === UNKNOWN)) return UNKNOWN;
                const off = FLAGS.filter((f) => c.props[f] !== true);
                return off.length === 0 ? undefined : `public-access block does not set ${off.join(", ")} to true`;
            },
        }),
});
