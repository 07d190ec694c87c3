/** Bedrock resource types in @pulumi/aws v7. */
export const GUARDRAIL_TYPE = "aws:bedrock/guardrail:Guardrail";
export const CUSTOM_MODEL_TYPE = "aws:bedrock/customModel:CustomModel";
export const AGENT_TYPE = "aws:bedrock/agentAgent:AgentAgent";
export const INVOCATION_LOGGING_TYPE = "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration";
export const LOG_GROUP_TYPE = "aws:cloudwatch/logGroup:LogGroup";
export const BUCKET_TYPES: readonly string[] = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
export const BUCKET_SSE_TYPES: readonly string[] = [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];
