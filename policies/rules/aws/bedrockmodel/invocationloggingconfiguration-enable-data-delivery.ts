/** Bedrock model invocation logging must deliver prompts to a destination. */
import * as aws from "@pulumi/aws";
import { type Finding, UNKNOWN, resourceRule } from "../../../framework/rule";
import { get } from "../../../framework/values";
import { isKnownMissing } from "../../../framework/values";

/** Delivery flags that carry model inputs; each defaults to true in the provider. */
const INPUT_FLAGS = ["textDataDeliveryEnabled", "imageDataDeliveryEnabled"] as const;

export const bedrockInvocationLoggingEnableDataDelivery = resourceRule({
    name: "aws-bedrockmodel-invocationloggingconfiguration-enable-data-delivery",
    description:
        "Bedrock model invocation logging must name a destination (`loggingConfig.s3Config.bucketName` or `loggingConfig.cloudwatchConfig.logGroupName`) and must not turn off delivery of text or image data (`textDataDeliveryEnabled`, `imageDataDeliveryEnabled`, both true by default), so every prompt sent to a model is recorded for monitoring and investigation. Embedding and video delivery are left to the owner.",
    clauses: ["OM-2", "OM-1", "P12"],
    severity: "high",
    enforcementLevel: "mandatory",
    classes: [aws.bedrockmodel.InvocationLoggingConfiguration],
    remediationSteps:
        "Set `loggingConfig.cloudwatchConfig: { logGroupName, roleArn }` and/or `loggingConfig.s3Config: { bucketName }` pointing at KMS-encrypted destinations, and remove any `textDataDeliveryEnabled: false` / `imageDataDeliveryEnabled: false`.",
    url: "https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html",
    onUnknown: "Reports nothing for a delivery flag or destination name that is unknown at preview (a destination whose name is unknown counts as present); checked again at update.",
    check({ props }): Finding[] {
        const cfg = props.loggingConfig;
        if (cfg === UNKNOWN) return [];
        const findings: Finding[] = [];
        const s3 = get(cfg, "s3Config", "bucketName");
        const cw = get(cfg, "cloudwatchConfig", "logGroupName");
        if (isKnownMissing(s3) && isKnownMissing(cw)) findings.push({ message: "loggingConfig has no destination (s3Config.bucketName or cloudwatchConfig.logGroupName); invocations are not logged" });
        for (const flag of INPUT_FLAGS) {
            if (get(cfg, flag) === false) findings.push({ message: `loggingConfig.${flag} is false; those prompts are not logged` });
        }
        return findings;
    },
});
