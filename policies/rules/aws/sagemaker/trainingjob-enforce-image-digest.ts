/** SageMaker training job images must be pinned by digest. */
import * as aws from "@pulumi/aws";
import { imageDigestRule } from "./image-rules";

export const sagemakerTrainingJobEnforceImageDigest = imageDigestRule({ cls: aws.sagemaker.TrainingJob, slug: "trainingjob", noun: "SageMaker training jobs (`algorithmSpecification.trainingImage`)" });
