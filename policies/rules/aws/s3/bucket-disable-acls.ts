import * as aws from "@pulumi/aws";
import { UNKNOWN, typeToken, stackRule } from "../../../framework/rule";
import { get } from "../../../framework/values";
import { BUCKET_CONFIG_ON_UNKNOWN, BUCKET_SCOPE_SETTINGS, checkBucketConfig } from "./buckets";

export const s3BucketDisableAcls = stackRule({
    judges: [aws.s3.Bucket, aws.s3.BucketV2],
    name: "aws-s3-bucket-disable-acls",
    description:
        "S3 buckets in scope (by default every bucket: models, datasets and captured inference data land in buckets that no tag announces) must disable ACLs with the BucketOwnerEnforced object ownership. Access is then governed by IAM and bucket policies alone, and no uploader keeps ownership of an AI asset.",
    clauses: ["DP-1", "DV-2", "P5", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Add an `aws.s3.BucketOwnershipControls` for the bucket with `rule: { objectOwnership: \"BucketOwnerEnforced\" }`.",
    url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html",
    settings: [...BUCKET_SCOPE_SETTINGS],
    onUnknown: BUCKET_CONFIG_ON_UNKNOWN,
    check: (resources, { settings }) =>
        checkBucketConfig(resources, settings, {
            types: [typeToken(aws.s3.BucketOwnershipControls)],
            missing: "has no ownership controls (aws.s3.BucketOwnershipControls with BucketOwnerEnforced)",
            judge: (c) => {
                const ownership = get(c.props, "rule", "objectOwnership");
                if (ownership === UNKNOWN) return UNKNOWN;
                return ownership === "BucketOwnerEnforced" ? undefined : `object ownership is ${JSON.stringify(ownership ?? null)}, not "BucketOwnerEnforced" (ACLs stay enabled)`;
            },
        }),
});
