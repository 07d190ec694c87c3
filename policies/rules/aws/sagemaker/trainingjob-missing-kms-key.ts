/** SageMaker training job outputs and volumes must be encrypted with customer-managed KMS keys. */
import * as aws from "@pulumi/aws";
import { resourceRule, type Finding } from "../../../framework/rule";
import { get, isKnownMissingKey } from "../../../framework/values";
import { skipsWhenUnknown } from "../../../framework/values";

export const sagemakerTrainingJobMissingKmsKey = resourceRule({
    name: "aws-sagemaker-trainingjob-missing-kms-key",
    description:
        "SageMaker training jobs must encrypt the model artifacts they write (`outputDataConfig.kmsKeyId`) and the ML storage volumes they train on (`resourceConfig.volumeKmsKeyId`) with customer-managed KMS keys, so trained weights and staged training data are protected by keys the owner controls.",
    clauses: ["DV-2", "P5", "P13"],
    severity: "high",
    enforcementLevel: "mandatory",
    classes: [aws.sagemaker.TrainingJob],
    remediationSteps: "Set `outputDataConfig.kmsKeyId` and `resourceConfig.volumeKmsKeyId` to customer-managed KMS keys with rotation enabled.",
    url: "https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest.html",
    onUnknown: skipsWhenUnknown("`outputDataConfig.kmsKeyId` or `resourceConfig.volumeKmsKeyId`"),
    check({ props }): Finding[] {
        const findings: Finding[] = [];
        if (isKnownMissingKey(get(props, "outputDataConfig", "kmsKeyId"))) findings.push({ message: "outputDataConfig.kmsKeyId is not set to a customer-managed key; model artifacts are not encrypted with your key" });
        if (isKnownMissingKey(get(props, "resourceConfig", "volumeKmsKeyId"))) findings.push({ message: "resourceConfig.volumeKmsKeyId is not set to a customer-managed key; training volumes are not encrypted with your key" });
        return findings;
    },
});
