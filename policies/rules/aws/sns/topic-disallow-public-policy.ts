import * as aws from "@pulumi/aws";
import { stackRule } from "../../../framework/rule";
import { checkResourcePolicies, labelBy, RESOURCE_POLICY_ON_UNKNOWN } from "../resource-policies";

export const snsTopicDisallowPublicPolicy = stackRule({
    judges: [aws.sns.Topic, aws.sns.TopicPolicy],
    name: "aws-sns-topic-disallow-public-policy",
    description:
        "SNS topics in scope (by default every topic; AI topics are tagged or carry SageMaker asynchronous inference notifications) must not have a policy that allows everyone (Principal \"*\", {\"AWS\": \"*\"} or an Allow with NotPrincipal) unless a Condition restricts the statement to an account, organisation, VPC endpoint or source resource. Anyone could subscribe to inference results and events, or publish forged ones.",
    clauses: ["DP-1", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Name the publishing service or account in `Principal` (e.g. `{ Service: \"s3.amazonaws.com\" }`) and restrict it with `StringEquals: { \"aws:SourceAccount\": \"<account-id>\" }` or `ArnLike: { \"aws:SourceArn\": \"<source ARN>\" }`; for subscribers, name their accounts or use `aws:PrincipalOrgID`.",
    url: "https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html#ensure-topics-not-publicly-accessible",
    settings: ["scope", "assetKindTagKey"],
    onUnknown: RESOURCE_POLICY_ON_UNKNOWN,
    check: (resources, { settings }) =>
        checkResourcePolicies(resources, settings, {
            noun: "SNS topic",
            holders: [aws.sns.Topic],
            holderKeys: ["arn", "id"],
            label: labelBy("name"),
            inlineProp: "policy",
            policyClass: aws.sns.TopicPolicy,
            policyRef: "arn",
            policyProp: "policy",
        }),
});
