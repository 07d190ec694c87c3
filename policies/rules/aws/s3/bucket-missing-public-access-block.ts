import * as aws from "@pulumi/aws";
import { UNKNOWN, typeToken, stackRule } from "../../../framework/rule";
import { checkBucketConfig } from "./buckets";

const FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

export const s3BucketMissingPublicAccessBlock = stackRule({
    judges: [aws.s3.Bucket, aws.s3.BucketV2],
    name: "aws-s3-bucket-missing-public-access-block",
    description:
        "S3 buckets holding models, datasets or captured inference data must have a public-access block with all four settings true. This stops any ACL or bucket policy from exposing AI assets to the internet.",
    clauses: ["DP-1", "DV-2", "P5", "P6"],
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Add an `aws.s3.BucketPublicAccessBlock` for the bucket with `blockPublicAcls`, `blockPublicPolicy`, `ignorePublicAcls` and `restrictPublicBuckets` all set to `true`.",
    url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
    settings: ["assetKindTagKey", "aiDataStoreKinds"],
    onUnknown:
        "Skips a bucket while its tags, its name or any of the four block settings are unknown; the pack re-runs at update time when the values are known.",
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
