/**
 * The example AI platform, built only from aiguard's components:
 * segregated training and inference networks, three encrypted stores (datasets, released models,
 * captured inference data), least-privilege SageMaker roles, offline backups to a logically
 * air-gapped vault, a multi-region audit trail with tamper alarms, a hardened training notebook and
 * a network-isolated inference endpoint that captures its inputs and outputs; and, on the
 * Kubernetes side, a private inference EKS cluster in the inference network, a model-serving
 * namespace (Pod Security restricted, default-deny NetworkPolicies) and the model-image admission
 * webhook, whose trust policy is built from the stack config (registry glob, release key).
 *
 * The three enforcement points: the pack checks this program before deployment; the components
 * ship only hardened settings; the webhook checks every model workload the cluster admits.
 *
 * Order: the stores' key policies name the roles that use them (KMS validates principals, so the
 * roles exist first), and the roles' policies and the backup selection name the stores. So the
 * roles and the backups come first, the stores name them as key users, and then the roles are
 * granted their data access (`SageMakerRoles.grantDataAccess`) and the buckets are selected for
 * backup (`OfflineBackups.backUpBuckets`). IAM does not validate key ARNs in role policies.
 */
import * as pulumi from "@pulumi/pulumi";
import { AiNetworks } from "../../components/aws/network";
import { AuditTrail } from "../../components/aws/audit";
import { EncryptionKey } from "../../components/aws/encryption-key";
import { InferenceEndpoint } from "../../components/aws/sagemaker-inference";
import { SageMakerRoles } from "../../components/aws/ml-roles";
import { ModelStore, StoreKinds } from "../../components/aws/model-store";
import { OfflineBackups } from "../../components/aws/backup";
import { TrainingWorkspace } from "../../components/aws/sagemaker-training";
import { InferenceCluster } from "../../components/aws/eks-cluster";
import type { AssetTags } from "../../components/aws/tags";
import { ImageAdmissionWebhook } from "../../components/k8s/image-admission-webhook";
import { ModelNamespace } from "../../components/k8s/model-namespace";
import { ecrRepositoryArnForGlob } from "../../components/k8s/webhook-ecr-access";
import { ecrRepositoryArn, type PlatformConfig } from "./config";

/** Stack outputs of the platform. */
export interface PlatformOutputs {
    readonly trainingVpcId: pulumi.Output<string>;
    readonly inferenceVpcId: pulumi.Output<string>;
    readonly datasetBucket: pulumi.Output<string>;
    readonly modelBucket: pulumi.Output<string>;
    readonly captureBucket: pulumi.Output<string>;
    readonly trainingRoleArn: pulumi.Output<string>;
    readonly inferenceRoleArn: pulumi.Output<string>;
    readonly backupVaultArn: pulumi.Output<string>;
    readonly airGappedVaultArn: pulumi.Output<string> | undefined;
    readonly trailArn: pulumi.Output<string>;
    readonly notebookName: pulumi.Output<string> | undefined;
    readonly endpointName: pulumi.Output<string>;
    readonly inferenceClusterName: pulumi.Output<string>;
    readonly modelServingNamespace: pulumi.Output<string>;
    readonly admissionWebhookNamespace: pulumi.Output<string>;
}

/** The namespace model servers run in; its images must pass the admission webhook. */
export const MODEL_SERVING_NAMESPACE = "models";
/** Port the model servers listen on (the inference network's serving port). */
const SERVING_PORT = 8080;

const TRAINING_PREFIX = "training/";
const MODEL_PREFIX = "models/";
const CAPTURE_PREFIX = "capture/";

