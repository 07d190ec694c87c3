/** A compliant stack of AI data stores (stack outputs), shared by the data-store rule tests and the unknowns sweep. */
import * as aws from "@pulumi/aws";
import { typeToken } from "../../../policies/framework/rule";
import { res, type Res } from "../support";
import { KEY } from "./fixtures-aws";

export const T = {
    key: typeToken(aws.kms.Key),
    alias: typeToken(aws.kms.Alias),
    instance: typeToken(aws.rds.Instance),
    cluster: typeToken(aws.rds.Cluster),
    clusterInstance: typeToken(aws.rds.ClusterInstance),
    redshift: typeToken(aws.redshift.Cluster),
    namespace: typeToken(aws.redshiftserverless.Namespace),
    cache: typeToken(aws.elasticache.ReplicationGroup),
    efs: typeToken(aws.efs.FileSystem),
    lustre: typeToken(aws.fsx.LustreFileSystem),
    domain: typeToken(aws.opensearch.Domain),
    collection: typeToken(aws.opensearch.ServerlessCollection),
    policy: typeToken(aws.opensearch.ServerlessSecurityPolicy),
    kendra: typeToken(aws.kendra.Index),
    dataSource: typeToken(aws.bedrock.AgentDataSource),
    knowledgeBase: typeToken(aws.bedrock.AgentKnowledgeBase),
} as const;

export const encryptionPolicy = (body: Record<string, unknown> = { AWSOwnedKey: false, KmsARN: KEY }, patterns: unknown[] = ["collection/kb-vectors"]) =>
    JSON.stringify({ Rules: [{ ResourceType: "collection", Resource: patterns }], ...body });
export const networkPolicy = (allowFromPublic: boolean, patterns: unknown[] = ["collection/kb-*"]) =>
    JSON.stringify([{ Rules: [{ ResourceType: "collection", Resource: patterns }, { ResourceType: "dashboard", Resource: patterns }], AllowFromPublic: allowFromPublic, ...(allowFromPublic ? {} : { SourceVPCEs: ["vpce-0a1b2c3d"] }) }]);

/** Every data store, hardened: CMK encryption, private, TLS, service-managed passwords. */
export function storesStack(): Res[] {
    return [
        res(T.key, "store-key", { arn: KEY, keyId: "1111", enableKeyRotation: true }),
        res(T.instance, "features-db", { instanceClass: "db.r6g.large", engine: "postgres", storageEncrypted: true, kmsKeyId: KEY, publiclyAccessible: false, manageMasterUserPassword: true, username: "app" }),
        res(T.cluster, "kb-aurora", { engine: "aurora-postgresql", storageEncrypted: true, kmsKeyId: KEY, manageMasterUserPassword: true, masterUsername: "app" }),
        res(T.clusterInstance, "kb-aurora-1", { clusterIdentifier: "kb-aurora", instanceClass: "db.r6g.large", engine: "aurora-postgresql", publiclyAccessible: false }),
        res(T.redshift, "warehouse", { clusterIdentifier: "warehouse", nodeType: "ra3.xlplus", encrypted: "true", kmsKeyId: KEY, publiclyAccessible: false, manageMasterPassword: true }),
        res(T.namespace, "analytics", { namespaceName: "analytics", kmsKeyId: KEY, manageAdminPassword: true }),
        res(T.cache, "prompt-cache", { description: "prompt cache", engine: "valkey", atRestEncryptionEnabled: true, kmsKeyId: KEY, transitEncryptionEnabled: true, transitEncryptionMode: "required" }),
        res(T.efs, "weights", { encrypted: true, kmsKeyId: KEY }),
        res(T.lustre, "training-scratch", { deploymentType: "PERSISTENT_2", kmsKeyId: KEY, storageCapacity: 1200, subnetIds: ["subnet-1"], perUnitStorageThroughput: 125 }),
        res(T.domain, "rag-search", {
            domainName: "rag-search",
            encryptAtRest: { enabled: true, kmsKeyId: KEY },
            nodeToNodeEncryption: { enabled: true },
            domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" },
            vpcOptions: { subnetIds: ["subnet-1"], securityGroupIds: ["sg-1"] },
        }),
        res(T.policy, "kb-encryption", { name: "kb-encryption", type: "encryption", policy: encryptionPolicy() }),
        res(T.policy, "kb-network", { name: "kb-network", type: "network", policy: networkPolicy(false) }),
        res(T.collection, "kb-vectors", { name: "kb-vectors", type: "VECTORSEARCH" }),
        res(T.kendra, "docs-index", { name: "docs", roleArn: "arn:aws:iam::123456789012:role/kendra", serverSideEncryptionConfiguration: { kmsKeyId: KEY } }),
        res(T.dataSource, "kb-source", { knowledgeBaseId: "KB1", name: "docs", serverSideEncryptionConfiguration: { kmsKeyArn: KEY } }),
    ];
}
