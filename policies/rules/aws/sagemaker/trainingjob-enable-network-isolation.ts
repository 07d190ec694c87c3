/** SageMaker training containers must run network-isolated. */
import * as aws from "@pulumi/aws";
import { networkIsolationRule } from "./network-rules";

export const sagemakerTrainingJobEnableNetworkIsolation = networkIsolationRule(
    { cls: aws.sagemaker.TrainingJob, slug: "trainingjob", noun: "SageMaker training jobs" },
    "An isolated training container cannot reach the internet, so poisoned dependencies cannot phone home and training data cannot be exfiltrated from inside the job.",
);
