import * as aws from "@pulumi/aws";
import { stackRule, type Finding } from "../../../framework/rule";
import { BUCKET_SCOPE_SETTINGS, judgedBuckets } from "./buckets";

export const s3BucketDisallowForceDestroy = stackRule({
    judges: [aws.s3.Bucket, aws.s3.BucketV2],
    name: "aws-s3-bucket-disallow-force-destroy",
    description:
        "S3 buckets in scope (by default every bucket: models, datasets and captured inference data land in buckets that no tag announces) must not set forceDestroy. With forceDestroy a stack deletion silently erases every object and version, bypassing the owner's disposal process.",
    clauses: ["DV-2", "DP-3", "P5", "P13"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Remove `forceDestroy: true` from the bucket (the default is `false`). Dispose of AI data deliberately: empty the bucket with a reviewed procedure, or schedule deletion of its KMS key.",
    url: "https://www.pulumi.com/registry/packages/aws/api-docs/s3/bucket/#forcedestroy_nodejs",
    settings: [...BUCKET_SCOPE_SETTINGS],
    onUnknown: "An unknown forceDestroy is not reported (it is an input the program writes, known at preview unless computed from another resource); the pack re-runs at update time when the value is known.",
    check: (resources, { settings }): Finding[] =>
        judgedBuckets(resources, settings)
            .filter((b) => b.resource.props.forceDestroy === true)
            .map((b) => ({ message: `S3 bucket "${b.name}" sets forceDestroy: true`, urn: b.resource.urn })),
});
