/** Compliant AWS fixtures (resource inputs and stack outputs) shared by the service rule tests. */
import type { RuleResource } from "../../../policies/framework/rule";
import { AIR_GAPPED_VAULT_TYPE, PLAN_TYPE, SELECTION_TYPE, VAULT_LOCK_TYPE, VAULT_TYPE } from "../../../policies/rules/aws/backup/scope";
import { INVOCATION_LOGGING_TYPE, LOG_GROUP_TYPE } from "../../../policies/rules/aws/bedrock/types";
import { ECR, DIGEST, PINNED, res } from "../support";

export const ACCOUNT = "123456789012";
export const KEY = `arn:aws:kms:eu-west-2:${ACCOUNT}:key/1111`;

// SageMaker
export const notebook = () => ({ instanceType: "ml.t3.medium", roleArn: "arn:aws:iam::123456789012:role/nb", directInternetAccess: "Disabled", rootAccess: "Disabled", kmsKeyId: KEY, subnetId: "subnet-1", securityGroups: ["sg-1"], instanceMetadataServiceConfiguration: { minimumInstanceMetadataServiceVersion: "2" } });
export const model = () => ({
    executionRoleArn: "arn:aws:iam::123456789012:role/m",
    enableNetworkIsolation: true,
    vpcConfig: { subnets: ["subnet-1"], securityGroupIds: ["sg-1"] },
    primaryContainer: { image: PINNED, modelDataUrl: "s3://models/m.tar.gz" },
    containers: [{ image: PINNED }, { image: `${ECR}/sidecar@${DIGEST}` }],
});
export const endpointConfig = () => ({
    kmsKeyArn: KEY,
    productionVariants: [{ modelName: "m", variantName: "v", instanceType: "ml.g5.xlarge", initialInstanceCount: 1 }],
    dataCaptureConfig: { enableCapture: true, initialSamplingPercentage: 100, destinationS3Uri: "s3://capture/", kmsKeyId: KEY, captureOptions: [{ captureMode: "Input" }, { captureMode: "Output" }] },
});
export const domain = () => ({
    domainName: "studio", authMode: "IAM", vpcId: "vpc-1", subnetIds: ["subnet-1"], appNetworkAccessType: "VpcOnly", kmsKeyId: KEY,
    defaultUserSettings: { executionRole: "arn:aws:iam::123456789012:role/u", securityGroups: ["sg-1"], customPosixUserConfig: { uid: 200001, gid: 1001 } },
    domainSettings: { dockerSettings: { enableDockerAccess: "DISABLED" } },
});
export const trainingJob = () => ({
    trainingJobName: "train", roleArn: "arn:aws:iam::123456789012:role/t",
    algorithmSpecification: { trainingImage: PINNED, trainingInputMode: "File" },
    enableNetworkIsolation: true, enableInterContainerTrafficEncryption: true,
    vpcConfig: { subnets: ["subnet-1"], securityGroupIds: ["sg-1"] },
    outputDataConfig: { s3OutputPath: "s3://models/out", kmsKeyId: KEY },
    resourceConfig: { instanceType: "ml.p4d.24xlarge", instanceCount: 2, volumeSizeInGb: 100, volumeKmsKeyId: KEY },
});

// Bedrock
export const guardrail = () => ({ name: "g", blockedInputMessaging: "no", blockedOutputsMessaging: "no", kmsKeyArn: KEY });
export const customModel = () => ({ baseModelIdentifier: "amazon.titan-text-express-v1", customModelName: "cm", jobName: "j", hyperparameters: {}, roleArn: "arn:aws:iam::123456789012:role/c", customModelKmsKeyId: KEY, outputDataConfig: { s3Uri: "s3://o/" }, trainingDataConfig: { s3Uri: "s3://t/" } });
export const agent = () => ({ agentName: "a", agentResourceRoleArn: "arn:aws:iam::123456789012:role/a", foundationModel: "anthropic.claude", customerEncryptionKeyArn: KEY, guardrailConfigurations: [{ guardrailIdentifier: "gr-1", guardrailVersion: "1" }] });
export const logging = () => ({ loggingConfig: { textDataDeliveryEnabled: true, imageDataDeliveryEnabled: true, embeddingDataDeliveryEnabled: false, cloudwatchConfig: { logGroupName: "/bedrock/invocations", roleArn: "arn:aws:iam::123456789012:role/l" }, s3Config: { bucketName: "invocations" } } });

// ECR
export const repository = () => ({
    name: "models/llm",
    imageTagMutability: "IMMUTABLE",
    imageScanningConfiguration: { scanOnPush: true },
    encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: KEY }],
});

