/** Bedrock guardrails must be encrypted with a customer-managed KMS key. */
import * as aws from "@pulumi/aws";
import { resourceRule } from "../../../framework/rule";
import { skipsWhenUnknown, isKnownMissingKey } from "../../../framework/values";

export const bedrockGuardrailMissingKmsKey = resourceRule({
    name: "aws-bedrock-guardrail-missing-kms-key",
    description:
        "Bedrock guardrails must set `kmsKeyArn`, so the guardrail's policies (denied topics, word lists, sensitive-information patterns, which describe exactly what the system must not do) are encrypted with a customer-managed KMS key whose use is logged and restricted.",
    clauses: ["DV-2", "P5"],
    severity: "medium",
    enforcementLevel: "mandatory",
    classes: [aws.bedrock.Guardrail],
    remediationSteps: "Set `kmsKeyArn` to a customer-managed KMS key with rotation enabled whose key policy allows Bedrock for this account only.",
    url: "https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-permissions-kms.html",
    onUnknown: skipsWhenUnknown("`kmsKeyArn`"),
    check({ props }) {
        return isKnownMissingKey(props.kmsKeyArn) ? [{ message: "kmsKeyArn is not set to a customer-managed key; the guardrail is encrypted with an AWS-owned key" }] : [];
    },
});
