/** SageMaker training job images must be pinned by digest. */
import { imageDigestRule } from "./image-rules";
import { TRAINING_JOB_TYPE } from "./images";

export const sagemakerTrainingJobEnforceImageDigest = imageDigestRule({ type: TRAINING_JOB_TYPE, slug: "trainingjob", noun: "SageMaker training jobs (`algorithmSpecification.trainingImage`)" });
