/** SageMaker training containers must run network-isolated. */
import { TRAINING_JOB_TYPE } from "./images";
import { networkIsolationRule } from "./network-rules";

export const sagemakerTrainingJobEnableNetworkIsolation = networkIsolationRule(
    { type: TRAINING_JOB_TYPE, slug: "trainingjob", noun: "SageMaker training jobs" },
    "An isolated training container cannot reach the internet, so poisoned dependencies cannot phone home and training data cannot be exfiltrated from inside the job.",
);
