/** SageMaker model container images must come from an allowed registry. */
import * as aws from "@pulumi/aws";
import { imageRegistryRule } from "./image-rules";

export const sagemakerModelDisallowUnapprovedRegistry = imageRegistryRule({ cls: aws.sagemaker.Model, slug: "model", noun: "SageMaker models (`primaryContainer` and every entry of `containers`)" });
