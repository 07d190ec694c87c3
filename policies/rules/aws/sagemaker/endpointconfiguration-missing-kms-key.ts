/** SageMaker endpoint configurations must encrypt endpoint storage with a customer-managed KMS key. */
import * as aws from "@pulumi/aws";
import { resourceRule } from "../../../framework/rule";
import { skipsWhenUnknown, isKnownMissingKey } from "../../../framework/values";

export const sagemakerEndpointConfigMissingKmsKey = resourceRule({
    name: "aws-sagemaker-endpointconfiguration-missing-kms-key",
    description:
        "SageMaker endpoint configurations must set `kmsKeyArn`, so the storage volumes attached to the inference instances (which hold the deployed model) and asynchronous inference outputs are encrypted with a customer-managed KMS key.",
    clauses: ["DV-2", "P5", "P13"],
    severity: "high",
    enforcementLevel: "mandatory",
    classes: [aws.sagemaker.EndpointConfiguration],
    remediationSteps: "Set `kmsKeyArn` to a customer-managed KMS key with rotation enabled. (Instance types with only NVMe instance storage encrypt it with a hardware key; the setting is still required so every other volume is covered.)",
    url: "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html#sagemaker-CreateEndpointConfig-request-KmsKeyId",
    onUnknown: skipsWhenUnknown("`kmsKeyArn`"),
    check({ props }) {
        return isKnownMissingKey(props.kmsKeyArn) ? [{ message: "kmsKeyArn is not set to a customer-managed key; endpoint storage is not encrypted with your key" }] : [];
    },
});
