/** SageMaker models must run in the owner's VPC. */
import * as aws from "@pulumi/aws";
import { vpcConfigRule } from "./network-rules";

export const sagemakerModelMissingVpcConfig = vpcConfigRule({ cls: aws.sagemaker.Model, slug: "model", noun: "SageMaker models" });
