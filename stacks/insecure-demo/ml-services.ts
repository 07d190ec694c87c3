/**
 * The demo's ML services and their logging, declared the way teams get them wrong: a SageMaker
 * notebook with internet, root and IMDSv1; a Studio domain open to the internet with Docker; a
 * model from Docker Hub's `:latest` without network isolation or VPC; an endpoint config without a
 * key or data capture; a training job from a tagged third-party image; Bedrock resources without
 * keys, guardrail or prompt logging; a mutable, unscanned ECR repository; a public EKS cluster on an
 * old version; a log group without key with a week's retention; a single-region, unvalidated,
 * unencrypted trail that records data events for one bucket only.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DemoNetwork } from "./network";
import { DemoBuckets, type DemoStorage } from "./storage";
import { aiTags } from "./tags";
import { TagKeys } from "../../common/conventions";

/** The model image everybody copies from a tutorial. */
export const DOCKER_HUB_IMAGE = "docker.io/acme/sentiment:latest";
/** A third-party training image, referenced by tag. */
export const THIRD_PARTY_TRAINING_IMAGE = "ghcr.io/acme/trainer:v1";
/** Bucket receiving Bedrock invocation logs (no encryption configuration). */
export const BEDROCK_LOG_BUCKET = "acme-bedrock-logs";

export interface MlServicesInputs {
    readonly network: DemoNetwork;
    readonly storage: DemoStorage;
    readonly roleArn: pulumi.Input<string>;
}

export function buildSageMaker({ network, storage, roleArn }: MlServicesInputs): void {
    new aws.sagemaker.NotebookInstance("research-notebook", {
        roleArn,
        instanceType: "ml.t3.medium",
        directInternetAccess: "Enabled",
        rootAccess: "Enabled",
        tags: aiTags("notebook"),
    });
    new aws.sagemaker.Domain("research-studio", {
        domainName: "research",
        authMode: "IAM",
        vpcId: network.trainingVpc.id,
        subnetIds: [network.trainingSubnet.id],
        appNetworkAccessType: "PublicInternetOnly",
        defaultUserSettings: { executionRole: roleArn },
        domainSettings: { dockerSettings: { enableDockerAccess: "ENABLED" } },
        tags: aiTags("notebook"),
    });
    const model = new aws.sagemaker.Model("sentiment-model", {
        executionRoleArn: roleArn,
        enableNetworkIsolation: false,
        primaryContainer: {
            image: DOCKER_HUB_IMAGE,
            modelDataUrl: pulumi.interpolate`s3://${storage.releasedModels.bucket}/sentiment/model.tar.gz`,
        },
        tags: aiTags("model"),
    });
    new aws.sagemaker.EndpointConfiguration("sentiment-config", {
        productionVariants: [{ variantName: "primary", modelName: model.name, instanceType: "ml.m5.large", initialInstanceCount: 1 }],
        tags: aiTags("endpoint"),
    });
    new aws.sagemaker.TrainingJob("fine-tune", {
        trainingJobName: "sentiment-fine-tune",
        roleArn,
        algorithmSpecification: { trainingImage: THIRD_PARTY_TRAINING_IMAGE, trainingInputMode: "File" },
        outputDataConfig: { s3OutputPath: `s3://${DemoBuckets.datasets}/output/` },
        resourceConfig: { instanceType: "ml.g5.xlarge", instanceCount: 2, volumeSizeInGb: 100 },
        stoppingCondition: { maxRuntimeInSeconds: 86400 },
        enableNetworkIsolation: false,
        tags: aiTags("training-job"),
    });
}

