/** ECR resource types in @pulumi/aws v7. */
import * as aws from "@pulumi/aws";
import { typeToken } from "../../../framework/rule";
export const REPOSITORY_TYPE = typeToken(aws.ecr.Repository);
export const REGISTRY_SCANNING_TYPE = typeToken(aws.ecr.RegistryScanningConfiguration);
