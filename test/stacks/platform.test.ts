import { describe, expect, it } from "vitest";
import { parsePlatformConfig, ecrRepositoryArn } from "../../stacks/platform/config";
import { buildPlatform } from "../../stacks/platform/platform";
import { loadPolicy } from "../../admission-webhook/verification";
import { policyDoc, record } from "../harness";
import { PROJECT, rawStackConfig, stackConfig } from "./platform-config";

const COMPONENTS = [
    "aiguard:aws:AiNetworks",
    "aiguard:aws:SageMakerRoles",
    "aiguard:aws:OfflineBackups",
    "aiguard:aws:ModelStore",
    "aiguard:aws:AuditTrail",
    "aiguard:aws:EncryptionKey",
    "aiguard:aws:TrainingWorkspace",
    "aiguard:aws:InferenceEndpoint",
    "aiguard:aws:InferenceCluster",
    "aiguard:k8s:ModelNamespace",
    "aiguard:k8s:ImageAdmissionWebhook",
];

describe.each(["dev", "prod"])("example platform, %s stack, offline", (stack) => {
    it("registers the full platform from components only, every resource parented, no unmocked call", async () => {
        const { cfg, raw } = stackConfig(stack);
        const run = await record(() => buildPlatform(cfg), { project: PROJECT, stack, config: raw });
        expect(run.resources.length).toBeGreaterThan(150);
        // Only components sit at the top: the stack declares nothing but components.
        const top = run.resources.filter((r) => r.parent === undefined);
        expect(new Set(top.map((r) => r.type))).toEqual(new Set(COMPONENTS));
        const urns = new Set(run.resources.map((r) => r.urn));
        for (const r of run.resources) if (r.parent !== undefined) expect(urns.has(r.parent)).toBe(true);
        // Segregated networks over the configured AZ count, no way to the internet.
        expect(run.ofType("aws:ec2/vpc:Vpc")).toHaveLength(2);
        expect(run.ofType("aws:ec2/subnet:Subnet")).toHaveLength(2 * cfg.availabilityZoneCount);
        for (const t of ["aws:ec2/internetGateway:InternetGateway", "aws:ec2/natGateway:NatGateway", "aws:ec2/vpcPeeringConnection:VpcPeeringConnection", "aws:ec2transitgateway/vpcAttachment:VpcAttachment", "aws:ec2/eip:Eip"]) {
            expect(run.ofType(t)).toEqual([]);
        }
        // Three AI data stores plus their log buckets and the trail bucket, all SSE-KMS or (log targets) SSE-S3.
        const stores = run.ofType("aws:s3/bucket:Bucket").filter((b) => ["model-store", "dataset-store", "inference-capture"].includes((b.inputs.tags as any)?.["aiguard:asset-kind"]));
        expect(stores.map((b) => (b.inputs.tags as any)["aiguard:asset-kind"]).sort()).toEqual(["dataset-store", "inference-capture", "model-store"]);
        expect(run.ofType("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration")).toHaveLength(1);
        // Every key rotates; every bucket has its split settings.
        for (const k of run.ofType("aws:kms/key:Key")) {
            expect(k.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
            expect(JSON.stringify(policyDoc(k.inputs.policy))).toContain(cfg.deployerRoleArn);
        }
        const buckets = run.ofType("aws:s3/bucket:Bucket").length;
        for (const t of ["bucketVersioning:BucketVersioning", "bucketPublicAccessBlock:BucketPublicAccessBlock", "bucketOwnershipControls:BucketOwnershipControls", "bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "bucketPolicy:BucketPolicy"]) {
            expect(run.ofType(`aws:s3/${t}`)).toHaveLength(buckets);
        }
        // The endpoint serves the configured digest-pinned image with data capture to the capture store.
        const model = run.ofType("aws:sagemaker/model:Model")[0]!;
        expect(model.inputs.primaryContainer).toMatchObject({ image: cfg.modelImage });
        expect(model.inputs.enableNetworkIsolation).toBe(true);
        const epc = run.ofType("aws:sagemaker/endpointConfiguration:EndpointConfiguration")[0]!.inputs as any;
        expect(epc.productionVariants[0]).toMatchObject({ instanceType: cfg.inferenceInstanceType, initialInstanceCount: cfg.inferenceInstanceCount });
        expect(epc.dataCaptureConfig.destinationS3Uri).toMatch(/^s3:\/\/capture-bucket-.*\/capture\/$/);
        // The inference role may pull exactly the configured repository.
        const inferencePolicy = JSON.stringify(run.ofType("aws:iam/rolePolicy:RolePolicy").map((p) => p.inputs.policy));
        expect(inferencePolicy).toContain(ecrRepositoryArn(cfg.modelImage));
        // Backups select exactly the three AI data stores.
        const selection = run.ofType("aws:backup/selection:Selection")[0]!.inputs as any;
        const storeArn = (kind: string) => `arn:aws:s3:::${stores.find((b) => (b.inputs.tags as any)["aiguard:asset-kind"] === kind)!.outputs.bucket}`;
        expect([...selection.resources].sort()).toEqual([storeArn("dataset-store"), storeArn("inference-capture"), storeArn("model-store")].sort());
        // The audit trail records data events on all three stores.
        const trail = run.ofType("aws:cloudtrail/trail:Trail")[0]!.inputs as any;
        expect(JSON.stringify(trail.advancedEventSelectors)).toContain(storeArn("inference-capture"));
    });

    it("adds the inference cluster, a model-serving namespace and the admission webhook built from the stack config", async () => {
        const { cfg, raw } = stackConfig(stack);
        const run = await record(() => buildPlatform(cfg), { project: PROJECT, stack, config: raw });
        // The cluster sits in the inference VPC's private subnets, API private, reachable from that VPC only.
        const inferenceVpc = run.ofType("aws:ec2/vpc:Vpc").find((v) => (v.inputs.tags as any)["aiguard:network-role"] === "inference")!;
        const cluster = run.inputs("aws:eks/cluster:Cluster", "inference-cluster");
        expect(cluster).toMatchObject({ name: "inference", version: cfg.inferenceClusterVersion, vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: false } });
        const inferenceSubnets = run.ofType("aws:ec2/subnet:Subnet").filter((s) => s.inputs.vpcId === inferenceVpc.id).map((s) => s.id);
        expect(cluster.vpcConfig.subnetIds).toEqual(inferenceSubnets);
        expect(run.inputs("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "inference-api-in-0").cidrIpv4).toBe(inferenceVpc.inputs.cidrBlock);
        expect(run.inputs("aws:eks/accessEntry:AccessEntry", "inference-admin-0").principalArn).toBe(cfg.deployerRoleArn);
        expect(run.inputs("aws:eks/nodeGroup:NodeGroup", "inference-nodes").instanceTypes).toEqual([cfg.inferenceNodeInstanceType]);
        // The model-serving namespace is under admission; the webhook runs the configured image and trusts the configured key.
        expect(run.inputs("kubernetes:core/v1:Namespace", "model-serving-ns").metadata).toMatchObject({
            name: "models", labels: { "aiguard.io/model-serving": "true", "pod-security.kubernetes.io/enforce": "restricted" },
        });
        expect(run.inputs("kubernetes:networking.k8s.io/v1:NetworkPolicy", "model-serving-allow-ingress").spec.ingress[0]).toEqual({
            from: [{ ipBlock: { cidr: inferenceVpc.inputs.cidrBlock } }], ports: [{ protocol: "TCP", port: 8080 }],
        });
        const deployment = run.inputs("kubernetes:apps/v1:Deployment", "image-admission-deployment");
        expect(deployment.spec.template.spec.containers[0].image).toBe(cfg.admissionWebhookImage);
        const policy = loadPolicy(run.inputs("kubernetes:core/v1:ConfigMap", "image-admission-policy").data["policy.yaml"]);
        expect(policy.policies.map((p) => [p.name, p.mode, p.images.map((g) => g.pattern)])).toEqual([["released-models", "enforce", [cfg.modelRegistryGlob]]]);
        expect(policy.policies[0]!.authorities.map((a) => a.kind === "key" && a.pem.trim())).toEqual([cfg.cosignPublicKeyPem.trim()]);
        const webhook = run.inputs("kubernetes:admissionregistration.k8s.io/v1:ValidatingWebhookConfiguration", "image-admission-config").webhooks[0];
        expect(webhook).toMatchObject({ failurePolicy: "Fail", namespaceSelector: { matchLabels: { "aiguard.io/model-serving": "true" } } });
        // Every Kubernetes object goes through the cluster's provider (a child of the cluster component).
        expect(run.ofType("pulumi:providers:kubernetes").map((p) => p.name)).toEqual(["inference-k8s"]);
    });
});

describe("stack configuration", () => {
    const base = rawStackConfig("dev");
    const src = (over: Record<string, string | undefined>) => ({ get: (k: string) => ({ ...base, ...over })[`${PROJECT}:${k}`] });
    it.each([
        [{ [`${PROJECT}:modelImage`]: "123456789012.dkr.ecr.eu-west-2.amazonaws.com/models/sentiment:latest" }, /"modelImage".*pinned by digest.*crane digest/],
        [{ [`${PROJECT}:owner`]: undefined }, /"owner": is required.*pulumi config set owner/],
        [{ [`${PROJECT}:dataClassification`]: "secret" }, /must be one of public, internal, confidential, restricted/],
        [{ [`${PROJECT}:deployerRoleArn`]: "arn:aws:iam::123456789012:user/bob" }, /must be an IAM role ARN/],
        [{ [`${PROJECT}:availabilityZoneCount`]: "1" }, /"availabilityZoneCount": must be a whole number from 2 to 6/],
        [{ [`${PROJECT}:inferenceIngressCidrs`]: '["0.0.0.0"]' }, /JSON list of IPv4 CIDRs/],
        [{ [`${PROJECT}:backupMinRetentionDays`]: "400" }, /"backupMaxRetentionDays": must be at least backupMinRetentionDays \(400\)/],
        [{ [`${PROJECT}:admissionWebhookImage`]: "123456789012.dkr.ecr.eu-west-2.amazonaws.com/aiguard/admission:1.0" }, /"admissionWebhookImage": must be an ECR image pinned by digest.*admission-webhook\/Dockerfile/],
        [{ [`${PROJECT}:cosignPublicKeyPem`]: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----" }, /"cosignPublicKeyPem": must be a public key in PEM/],
        [{ [`${PROJECT}:cosignPublicKeyPem`]: undefined }, /"cosignPublicKeyPem": is required/],
        [{ [`${PROJECT}:modelRegistryGlob`]: "models/**" }, /"modelRegistryGlob": must be a registry host and repository glob/],
        [{ [`${PROJECT}:inferenceClusterVersion`]: "latest" }, /"inferenceClusterVersion": must be a Kubernetes minor version/],
    ])("rejects %j with a message naming the key and the fix", (over, message) => {
        expect(() => parsePlatformConfig(src(over))).toThrow(message);
    });

    it("rejects a model artifact outside the prefix the inference role may read", async () => {
        const { cfg } = stackConfig("dev");
        expect(() => buildPlatform({ ...cfg, modelArtifactKey: "staging/model.tar.gz" })).toThrow(/must start with "models\/"/);
    });

    it("rejects an unsupported cluster version through the cluster component", async () => {
        const { cfg } = stackConfig("dev");
        await expect(record(() => buildPlatform({ ...cfg, inferenceClusterVersion: "1.30" }))).rejects.toThrow(/older than 1\.32/);
    });

    it("rejects a release key the webhook cannot load, before anything is deployed", async () => {
        const { cfg } = stackConfig("dev");
        const broken = cfg.cosignPublicKeyPem.replace(/[A-Za-z0-9+/]{20}/, "A".repeat(20));
        await expect(record(() => buildPlatform({ ...cfg, cosignPublicKeyPem: broken }))).rejects.toThrow(/not accepted by the admission webhook: policies\[0\]\.authorities\[0\]/);
    });

    it("rejects an open inference ingress through the network component", async () => {
        const { cfg } = stackConfig("dev");
        await expect(record(() => buildPlatform({ ...cfg, inferenceIngressCidrs: ["0.0.0.0/0"] }))).rejects.toThrow(/0\.0\.0\.0\/0/);
    });
});
