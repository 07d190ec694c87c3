/**
 * The demo's data stores beyond S3, declared the way teams get them wrong: a public Postgres with
 * unencrypted storage and a password in the program; an Aurora cluster (the knowledge base's
 * pgvector store) on the AWS-managed key with a public instance; a public Redshift warehouse and a
 * Serverless namespace on AWS-owned keys; a Redis prompt cache without encryption at rest or in
 * transit; an unencrypted EFS for model weights; a scratch Lustre file system for training data; an
 * OpenSearch domain on a public endpoint without TLS; an OpenSearch Serverless vector store with an
 * AWS-owned key and a public network policy behind a Bedrock knowledge base whose data source has
 * no key; a Kendra index on the AWS-owned key.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DemoNetwork } from "./network";
import type { DemoStorage } from "./storage";
import { aiTags } from "./tags";

/** The vector store collection of the demo's knowledge base. */
export const VECTOR_COLLECTION = "support-kb-vectors";

export interface DataStoreInputs {
    readonly network: DemoNetwork;
    readonly storage: DemoStorage;
    readonly roleArn: pulumi.Input<string>;
}

export function buildDataStores({ network, storage, roleArn }: DataStoreInputs): void {
    const data = aiTags("dataset-store");
    // "The notebook needs to reach it from home."
    new aws.rds.Instance("features-db", {
        engine: "postgres",
        instanceClass: "db.t3.medium",
        allocatedStorage: 50,
        username: "app",
        password: "Sup3rSecret!",
        publiclyAccessible: true,
        skipFinalSnapshot: true,
        tags: data,
    });
    const aurora = new aws.rds.Cluster("kb-aurora", {
        engine: "aurora-postgresql",
        storageEncrypted: true,
        masterUsername: "kb",
        masterPassword: "kb-Passw0rd",
        skipFinalSnapshot: true,
        tags: data,
    });
    new aws.rds.ClusterInstance("kb-aurora-1", {
        clusterIdentifier: aurora.id,
        engine: "aurora-postgresql",
        instanceClass: "db.r6g.large",
        publiclyAccessible: true,
        tags: data,
    });
    new aws.redshift.Cluster("warehouse", {
        clusterIdentifier: "training-warehouse",
        nodeType: "ra3.xlplus",
        masterUsername: "admin",
        masterPassword: "Warehouse123",
        publiclyAccessible: true,
        skipFinalSnapshot: true,
        tags: data,
    });
    new aws.redshiftserverless.Namespace("analytics", { namespaceName: "analytics", tags: data });
    new aws.elasticache.ReplicationGroup("prompt-cache", {
        description: "prompt and session cache",
        engine: "redis",
        nodeType: "cache.t4g.small",
        numCacheClusters: 1,
        tags: aiTags("inference-capture"),
    });
    new aws.efs.FileSystem("model-weights", { tags: aiTags("model-store") });
    new aws.fsx.LustreFileSystem("training-scratch", {
        deploymentType: "SCRATCH_2",
        storageCapacity: 1200,
        subnetIds: network.trainingSubnet.id,
        tags: data,
    });
    new aws.opensearch.Domain("rag-search", {
        domainName: "rag-search",
        engineVersion: "OpenSearch_2.13",
        clusterConfig: { instanceType: "r6g.large.search" },
        encryptAtRest: { enabled: false },
        tags: data,
    });

    // Bedrock knowledge base on OpenSearch Serverless, as the console's quick start creates it.
    new aws.opensearch.ServerlessSecurityPolicy("kb-encryption", {
        name: "kb-encryption",
        type: "encryption",
        policy: JSON.stringify({ Rules: [{ ResourceType: "collection", Resource: [`collection/${VECTOR_COLLECTION}`] }], AWSOwnedKey: true }),
    });
    new aws.opensearch.ServerlessSecurityPolicy("kb-network", {
        name: "kb-network",
        type: "network",
        policy: JSON.stringify([{ Rules: [{ ResourceType: "collection", Resource: ["collection/support-*"] }, { ResourceType: "dashboard", Resource: ["collection/support-*"] }], AllowFromPublic: true }]),
    });
    const collection = new aws.opensearch.ServerlessCollection("kb-vectors", { name: VECTOR_COLLECTION, type: "VECTORSEARCH", tags: data });
    const kb = new aws.bedrock.AgentKnowledgeBase("support-kb", {
        name: "support-kb",
        roleArn,
        knowledgeBaseConfiguration: {
            type: "VECTOR",
            vectorKnowledgeBaseConfiguration: { embeddingModelArn: "arn:aws:bedrock:eu-west-2::foundation-model/amazon.titan-embed-text-v2:0" },
        },
        storageConfiguration: {
            type: "OPENSEARCH_SERVERLESS",
            opensearchServerlessConfiguration: {
                collectionArn: collection.arn,
                vectorIndexName: "support",
                fieldMapping: { vectorField: "vector", textField: "text", metadataField: "metadata" },
            },
        },
        tags: aiTags("model"),
    });
    new aws.bedrock.AgentDataSource("support-docs", {
        knowledgeBaseId: kb.id,
        name: "support-docs",
        dataSourceConfiguration: { type: "S3", s3Configuration: { bucketArn: storage.datasets.arn } },
    });
    new aws.kendra.Index("docs-index", { name: "docs", roleArn, edition: "DEVELOPER_EDITION", tags: data });
}
