import { describe, expect, it } from "vitest";
import { parsePlatformConfig, ecrRepositoryArn } from "../../stacks/platform/config";
import { buildPlatform } from "../../stacks/platform/platform";
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
    ])("rejects %j with a message naming the key and the fix", (over, message) => {
        expect(() => parsePlatformConfig(src(over))).toThrow(message);
    });

    it("rejects a model artifact outside the prefix the inference role may read", async () => {
        const { cfg } = stackConfig("dev");
        expect(() => buildPlatform({ ...cfg, modelArtifactKey: "staging/model.tar.gz" })).toThrow(/must start with "models\/"/);
    });

    it("rejects an open inference ingress through the network component", async () => {
        const { cfg } = stackConfig("dev");
        await expect(record(() => buildPlatform({ ...cfg, inferenceIngressCidrs: ["0.0.0.0/0"] }))).rejects.toThrow(/0\.0\.0\.0\/0/);
    });
});
