/** SageMaker training jobs must run in the owner's VPC. */
import * as aws from "@pulumi/aws";
import { vpcConfigRule } from "./network-rules";

export const sagemakerTrainingJobMissingVpcConfig = vpcConfigRule({ cls: aws.sagemaker.TrainingJob, slug: "trainingjob", noun: "SageMaker training jobs" });
