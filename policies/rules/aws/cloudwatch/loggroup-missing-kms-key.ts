import * as aws from "@pulumi/aws";
import { UNKNOWN, resourceRule, typeToken } from "../../../framework/rule";
import { isAiResource } from "../../../framework/values";

export const LOG_GROUP_TYPE = typeToken(aws.cloudwatch.LogGroup);

export const cloudwatchLogGroupMissingKmsKey = resourceRule({
    name: "aws-cloudwatch-loggroup-missing-kms-key",
    description:
        "CloudWatch log groups of AI resources (tagged with the asset-kind tag) must be encrypted with a customer-managed KMS key. Training, inference and audit logs can contain prompts, outputs and data samples that need the same protection as the data itself.",
    clauses: ["DV-2", "OM-2", "P5", "P12"],
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Set `kmsKeyId` on the `aws.cloudwatch.LogGroup` to the ARN of a customer-managed key whose key policy allows `logs.<region>.amazonaws.com` to use it.",
    url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
    settings: ["assetKindTagKey"],
    classes: [aws.cloudwatch.LogGroup],
    onUnknown: "Skips the check when the log group's tags are unknown; an unknown kmsKeyId (a key created in the same update) counts as set.",
    check: (r, { settings }) => {
        if (isAiResource(r.props, settings) !== true) return [];
        const key = r.props.kmsKeyId;
        if (key === UNKNOWN || (typeof key === "string" && key.length > 0)) return [];
        return [{ message: `AI log group "${r.name}" is not encrypted with a customer-managed KMS key (kmsKeyId)` }];
    },
});