// EKS
export const cluster = () => ({
    roleArn: "arn:aws:iam::123456789012:role/eks",
    version: "1.33",
    vpcConfig: { subnetIds: ["subnet-1", "subnet-2"], endpointPrivateAccess: true, endpointPublicAccess: false },
    encryptionConfig: { resources: ["secrets"], provider: { keyArn: "arn:aws:kms:eu-west-2:123456789012:key/4444" } },
    enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
});

export const NODE_GROUP_TYPE = "aws:eks/nodeGroup:NodeGroup";
export const LAUNCH_TEMPLATE_TYPE = "aws:ec2/launchTemplate:LaunchTemplate";
export const nodeGroup = () => ({
    clusterName: "inference",
    nodeRoleArn: "arn:aws:iam::123456789012:role/nodes",
    subnetIds: ["subnet-1"],
    scalingConfig: { minSize: 1, desiredSize: 1, maxSize: 2 },
    remoteAccess: { ec2SshKey: "ops", sourceSecurityGroupIds: ["sg-bastion"] },
});
export const launchTemplate = () => ({
    metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
    blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: "arn:aws:kms:eu-west-2:123456789012:key/5555", volumeType: "gp3" } }],
});

// AWS Backup
export const BUCKET = "aws:s3/bucket:Bucket";
export const LAG_ARN = `arn:aws:backup:eu-west-2:${ACCOUNT}:backup-vault:airgap`;
export const VAULT_ARN = `arn:aws:backup:eu-west-2:${ACCOUNT}:backup-vault:ai-vault`;

/** A compliant AI backup stack: two AI buckets, one plain bucket, a locked KMS vault, a plan copying to an air-gapped vault. */
export function backupStack(): RuleResource[] {
    return [
        res(BUCKET, "models", { bucket: "models", arn: "arn:aws:s3:::models", tags: { "aiguard:asset-kind": "model-store" } }),
        res(BUCKET, "datasets", { bucket: "datasets", arn: "arn:aws:s3:::datasets", tags: { "aiguard:asset-kind": "dataset-store", team: "ml" } }),
        res(BUCKET, "website", { bucket: "website", arn: "arn:aws:s3:::website", tags: {} }),
        res(VAULT_TYPE, "vault", { name: "ai-vault", arn: VAULT_ARN, kmsKeyArn: KEY }),
        res(VAULT_LOCK_TYPE, "lock", { backupVaultName: "ai-vault", changeableForDays: 3, minRetentionDays: 35, maxRetentionDays: 365 }),
        res(AIR_GAPPED_VAULT_TYPE, "airgap", { name: "airgap", arn: LAG_ARN, minRetentionDays: 35, maxRetentionDays: 365, encryptionKeyArn: KEY }),
        res(PLAN_TYPE, "plan", {
            id: "plan-1",
            arn: `arn:aws:backup:eu-west-2:${ACCOUNT}:backup-plan:plan-1`,
            rules: [{ ruleName: "daily", targetVaultName: "ai-vault", schedule: "cron(0 3 * * ? *)", copyActions: [{ destinationVaultArn: LAG_ARN }] }],
        }),
        res(SELECTION_TYPE, "by-arn", { planId: "plan-1", iamRoleArn: "arn:aws:iam::123456789012:role/b", resources: ["arn:aws:s3:::models"] }),
        res(SELECTION_TYPE, "by-tag", { planId: "plan-1", iamRoleArn: "arn:aws:iam::123456789012:role/b", selectionTags: [{ type: "STRINGEQUALS", key: "aiguard:asset-kind", value: "dataset-store" }] }),
    ];
}

export const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";

/** A compliant Bedrock invocation-logging stack: both destinations encrypted with a customer-managed key. */
export const bedrockLoggingStack = (): RuleResource[] => [
    res(INVOCATION_LOGGING_TYPE, "logging", logging()),
    res(LOG_GROUP_TYPE, "lg", { name: "/bedrock/invocations", kmsKeyId: KEY, retentionInDays: 365 }),
    res("aws:s3/bucket:Bucket", "b", { bucket: "invocations", arn: "arn:aws:s3:::invocations" }),
    res(SSE, "sse", { bucket: "invocations", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY } }] }),
];

// EC2 hosts and Secrets Manager
export const INSTANCE_TYPE = "aws:ec2/instance:Instance";
export const SECRET_TYPE = "aws:secretsmanager/secret:Secret";
export const instance = () => ({
    ami: "ami-1", instanceType: "g5.xlarge", subnetId: "subnet-1",
    metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
    rootBlockDevice: { encrypted: true, kmsKeyId: KEY, volumeSize: 200 },
    ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true, kmsKeyId: KEY, volumeSize: 500 }],
});
export const secret = () => ({ name: "llm-api-key", kmsKeyId: KEY });

