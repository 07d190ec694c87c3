/** SageMaker training jobs must run in the owner's VPC. */
import { TRAINING_JOB_TYPE } from "./images";
import { vpcConfigRule } from "./network-rules";

export const sagemakerTrainingJobMissingVpcConfig = vpcConfigRule({ type: TRAINING_JOB_TYPE, slug: "trainingjob", noun: "SageMaker training jobs" });
