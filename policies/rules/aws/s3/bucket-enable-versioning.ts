import * as aws from "@pulumi/aws";
import { UNKNOWN, typeToken, stackRule } from "../../../framework/rule";
import { get } from "../../../framework/values";
import { BUCKET_CONFIG_ON_UNKNOWN, BUCKET_SCOPE_SETTINGS, checkBucketConfig, inlineSetting } from "./buckets";

export const s3BucketEnableVersioning = stackRule({
    judges: [aws.s3.Bucket, aws.s3.BucketV2],
    name: "aws-s3-bucket-enable-versioning",
    description:
        "S3 buckets in scope (by default every bucket: models, datasets and captured inference data land in buckets that no tag announces) must have versioning enabled. Versions let an owner track every change to an AI asset and recover from overwrites or deletions.",
    clauses: ["DV-2", "DP-3", "P5"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Add an `aws.s3.BucketVersioning` for the bucket with `versioningConfiguration: { status: \"Enabled\" }`.",
    url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html",
    settings: [...BUCKET_SCOPE_SETTINGS],
    onUnknown: BUCKET_CONFIG_ON_UNKNOWN,
    check: (resources, { settings }) =>
        checkBucketConfig(resources, settings, {
            types: [typeToken(aws.s3.BucketVersioning), typeToken(aws.s3.BucketVersioningV2)],
            missing: "has no versioning configuration (aws.s3.BucketVersioning with status Enabled)",
            judge: (c) => {
                const status = get(c.props, "versioningConfiguration", "status");
                if (status === UNKNOWN) return UNKNOWN;
                return status === "Enabled" ? undefined : `versioning status is ${JSON.stringify(status ?? null)}, not "Enabled"`;
            },
            inline: inlineSetting("versioning", (v) => {
                const enabled = v.props.enabled;
                if (enabled === UNKNOWN) return UNKNOWN;
                return enabled === true ? undefined : "the bucket's inline versioning is not enabled";
            }),
        }),
});