// Resource policies: a statement restricted to the organisation and one naming an account.
export const orgOnlyPolicy = (action: string, resource = "*") => JSON.stringify({
    Version: "2012-10-17",
    Statement: [
        { Sid: "Org", Effect: "Allow", Principal: "*", Action: action, Resource: resource, Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } },
        { Sid: "Account", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: action, Resource: resource },
    ],
});
export const RP = {
    repository: "aws:ecr/repository:Repository",
    repositoryPolicy: "aws:ecr/repositoryPolicy:RepositoryPolicy",
    topic: "aws:sns/topic:Topic",
    topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    queue: "aws:sqs/queue:Queue",
    queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
    domain: "aws:opensearch/domain:Domain",
    domainPolicy: "aws:opensearch/domainPolicy:DomainPolicy",
} as const;

export const SUBNET_TYPE = "aws:ec2/subnet:Subnet";
/** A training host in a training subnet that maps no public IPs. */
export const trainingHostStack = (): RuleResource[] => [
    res(SUBNET_TYPE, "training-subnet", { id: "subnet-1", vpcId: "vpc-1", mapPublicIpOnLaunch: false, tags: { "aiguard:network-role": "training" } }),
    res(INSTANCE_TYPE, "trainer", { ...instance(), associatePublicIpAddress: false }),
];

/**
 * Compliant stacks of the stack rules added with the data-path rules, by rule-name prefix. The
 * resource-policy rules: a holder with an inline policy and one with a separate policy resource.
 */
export const resourcePolicyStacks: Record<string, () => RuleResource[]> = {
    "aws-ec2-instance-disallow-training-public-ip": trainingHostStack,
    "aws-ecr-": () => [
        res(RP.repository, "repo", repository()),
        res(RP.repositoryPolicy, "repo-policy", { repository: "models/llm", policy: orgOnlyPolicy("ecr:BatchGetImage") }),
    ],
    "aws-sns-": () => [
        res(RP.topic, "inline", { name: "results", arn: `arn:aws:sns:eu-west-2:${ACCOUNT}:results`, policy: orgOnlyPolicy("sns:Subscribe") }),
        res(RP.topic, "events", { name: "events", arn: `arn:aws:sns:eu-west-2:${ACCOUNT}:events` }),
        res(RP.topicPolicy, "events-policy", { arn: `arn:aws:sns:eu-west-2:${ACCOUNT}:events`, policy: orgOnlyPolicy("sns:Publish") }),
    ],
    "aws-sqs-": () => [
        res(RP.queue, "inline", { name: "jobs", url: `https://sqs.eu-west-2.amazonaws.com/${ACCOUNT}/jobs`, policy: orgOnlyPolicy("sqs:SendMessage") }),
        res(RP.queue, "docs", { name: "docs", url: `https://sqs.eu-west-2.amazonaws.com/${ACCOUNT}/docs` }),
        res(RP.queuePolicy, "docs-policy", { queueUrl: `https://sqs.eu-west-2.amazonaws.com/${ACCOUNT}/docs`, policy: orgOnlyPolicy("sqs:ReceiveMessage") }),
    ],
    "aws-opensearch-domain-disallow-public-policy": () => [
        res(RP.domain, "public-endpoint", { domainName: "vectors", accessPolicies: orgOnlyPolicy("es:ESHttp*") }),
        res(RP.domain, "in-vpc", { domainName: "rag", vpcOptions: { subnetIds: ["subnet-1"], securityGroupIds: ["sg-1"] } }),
        res(RP.domainPolicy, "rag-policy", { domainName: "rag", accessPolicies: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "es:*", Resource: "*" }] }) }),
    ],
};
export const ENDPOINT_CONFIG_TYPE_FOR_TOPICS = "aws:sagemaker/endpointConfiguration:EndpointConfiguration";

// ECS
export const TASK_DEFINITION_TYPE = "aws:ecs/taskDefinition:TaskDefinition";
export const ECS_SERVICE_TYPE = "aws:ecs/service:Service";
export const containers = () => [
    {
        name: "llm", image: PINNED, essential: true,
        environment: [{ name: "MODEL_ID", value: "llama-3-8b" }, { name: "HF_TOKEN_PATH", value: "/run/secrets/hf" }, { name: "DB_PASSWORD_ARN", value: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:db" }],
        secrets: [{ name: "OPENAI_API_KEY", valueFrom: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:openai" }],
    },
    { name: "sidecar", image: `${ECR}/sidecar@${DIGEST}`, environment: [{ name: "API_KEY", value: "" }] },
];
export const taskDefinition = () => ({ family: "llm", networkMode: "awsvpc", requiresCompatibilities: ["FARGATE"], cpu: "1024", memory: "4096", containerDefinitions: JSON.stringify(containers()) });
export const ecsService = () => ({ cluster: "inference", taskDefinition: "llm:1", desiredCount: 2, launchType: "FARGATE", networkConfiguration: { subnets: ["subnet-1"], securityGroups: ["sg-1"], assignPublicIp: false } });
