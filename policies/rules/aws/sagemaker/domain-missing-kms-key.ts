/** SageMaker domains must encrypt their EFS home volume with a customer-managed KMS key. */
import * as aws from "@pulumi/aws";
import { resourceRule } from "../../../framework/rule";
import { skipsWhenUnknown, isKnownMissingKey } from "../../../framework/values";

export const sagemakerDomainMissingKmsKey = resourceRule({
    name: "aws-sagemaker-domain-missing-kms-key",
    description:
        "SageMaker domains must set `kmsKeyId`, so the domain's EFS volume with every user's notebooks and data is encrypted with a customer-managed KMS key the owner controls.",
    clauses: ["DV-2", "P5", "P13"],
    severity: "high",
    enforcementLevel: "mandatory",
    classes: [aws.sagemaker.Domain],
    remediationSteps: "Set `kmsKeyId` to a customer-managed KMS key with rotation enabled (it cannot be changed after the domain is created).",
    url: "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateDomain.html#sagemaker-CreateDomain-request-KmsKeyId",
    onUnknown: skipsWhenUnknown("`kmsKeyId`"),
    check({ props }) {
        return isKnownMissingKey(props.kmsKeyId) ? [{ message: "kmsKeyId is not set to a customer-managed key; the domain's EFS volume is encrypted with an AWS-managed key only" }] : [];
    },
});
