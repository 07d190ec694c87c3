import * as aws from "@pulumi/aws";
import { stackRule } from "../../../framework/rule";
import { s3BucketOf } from "../../../framework/references";
import { checkResourcePolicies, RESOURCE_POLICY_ON_UNKNOWN } from "../resource-policies";
import { BUCKET_SCOPE_SETTINGS, bucketLabel } from "./buckets";

export const s3BucketDisallowPublicPolicy = stackRule({
    judges: [aws.s3.Bucket, aws.s3.BucketV2, aws.s3.BucketPolicy],
    name: "aws-s3-bucket-disallow-public-policy",
    description:
        "Bucket policies of S3 buckets in scope (by default every bucket) must not allow everyone (Principal \"*\", {\"AWS\": \"*\"} or an Allow with NotPrincipal) unless a Condition restricts the statement to an account, organisation, VPC, VPC endpoint, source resource or IP range other than the whole internet. A public grant publishes the models, datasets or captured prompts in the bucket, or lets anyone replace them.",
    clauses: ["DP-1", "DV-2", "P5", "P6"],
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Name the roles or accounts that need access in `Principal`, or restrict the statement with a Condition such as `StringEquals: { \"aws:SourceVpce\": \"vpce-...\" }` or `StringEquals: { \"aws:PrincipalOrgID\": \"o-...\" }`; serve public content through CloudFront with origin access control instead. Keep the bucket's public-access block on (`blockPublicPolicy`, `restrictPublicBuckets`), which makes S3 refuse such a policy.",
    url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status",
    settings: [...BUCKET_SCOPE_SETTINGS],
    onUnknown: RESOURCE_POLICY_ON_UNKNOWN,
    check: (resources, { settings }) =>
        checkResourcePolicies(resources, settings, {
            noun: "S3 bucket",
            holders: [aws.s3.Bucket, aws.s3.BucketV2],
            holderKeys: ["bucket", "id", "arn"],
            extract: s3BucketOf,
            label: bucketLabel,
            inlineProp: "policy",
            policyClass: aws.s3.BucketPolicy,
            policyRef: "bucket",
            policyProp: "policy",
        }),
});
