/** SageMaker training job images must come from an allowed registry. */
import * as aws from "@pulumi/aws";
import { imageRegistryRule } from "./image-rules";

export const sagemakerTrainingJobDisallowUnapprovedRegistry = imageRegistryRule({ cls: aws.sagemaker.TrainingJob, slug: "trainingjob", noun: "SageMaker training jobs (`algorithmSpecification.trainingImage`)" });
