/** SageMaker training job images must come from an allowed registry. */
import { imageRegistryRule } from "./image-rules";
import { TRAINING_JOB_TYPE } from "./images";

export const sagemakerTrainingJobDisallowUnapprovedRegistry = imageRegistryRule({ type: TRAINING_JOB_TYPE, slug: "trainingjob", noun: "SageMaker training jobs (`algorithmSpecification.trainingImage`)" });
