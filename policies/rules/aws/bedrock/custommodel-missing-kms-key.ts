/** Bedrock custom models must be encrypted with a customer-managed KMS key. */
import * as aws from "@pulumi/aws";
import { resourceRule } from "../../../framework/rule";
import { skipsWhenUnknown, isKnownMissingKey } from "../../../framework/values";

export const bedrockCustomModelMissingKmsKey = resourceRule({
    name: "aws-bedrock-custommodel-missing-kms-key",
    description:
        "Bedrock custom models must set `customModelKmsKeyId`, so the fine-tuned weights (which embed the training data) are encrypted with a customer-managed KMS key the owner can audit and revoke to crypto-shred the model.",
    clauses: ["DV-2", "P5", "P13"],
    severity: "high",
    enforcementLevel: "mandatory",
    classes: [aws.bedrock.CustomModel],
    remediationSteps: "Set `customModelKmsKeyId` to a customer-managed KMS key with rotation enabled whose key policy lets the customization job's role use it.",
    url: "https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-custom-job.html",
    onUnknown: skipsWhenUnknown("`customModelKmsKeyId`"),
    check({ props }) {
        return isKnownMissingKey(props.customModelKmsKeyId) ? [{ message: "customModelKmsKeyId is not set to a customer-managed key; the custom model is encrypted with an AWS-owned key" }] : [];
    },
});
