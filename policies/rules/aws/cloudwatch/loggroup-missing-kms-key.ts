import * as aws from "@pulumi/aws";
import { eachInScope } from "../ai-assets";
import { UNKNOWN, stackRule, typeToken } from "../../../framework/rule";
import { isAwsManagedKey } from "../../../framework/values";

export const LOG_GROUP_TYPE = typeToken(aws.cloudwatch.LogGroup);

export const cloudwatchLogGroupMissingKmsKey = stackRule({
    name: "aws-cloudwatch-loggroup-missing-kms-key",
    description:
        "CloudWatch log groups in scope (by default every log group) must be encrypted with a customer-managed KMS key. Training, inference and audit logs can contain prompts, outputs and data samples that need the same protection as the data itself.",
    clauses: ["DV-2", "OM-2", "P5", "P12"],
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Set `kmsKeyId` on the `aws.cloudwatch.LogGroup` to the ARN of a customer-managed key whose key policy allows `logs.<region>.amazonaws.com` to use it.",
    url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
    settings: ["scope", "assetKindTagKey"],
    judges: [aws.cloudwatch.LogGroup],
    onUnknown: "An unknown kmsKeyId (a key created in the same update) counts as set.",
    check: (resources, { settings }) =>
        eachInScope(resources, settings, [aws.cloudwatch.LogGroup], (r, ai) => {
        const key = r.props.kmsKeyId;
        if (key === UNKNOWN || (typeof key === "string" && key.length > 0 && !isAwsManagedKey(key))) return [];
        return [{ message: `${ai ? "AI " : ""}log group "${r.name}" is not encrypted with a customer-managed KMS key (kmsKeyId)` }];
        }),
});
