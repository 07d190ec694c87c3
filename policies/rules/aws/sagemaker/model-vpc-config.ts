/** SageMaker models must run in the owner's VPC. */
import { MODEL_TYPE } from "./images";
import { vpcConfigRule } from "./network-rules";

export const sagemakerModelMissingVpcConfig = vpcConfigRule({ type: MODEL_TYPE, slug: "model", noun: "SageMaker models" });
