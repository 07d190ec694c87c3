/**
 * Minimal valid instantiations of each hardened component, for the components x rules matrix
 * (matrix.test.ts). Each builder takes overrides of the component's Args so a test can flip one
 * relaxation switch. Where a stack-level rule needs a companion to be satisfied (an AI bucket must
 * be backed up and covered by trail data events), the builder adds the companion components, at
 * their defaults, so that a defaults-only run must come back clean.
 */
import { AiNetworks, type AiNetworksArgs } from "../../components/aws/network";
import { AuditTrail, type AuditTrailArgs } from "../../components/aws/audit";
import { EncryptionKey, type EncryptionKeyArgs } from "../../components/aws/encryption-key";
import { InferenceEndpoint, type InferenceEndpointArgs } from "../../components/aws/sagemaker-inference";
import { SageMakerRoles, type SageMakerRolesArgs } from "../../components/aws/ml-roles";
import { ModelStore, StoreKinds, type ModelStoreArgs } from "../../components/aws/model-store";
import { OfflineBackups, type OfflineBackupsArgs } from "../../components/aws/backup";
import { TrainingWorkspace, type TrainingWorkspaceArgs } from "../../components/aws/sagemaker-training";
import type { AssetTags } from "../../components/aws/tags";
import { VectorStore, type VectorStoreArgs } from "../../components/aws/vector-store";

export const TAGS: AssetTags = { owner: "ml-platform@example.com", dataClassification: "confidential" };
export const ADMIN = "arn:aws:iam::123456789012:role/platform-admin";
export const KEY = "arn:aws:kms:eu-west-2:123456789012:key/matrix-key";
export const ROLE = "arn:aws:iam::123456789012:role/sagemaker-execution";
export const IMAGE = `123456789012.dkr.ecr.eu-west-2.amazonaws.com/models/llm@sha256:${"ab12".repeat(16)}`;
const SUBNETS = ["subnet-0aaa", "subnet-0bbb"];
const GROUPS = ["sg-0ccc"];

/** Component names used by the builders: findings name resources derived from them. */
export const Names = {
    key: "mx",
    networks: "mx",
    store: "mx-store",
    backups: "mx-backup",
    audit: "mx-audit",
    roles: "mx-roles",
    workspace: "mx-ws",
    endpoint: "mx-ep",
    vectors: "mx-vectors",
} as const;

type Overrides<T> = Partial<{ -readonly [K in keyof T]: T[K] }>;

export function encryptionKey(o: Overrides<EncryptionKeyArgs> = {}): void {
    new EncryptionKey(Names.key, { description: "matrix key", assetTags: TAGS, administratorArns: [ADMIN], ...o });
}

export function networks(o: Overrides<AiNetworksArgs> = {}): void {
    new AiNetworks(Names.networks, { assetTags: TAGS, logKeyAdministratorArns: [ADMIN], ...o });
}

/** Overrides for the three components that together protect one AI data store. */
export interface DataStoreOverrides {
    readonly store?: Overrides<ModelStoreArgs>;
    readonly backups?: Overrides<OfflineBackupsArgs>;
    readonly audit?: Overrides<AuditTrailArgs>;
}

/**
 * A model store, the offline backups that select it and the audit trail that records its data
 * events: a store alone is (rightly) flagged by the backup-selection and data-event rules.
 */
export function dataStore(o: DataStoreOverrides = {}): void {
    const store = new ModelStore(Names.store, {
        kind: StoreKinds.modelStore,
        assetTags: TAGS,
        keyAdministratorArns: [ADMIN],
        ...o.store,
    });
    new OfflineBackups(Names.backups, {
        assetTags: TAGS,
        keyAdministratorArns: [ADMIN],
        bucketArns: [store.bucketArn],
        airGappedVault: {},
        ...o.backups,
    });
    new AuditTrail(Names.audit, {
        assetTags: TAGS,
        keyAdministratorArns: [ADMIN],
        dataEventBucketArns: [store.bucketArn],
        ...o.audit,
    });
}

export function roles(o: Overrides<SageMakerRolesArgs> = {}): void {
    new SageMakerRoles(Names.roles, {
        assetTags: TAGS,
        trainingData: { bucketName: "acme-datasets", prefix: "training/" },
        modelArtifacts: { bucketName: "acme-models", prefix: "models/" },
        dataKeyArns: [KEY],
        trainingVpcId: "vpc-0training",
        inferenceVpcId: "vpc-0inference",
        ...o,
    });
}

export function workspace(o: Overrides<TrainingWorkspaceArgs> = {}): void {
    new TrainingWorkspace(Names.workspace, {
        assetTags: TAGS,
        executionRoleArn: ROLE,
        kmsKeyArn: KEY,
        subnetIds: SUBNETS,
        securityGroupIds: GROUPS,
        ...o,
    });
}

export function endpoint(o: Overrides<InferenceEndpointArgs> = {}): void {
    new InferenceEndpoint(Names.endpoint, {
        assetTags: TAGS,
        executionRoleArn: ROLE,
        image: IMAGE,
        modelDataUrl: "s3://acme-models/models/llm/v3/model.tar.gz",
        subnetIds: SUBNETS,
        securityGroupIds: GROUPS,
        kmsKeyArn: KEY,
        captureDestinationS3Uri: "s3://acme-capture/endpoints/llm/",
        ...o,
    });
}

export function vectorStore(o: Overrides<VectorStoreArgs> = {}): void {
    new VectorStore(Names.vectors, {
        collectionName: "mx-kb",
        assetTags: TAGS,
        dataAccessPrincipalArns: [ROLE],
        vpcId: "vpc-0inference",
        subnetIds: SUBNETS,
        securityGroupIds: GROUPS,
        keyAdministratorArns: [ADMIN],
        ...o,
    });
}