/** Builds the platform. Call inside a Pulumi program (or the offline harness). */
export function buildPlatform(cfg: PlatformConfig): PlatformOutputs {
    if (!cfg.modelArtifactKey.startsWith(MODEL_PREFIX)) {
        throw new Error(`stack config "modelArtifactKey" must start with "${MODEL_PREFIX}" (the prefix the inference role may read), got "${cfg.modelArtifactKey}"`);
    }
    const tags: AssetTags = { owner: cfg.owner, dataClassification: cfg.dataClassification };
    const admins = [cfg.deployerRoleArn];

    const networks = new AiNetworks("ai", {
        assetTags: tags,
        availabilityZoneCount: cfg.availabilityZoneCount,
        inferenceIngressCidrs: cfg.inferenceIngressCidrs,
        logKeyAdministratorArns: admins,
    });

    const roles = new SageMakerRoles("ml", {
        assetTags: tags,
        inferenceImageRepositoryArns: [ecrRepositoryArn(cfg.modelImage)],
        trainingVpcId: networks.trainingVpcId,
        inferenceVpcId: networks.inferenceVpcId,
    });

    const backups = new OfflineBackups("backup", {
        assetTags: tags,
        keyAdministratorArns: admins,
        airGappedVault: {},
        minRetentionDays: cfg.backupMinRetentionDays,
        maxRetentionDays: cfg.backupMaxRetentionDays,
    });

    const datasets = new ModelStore("datasets", {
        kind: StoreKinds.datasetStore,
        assetTags: tags,
        keyAdministratorArns: admins,
        keyUserArns: [roles.trainingRoleArn, backups.roleArn],
        expireObjectsAfterDays: cfg.datasetExpiryDays > 0 ? cfg.datasetExpiryDays : undefined,
    });
    const models = new ModelStore("models", {
        kind: StoreKinds.modelStore,
        releasedModels: true,
        assetTags: tags,
        keyAdministratorArns: admins,
        keyUserArns: [roles.trainingRoleArn, roles.inferenceRoleArn, backups.roleArn],
    });
    const capture = new ModelStore("capture", {
        kind: StoreKinds.inferenceCapture,
        assetTags: tags,
        keyAdministratorArns: admins,
        keyUserArns: [roles.inferenceRoleArn, backups.roleArn],
    });
    roles.grantDataAccess({
        trainingData: { bucketName: datasets.bucketName, prefix: TRAINING_PREFIX },
        modelArtifacts: { bucketName: models.bucketName, prefix: MODEL_PREFIX },
        dataCapture: { bucketName: capture.bucketName, prefix: CAPTURE_PREFIX },
        dataKeyArns: [datasets.keyArn, models.keyArn, capture.keyArn],
    });
    // Captured inference data is evidence for incident investigation (DP-3, OM-2): back it up too.
    backups.backUpBuckets([datasets.bucketArn, models.bucketArn, capture.bucketArn]);

    const audit = new AuditTrail("audit", {
        assetTags: tags,
        keyAdministratorArns: admins,
        dataEventBucketArns: [datasets.bucketArn, models.bucketArn, capture.bucketArn],
    });

    const workspaceKey = new EncryptionKey("workspace", {
        description: "SageMaker notebook and endpoint volumes",
        assetTags: tags,
        administratorArns: admins,
        userArns: [roles.trainingRoleArn, roles.inferenceRoleArn],
        alias: `${pulumi.getStack()}-ml-volumes`,
    });

    const workspace = new TrainingWorkspace("research", {
        assetTags: tags,
        executionRoleArn: roles.trainingRoleArn,
        kmsKeyArn: workspaceKey.arn,
        subnetIds: networks.training.subnets.map((s) => s.id),
        securityGroupIds: [networks.trainingSecurityGroupId],
        notebook: { instanceType: cfg.notebookInstanceType },
    });

    const endpoint = new InferenceEndpoint("sentiment", {
        assetTags: tags,
        executionRoleArn: roles.inferenceRoleArn,
        image: cfg.modelImage,
        modelDataUrl: pulumi.interpolate`s3://${models.bucketName}/${cfg.modelArtifactKey}`,
        subnetIds: networks.inference.subnets.map((s) => s.id),
        securityGroupIds: [networks.inferenceSecurityGroupId],
        kmsKeyArn: workspaceKey.arn,
        instanceType: cfg.inferenceInstanceType,
        initialInstanceCount: cfg.inferenceInstanceCount,
        captureDestinationS3Uri: pulumi.interpolate`s3://${capture.bucketName}/${CAPTURE_PREFIX}`,
        captureKmsKeyArn: capture.keyArn,
    });

    // Kubernetes side: the cluster lives in the inference network; its API answers only inside it.
    const inferenceCidr = networks.inference.vpc.cidrBlock;
    const cluster = new InferenceCluster("inference", {
        assetTags: tags,
        version: cfg.inferenceClusterVersion,
        vpcId: networks.inferenceVpcId,
        subnetIds: networks.inference.subnets.map((s) => s.id),
        apiClientCidrs: [inferenceCidr],
        adminRoleArns: admins,
        keyAdministratorArns: admins,
        nodes: { instanceTypes: [cfg.inferenceNodeInstanceType] },
    });
    const k8sOpts = { provider: cluster.provider };
    const serving = new ModelNamespace("model-serving", {
        namespace: MODEL_SERVING_NAMESPACE,
        // Clients arrive through the internal load balancer in the inference network.
        ingress: { cidrs: [inferenceCidr], ports: [SERVING_PORT] },
        // Models are read through the network's private endpoints (S3 and the AWS APIs), all in the VPC.
        modelStoreEgress: { cidrs: [inferenceCidr], port: 443 },
    }, k8sOpts);
    // EKS pods pull through the node role and carry no pull secrets: the webhook reads the model
    // repositories (images and signatures) with a Pod Identity role of its own, limited to them.
    const modelRepositories = ecrRepositoryArnForGlob(cfg.modelRegistryGlob);
    const admission = new ImageAdmissionWebhook("image-admission", {
        image: cfg.admissionWebhookImage,
        ecrAccess: modelRepositories === undefined ? undefined : { clusterName: cluster.clusterName, repositoryArns: [modelRepositories], assetTags: tags },
        trustPolicy: {
            policies: [{
                name: "released-models",
                images: [cfg.modelRegistryGlob],
                // The release key signs privately: signatures are not uploaded to the public
                // transparency log (which would publish model names), so none is required.
                authorities: [{ name: "release-key", key: { pem: cfg.cosignPublicKeyPem, ignoreTlog: true } }],
            }],
        },
    }, k8sOpts);

    return {
        trainingVpcId: networks.trainingVpcId,
        inferenceVpcId: networks.inferenceVpcId,
        datasetBucket: datasets.bucketName,
        modelBucket: models.bucketName,
        captureBucket: capture.bucketName,
        trainingRoleArn: roles.trainingRoleArn,
        inferenceRoleArn: roles.inferenceRoleArn,
        backupVaultArn: backups.vaultArn,
        airGappedVaultArn: backups.airGappedVaultArn,
        trailArn: audit.trailArn,
        notebookName: workspace.notebookName,
        endpointName: endpoint.endpointName,
        inferenceClusterName: cluster.clusterName,
        modelServingNamespace: serving.namespaceName,
        admissionWebhookNamespace: admission.namespaceName,
    };
}
