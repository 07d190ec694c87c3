/** SageMaker model container images must be pinned by digest. */
import * as aws from "@pulumi/aws";
import { imageDigestRule } from "./image-rules";

export const sagemakerModelEnforceImageDigest = imageDigestRule({ cls: aws.sagemaker.Model, slug: "model", noun: "SageMaker models (`primaryContainer` and every entry of `containers`)" });
