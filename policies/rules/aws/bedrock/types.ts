/** Bedrock resource types in @pulumi/aws v7. */
import * as aws from "@pulumi/aws";
import { typeToken } from "../../../framework/rule";
export const GUARDRAIL_TYPE = typeToken(aws.bedrock.Guardrail);
export const CUSTOM_MODEL_TYPE = typeToken(aws.bedrock.CustomModel);
export const AGENT_TYPE = typeToken(aws.bedrock.AgentAgent);
export const INVOCATION_LOGGING_TYPE = typeToken(aws.bedrockmodel.InvocationLoggingConfiguration);
export const LOG_GROUP_TYPE = typeToken(aws.cloudwatch.LogGroup);
export const BUCKET_TYPES: readonly string[] = [typeToken(aws.s3.Bucket), typeToken(aws.s3.BucketV2)];
export const BUCKET_SSE_TYPES: readonly string[] = [
    typeToken(aws.s3.BucketServerSideEncryptionConfiguration),
    typeToken(aws.s3.BucketServerSideEncryptionConfigurationV2),
];
