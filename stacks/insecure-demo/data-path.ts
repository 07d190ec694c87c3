/**
 * The rest of the demo's data path, declared the way teams get it wrong:
 *  - resource policies open to everyone: public reads of the dataset bucket, anyone may push or
 *    delete the model image, a public inference-results topic, a public document queue and a RAG
 *    vector store (OpenSearch domain with a public endpoint) that answers anyone;
 *  - a GPU training host with IMDSv1, unencrypted disks and a public IP (from its subnet);
 *  - an LLM API key in Secrets Manager under the AWS-managed key;
 *  - an inference Lambda function whose role holds an AWS-managed full-access policy;
 *  - an LLM server on ECS: a Docker Hub image by tag, the API key in plaintext, a public IP per task.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DemoNetwork } from "./network";
import { DemoBuckets, type DemoStorage } from "./storage";
import { aiTags } from "./tags";

// Policy documents are written with literal names, as many teams write them, so a first preview
// decides them as an update does (documents built from outputs are undecided at a first preview).
const everyone = (action: string | string[], resource: string) =>
    JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "Everyone", Effect: "Allow", Principal: "*", Action: action, Resource: resource }] });

export function buildDataPath(storage: DemoStorage, network: DemoNetwork, repository: aws.ecr.Repository): void {
    // "Let the partner download the dataset": anyone can.
    new aws.s3.BucketPolicy("datasets-public-read", {
        bucket: storage.datasets.id,
        policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Sid: "PartnerRead", Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${DemoBuckets.datasets}/*` }],
        }),
    });
    // Cross-account CI push, written as everyone.
    new aws.ecr.RepositoryPolicy("model-images-policy", {
        repository: repository.name,
        policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Sid: "CiPush", Effect: "Allow", Principal: "*", Action: ["ecr:PutImage", "ecr:BatchDeleteImage", "ecr:DeleteRepository", "ecr:SetRepositoryPolicy"] }],
        }),
    });
    const results = new aws.sns.Topic("inference-results", { tags: aiTags("inference-capture") });
    new aws.sns.TopicPolicy("inference-results-policy", { arn: results.arn, policy: everyone(["sns:Subscribe", "sns:Publish"], "*") });
    // "Restricted" by TLS only: still anyone's.
    const documents = new aws.sqs.Queue("rag-documents", { tags: aiTags("dataset-store") });
    new aws.sqs.QueuePolicy("rag-documents-policy", {
        queueUrl: documents.url,
        policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: "*", Action: "sqs:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "true" } } }],
        }),
    });
    // The RAG vector store on a public endpoint, open to the internet through its access policy.
    const vectors = new aws.opensearch.Domain("rag-vectors", {
        domainName: "rag-vectors",
        engineVersion: "OpenSearch_2.13",
        clusterConfig: { instanceType: "r6g.large.search", instanceCount: 1 },
        ebsOptions: { ebsEnabled: true, volumeSize: 50 },
        tags: aiTags("dataset-store"),
    });
    new aws.opensearch.DomainPolicy("rag-vectors-policy", {
        domainName: vectors.domainName,
        accessPolicies: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "es:ESHttp*", Resource: "arn:aws:es:*:*:domain/rag-vectors/*", Condition: { IpAddress: { "aws:SourceIp": "0.0.0.0/0" } } }],
        }),
    });

    // A GPU training host as a quick-start writes it.
    new aws.ec2.Instance("gpu-trainer", {
        ami: "ami-0abcdef1234567890",
        instanceType: "g5.12xlarge",
        subnetId: network.trainingSubnet.id,
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "optional" },
        rootBlockDevice: { volumeSize: 500, volumeType: "gp3" },
        tags: aiTags("training-job"),
    });

    new aws.secretsmanager.Secret("llm-api-key", { name: "acme/llm-api-key", tags: aiTags("endpoint") });

    // Inference function: its role got the "easy" managed policy.
    const fnRole = new aws.iam.Role("inference-fn-role", {
        assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } }],
        }),
        tags: aiTags("role"),
    });
    new aws.iam.RolePolicyAttachment("inference-fn-role-dynamodb", { role: fnRole.name, policyArn: "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess" });
    new aws.lambda.Function("inference-fn", {
        role: fnRole.arn,
        runtime: "python3.12",
        handler: "app.handler",
        code: new pulumi.asset.AssetArchive({ "app.py": new pulumi.asset.StringAsset("def handler(event, context):\n    return {}\n") }),
        tags: aiTags("endpoint"),
    });

    // The LLM server as a tutorial runs it on Fargate.
    const llmTask = new aws.ecs.TaskDefinition("llm-server", {
        family: "llm-server",
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        cpu: "4096",
        memory: "16384",
        containerDefinitions: JSON.stringify([{
            name: "vllm",
            image: "vllm/vllm-openai:latest",
            essential: true,
            portMappings: [{ containerPort: 8000 }],
            environment: [{ name: "MODEL", value: "meta-llama/Llama-3.1-8B-Instruct" }, { name: "HF_TOKEN", value: "hf_demoTokenDoNotUse" }],
        }]),
        tags: aiTags("endpoint"),
    });
    new aws.ecs.Service("llm-service", {
        taskDefinition: llmTask.arn,
        desiredCount: 1,
        launchType: "FARGATE",
        networkConfiguration: { subnets: [network.inferenceSubnet.id], assignPublicIp: true },
        tags: aiTags("endpoint"),
    });
}
