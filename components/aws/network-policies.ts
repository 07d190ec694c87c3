/**
 * Pure policy builders for {@link AiNetworks}: VPC endpoint policies (a data perimeter: only this
 * account's principals, and for S3 only this account's buckets) and the flow-log delivery role.
 * Inputs are plain strings so tests can call them directly; the component resolves outputs first.
 */

/** IAM policy document shape used across aiguard components. */
export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: readonly Record<string, unknown>[];
}

/** An interface endpoint: the service's short name and the API actions its policy admits. */
export interface InterfaceEndpointSpec {
    /** Short service name after `com.amazonaws.<region>.`, e.g. `ecr.dkr`. */
    readonly service: string;
    /** Actions admitted through the endpoint, e.g. `["ecr:*"]`. Never `"*"`. */
    readonly actions: readonly string[];
}

/**
 * The AWS APIs SageMaker training and hosting need from inside a VPC with no internet route:
 * control plane and runtime, ECR image pulls (api + registry), KMS for encrypted data and volumes,
 * STS for role credentials, CloudWatch Logs for job/endpoint logs. S3 is the gateway endpoint.
 */
export const REQUIRED_INTERFACE_ENDPOINTS: readonly InterfaceEndpointSpec[] = [
    { service: "sagemaker.api", actions: ["sagemaker:*"] },
    { service: "sagemaker.runtime", actions: ["sagemaker:InvokeEndpoint", "sagemaker:InvokeEndpointAsync", "sagemaker:InvokeEndpointWithResponseStream"] },
    { service: "ecr.api", actions: ["ecr:*"] },
    { service: "ecr.dkr", actions: ["ecr:*"] },
    { service: "kms", actions: ["kms:*"] },
    { service: "sts", actions: ["sts:*"] },
    { service: "logs", actions: ["logs:*"] },
];

/** Stable resource-name suffix for an endpoint service (`ecr.dkr` -> `ecr-dkr`). */
export function endpointSuffix(service: string): string {
    return service.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
}

/**
 * Interface endpoint policy: the listed actions, on any resource, only for principals of this
 * account (`aws:PrincipalAccount`). Resources are not pinned to the account because SageMaker's
 * built-in images live in AWS-owned ECR registries; the S3 gateway policy pins data.
 */
export function interfaceEndpointPolicy(spec: InterfaceEndpointSpec, accountId: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AccountPrincipalsOnly",
                Effect: "Allow",
                Principal: "*",
                Action: [...spec.actions],
                Resource: "*",
                Condition: { StringEquals: { "aws:PrincipalAccount": accountId } },
            },
        ],
    };
}

/** Context for the S3 gateway endpoint policy. */
export interface S3EndpointPolicyContext {
    readonly partition: string;
    readonly region: string;
    readonly accountId: string;
    /** Buckets outside the account the VPC may read (explicit relaxation). Default none. */
    readonly additionalReadBucketArns?: readonly string[];
}

/**
 * S3 gateway endpoint policy: this account's principals on this account's buckets only
 * (`aws:PrincipalAccount` and `aws:ResourceAccount`), so data cannot be copied out to a foreign
 * bucket through the endpoint. One exception AWS requires: ECR stores image layers in the
 * AWS-owned `prod-<region>-starport-layer-bucket`, read-only.
 */
export function s3GatewayEndpointPolicy(ctx: S3EndpointPolicyContext): PolicyDocument {
    const statements: Record<string, unknown>[] = [
        {
            Sid: "AccountPrincipalsOnAccountBuckets",
            Effect: "Allow",
            Principal: "*",
            Action: "s3:*",
            Resource: "*",
            Condition: { StringEquals: { "aws:PrincipalAccount": ctx.accountId, "aws:ResourceAccount": ctx.accountId } },
        },
        {
            Sid: "EcrImageLayers",
            Effect: "Allow",
            Principal: "*",
            Action: "s3:GetObject",
            Resource: `arn:${ctx.partition}:s3:::prod-${ctx.region}-starport-layer-bucket/*`,
            Condition: { StringEquals: { "aws:PrincipalAccount": ctx.accountId } },
        },
    ];
    const extra = ctx.additionalReadBucketArns ?? [];
    if (extra.length > 0) {
        statements.push({
            Sid: "AdditionalReadOnlyBuckets",
            Effect: "Allow",
            Principal: "*",
            Action: ["s3:GetObject", "s3:ListBucket"],
            Resource: extra.flatMap((arn) => [arn, `${arn}/*`]),
            Condition: { StringEquals: { "aws:PrincipalAccount": ctx.accountId } },
        });
    }
    return { Version: "2012-10-17", Statement: statements };
}

/** Trust policy of the flow-log delivery role: only VPC Flow Logs, only for this account's flow logs. */
export function flowLogTrustPolicy(partition: string, region: string, accountId: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "VpcFlowLogsDelivery",
                Effect: "Allow",
                Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: {
                    StringEquals: { "aws:SourceAccount": accountId },
                    ArnLike: { "aws:SourceArn": `arn:${partition}:ec2:${region}:${accountId}:vpc-flow-log/*` },
                },
            },
        ],
    };
}

/**
 * Delivery permissions scoped to the one log group (and its streams). The group already exists,
 * so AWS's sample `logs:CreateLogGroup` / `logs:DescribeLogGroups` on `*` are not granted.
 */
export function flowLogDeliveryPolicy(logGroupArn: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "WriteFlowLogGroup",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                Resource: [logGroupArn, `${logGroupArn}:*`],
            },
        ],
    };
}
