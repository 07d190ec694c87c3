/** Secrets Manager secrets must be encrypted with a customer-managed KMS key. */
import * as aws from "@pulumi/aws";
import { resourceRule, type Finding } from "../../../framework/rule";
import { isAwsManagedKey, isKnownMissingKey, skipsWhenUnknown } from "../../../framework/values";

export const secretsmanagerSecretMissingKmsKey = resourceRule({
    name: "aws-secretsmanager-secret-missing-kms-key",
    description:
        "Secrets Manager secrets (model API keys, database passwords, registry credentials) must be encrypted with a customer-managed KMS key (`kmsKeyId`), not the AWS-managed `aws/secretsmanager` key. Only a key the owner controls lets its policy limit who can decrypt, and lets the secret be crypto-shredded at end of life.",
    clauses: ["DV-2", "P5", "P13"],
    severity: "medium",
    enforcementLevel: "mandatory",
    classes: [aws.secretsmanager.Secret],
    remediationSteps: "Set `kmsKeyId: key.arn` to a customer-managed `aws.kms.Key` with rotation enabled, whose key policy grants kms:Decrypt only to the roles that read the secret.",
    url: "https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html",
    onUnknown: skipsWhenUnknown("`kmsKeyId`"),
    check({ props }): Finding[] {
        if (!isKnownMissingKey(props.kmsKeyId)) return [];
        return [{ message: isAwsManagedKey(props.kmsKeyId) ? `kmsKeyId is the AWS-managed key ${JSON.stringify(props.kmsKeyId)}; use a customer-managed key` : "kmsKeyId is not set (the AWS-managed aws/secretsmanager key is used); set a customer-managed key" }];
    },
});
