/** Bedrock agents must be encrypted with a customer-managed KMS key. */
import * as aws from "@pulumi/aws";
import { resourceRule } from "../../../framework/rule";
import { skipsWhenUnknown, isKnownMissingKey } from "../../../framework/values";

export const bedrockAgentMissingKmsKey = resourceRule({
    name: "aws-bedrock-agentagent-missing-kms-key",
    description:
        "Bedrock agents must set `customerEncryptionKeyArn`, so the agent's instructions, prompts and session data are encrypted with a customer-managed KMS key.",
    clauses: ["DV-2", "P5", "P13"],
    severity: "medium",
    enforcementLevel: "mandatory",
    classes: [aws.bedrock.AgentAgent],
    remediationSteps: "Set `customerEncryptionKeyArn` to a customer-managed KMS key with rotation enabled that the agent's resource role may use.",
    url: "https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-agents.html",
    onUnknown: skipsWhenUnknown("`customerEncryptionKeyArn`"),
    check({ props }) {
        return isKnownMissingKey(props.customerEncryptionKeyArn) ? [{ message: "customerEncryptionKeyArn is not set to a customer-managed key; the agent is encrypted with an AWS-owned key" }] : [];
    },
});
