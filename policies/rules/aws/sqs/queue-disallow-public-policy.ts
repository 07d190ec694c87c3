import * as aws from "@pulumi/aws";
import { stackRule } from "../../../framework/rule";
import { checkResourcePolicies, labelBy, RESOURCE_POLICY_ON_UNKNOWN } from "../resource-policies";

export const sqsQueueDisallowPublicPolicy = stackRule({
    judges: [aws.sqs.Queue, aws.sqs.QueuePolicy],
    name: "aws-sqs-queue-disallow-public-policy",
    description:
        "SQS queues in scope (by default every queue; AI queues are those tagged as AI assets) must not have a policy that allows everyone (Principal \"*\", {\"AWS\": \"*\"} or an Allow with NotPrincipal) unless a Condition restricts the statement to an account, organisation, VPC endpoint or source resource. Queues feed inference and data pipelines: anyone could read the requests and documents in them or inject their own.",
    clauses: ["DP-1", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Name the sending service or account in `Principal` and restrict it with `ArnEquals: { \"aws:SourceArn\": \"<topic or bucket ARN>\" }` or `StringEquals: { \"aws:SourceAccount\": \"<account-id>\" }`; for consumers, name their roles or use `aws:PrincipalOrgID`.",
    url: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-security-best-practices.html#ensure-queues-not-publicly-accessible",
    settings: ["scope", "assetKindTagKey"],
    onUnknown: RESOURCE_POLICY_ON_UNKNOWN,
    check: (resources, { settings }) =>
        checkResourcePolicies(resources, settings, {
            noun: "SQS queue",
            holders: [aws.sqs.Queue],
            holderKeys: ["url", "id", "arn"],
            label: labelBy("name"),
            inlineProp: "policy",
            policyClass: aws.sqs.QueuePolicy,
            policyRef: "queueUrl",
            policyProp: "policy",
        }),
});
