import * as aws from "@pulumi/aws";
import { UNKNOWN, typeToken, stackRule } from "../../../framework/rule";
import { BUCKET_CONFIG_ON_UNKNOWN, BUCKET_SCOPE_SETTINGS, checkBucketConfig, inlineSetting, notAccessLogTarget } from "./buckets";

export const s3BucketEnableAccessLogging = stackRule({
    judges: [aws.s3.Bucket, aws.s3.BucketV2],
    name: "aws-s3-bucket-enable-access-logging",
    description:
        "S3 buckets in scope (by default every bucket: models, datasets and captured inference data land in buckets that no tag announces) must deliver server access logs to a log bucket. Access records let operators detect and investigate theft or tampering of AI assets.",
    clauses: ["OM-1", "OM-2", "P12"],
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Add an `aws.s3.BucketLogging` for the bucket with `targetBucket` set to a dedicated access-log bucket (tagged `aiguard:asset-kind=access-logs`) and a `targetPrefix`.",
    url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html",
    settings: [...BUCKET_SCOPE_SETTINGS],
    onUnknown: BUCKET_CONFIG_ON_UNKNOWN,
    check: (resources, { settings }) =>
        checkBucketConfig(resources, settings, {
            types: [typeToken(aws.s3.BucketLogging), typeToken(aws.s3.BucketLoggingV2)],
            missing: "has no server access logging (aws.s3.BucketLogging)",
            judge: (c) => {
                const target = c.props.targetBucket;
                if (target === UNKNOWN) return UNKNOWN;
                return typeof target === "string" && target.length > 0 ? undefined : "access logging has no target bucket";
            },
            inline: inlineSetting("logging", (l) => {
                const target = l.props.targetBucket;
                if (target === UNKNOWN) return UNKNOWN;
                return typeof target === "string" && target.length > 0 ? undefined : "the bucket's inline logging has no target bucket";
            }),
            applies: notAccessLogTarget,
        }),
});