export function buildBedrock(roleArn: pulumi.Input<string>): void {
    new aws.bedrock.Guardrail("chat-guardrail", {
        name: "chat",
        blockedInputMessaging: "Sorry, I cannot help with that.",
        blockedOutputsMessaging: "Sorry, I cannot answer that.",
        wordPolicyConfig: { managedWordListsConfigs: [{ type: "PROFANITY" }] },
        tags: aiTags("model"),
    });
    new aws.bedrock.AgentAgent("support-agent", {
        agentName: "support",
        agentResourceRoleArn: roleArn,
        foundationModel: "anthropic.claude-3-5-sonnet-20240620-v1:0",
        tags: aiTags("model"),
    });
    new aws.bedrock.CustomModel("tuned-model", {
        baseModelIdentifier: "arn:aws:bedrock:eu-west-2::foundation-model/amazon.titan-text-express-v1",
        customModelName: "tuned-support",
        jobName: "tuned-support-job",
        roleArn,
        hyperparameters: { epochCount: "1", batchSize: "1", learningRate: "0.005", learningRateWarmupSteps: "0" },
        trainingDataConfig: { s3Uri: `s3://${DemoBuckets.datasets}/bedrock/train.jsonl` },
        outputDataConfig: { s3Uri: `s3://${DemoBuckets.datasets}/bedrock/output/` },
        tags: aiTags("model"),
    });
    const logs = new aws.s3.Bucket("bedrock-logs", { bucket: BEDROCK_LOG_BUCKET, tags: aiTags("monitoring") });
    new aws.bedrockmodel.InvocationLoggingConfiguration("bedrock-logging", {
        loggingConfig: {
            textDataDeliveryEnabled: false,
            imageDataDeliveryEnabled: true,
            s3Config: { bucketName: logs.bucket },
        },
    });
}

export function buildPlatformServices({ network, storage }: MlServicesInputs, roleArn: pulumi.Input<string>): aws.ecr.Repository {
    // Only the owner tag was forgotten... and the classification.
    const repository = new aws.ecr.Repository("model-images", {
        name: "model-images",
        imageTagMutability: "MUTABLE",
        imageScanningConfiguration: { scanOnPush: false },
        tags: { [TagKeys.assetKind]: "registry" },
    });
    new aws.eks.Cluster("inference-cluster", {
        roleArn,
        version: "1.29",
        vpcConfig: {
            subnetIds: [network.inferenceSubnet.id, network.trainingSubnet.id],
            endpointPublicAccess: true,
            endpointPrivateAccess: false,
            publicAccessCidrs: ["0.0.0.0/0"],
        },
        tags: aiTags("cluster"),
    });
    // GPU nodes as a quick-start writes them: IMDSv1 allowed, unencrypted disks, SSH open to the world.
    const nodeTemplate = new aws.ec2.LaunchTemplate("gpu-nodes-lt", {
        blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 200, volumeType: "gp3" } }],
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "optional" },
        tags: aiTags("cluster"),
    });
    new aws.eks.NodeGroup("gpu-nodes", {
        clusterName: "inference-cluster",
        nodeRoleArn: roleArn,
        subnetIds: [network.inferenceSubnet.id],
        scalingConfig: { minSize: 1, desiredSize: 1, maxSize: 2 },
        remoteAccess: { ec2SshKey: "ops-key" },
        launchTemplate: { id: nodeTemplate.id, version: "$Latest" },
        tags: aiTags("cluster"),
    });
    new aws.cloudwatch.LogGroup("training-logs", { retentionInDays: 7, tags: aiTags("monitoring") });
    const trailBucket = new aws.s3.Bucket("audit-logs", { bucket: "acme-cloudtrail", tags: aiTags("audit-logs") });
    new aws.cloudtrail.Trail("audit-trail", {
        s3BucketName: trailBucket.id,
        isMultiRegionTrail: false,
        enableLogFileValidation: false,
        advancedEventSelectors: [{
            name: "Released model object events",
            fieldSelectors: [
                { field: "eventCategory", equals: ["Data"] },
                { field: "resources.type", equals: ["AWS::S3::Object"] },
                { field: "resources.ARN", startsWiths: [pulumi.interpolate`${storage.releasedModels.arn}/`] },
            ],
        }],
        tags: aiTags("audit-logs"),
    });
    return repository;
}
