/** SageMaker notebook instance volumes must be encrypted with a customer-managed KMS key. */
import * as aws from "@pulumi/aws";
import { resourceRule } from "../../../framework/rule";
import { skipsWhenUnknown, isKnownMissingKey } from "../../../framework/values";

export const sagemakerNotebookMissingKmsKey = resourceRule({
    name: "aws-sagemaker-notebookinstance-missing-kms-key",
    description:
        "SageMaker notebook instances must set `kmsKeyId` so the ML storage volume holding notebooks, data samples and credentials is encrypted with a customer-managed KMS key the owner controls (and can revoke to crypto-shred it).",
    clauses: ["DV-2", "P5", "P13"],
    severity: "high",
    enforcementLevel: "mandatory",
    classes: [aws.sagemaker.NotebookInstance],
    remediationSteps: "Set `kmsKeyId` to the ARN or ID of a customer-managed KMS key with rotation enabled (e.g. aiguard's EncryptionKey component).",
    url: "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateNotebookInstance.html#sagemaker-CreateNotebookInstance-request-KmsKeyId",
    onUnknown: skipsWhenUnknown("`kmsKeyId`"),
    check({ props }) {
        return isKnownMissingKey(props.kmsKeyId) ? [{ message: "kmsKeyId is not set to a customer-managed key; the notebook volume is encrypted with an AWS-managed key only" }] : [];
    },
});
