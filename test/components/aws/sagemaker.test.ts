import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import {
    imageReferenceProblem,
    InferenceEndpoint,
    type InferenceEndpointArgs,
    inferenceEndpointArgsProblem,
    splitImageReference,
} from "../../../components/aws/sagemaker-inference";
import { TrainingWorkspace, type TrainingWorkspaceArgs, trainingWorkspaceArgsProblem } from "../../../components/aws/sagemaker-training";
import { record, type Recorded } from "../../harness";

const T = {
    workspace: "aiguard:aws:TrainingWorkspace",
    endpointComponent: "aiguard:aws:InferenceEndpoint",
    notebook: "aws:sagemaker/notebookInstance:NotebookInstance",
    lifecycle: "aws:sagemaker/notebookInstanceLifecycleConfiguration:NotebookInstanceLifecycleConfiguration",
    domain: "aws:sagemaker/domain:Domain",
    model: "aws:sagemaker/model:Model",
    config: "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
    endpoint: "aws:sagemaker/endpoint:Endpoint",
} as const;

const OWNER = { owner: "ml-platform@example.com", dataClassification: "confidential" } as const;
const tagsOf = (kind: string) => ({ "aiguard:owner": OWNER.owner, "aiguard:data-classification": OWNER.dataClassification, "aiguard:asset-kind": kind });
const KEY = "arn:aws:kms:eu-west-2:123456789012:key/ai-key";
const TRAIN_ROLE = "arn:aws:iam::123456789012:role/training";
const INFER_ROLE = "arn:aws:iam::123456789012:role/inference";
const DIGEST = `sha256:${"ab12".repeat(16)}`;
const REPO = "123456789012.dkr.ecr.eu-west-2.amazonaws.com/models/llm";
const IMAGE = `${REPO}@${DIGEST}`;

/** Runs `make` and returns the error it throws, waiting for in-flight registrations first. */
async function rejection(make: () => unknown): Promise<Error> {
    const run = await record(() => {
        try {
            make();
        } catch (err) {
            return { err: err as Error };
        }
        return { err: undefined };
    });
    if (!run.result.err) throw new Error("expected the component to reject its arguments");
    return run.result.err;
}

function expectAllParented(run: Recorded<unknown>, type: string, name: string, expected: string[]): void {
    const comp = run.get(type, name);
    expect(run.childrenOf(comp.urn).map((r) => `${r.type} ${r.name}`).sort()).toEqual([...expected].sort());
    expect(run.resources.filter((r) => r.urn !== comp.urn).every((r) => r.parent === comp.urn)).toBe(true);
    expect(run.resources).toHaveLength(expected.length + 1);
}

// ---------------------------------------------------------------- training

function training(over: Partial<TrainingWorkspaceArgs> = {}): TrainingWorkspaceArgs {
    return { assetTags: OWNER, executionRoleArn: TRAIN_ROLE, kmsKeyArn: KEY, subnetIds: ["subnet-train-a", "subnet-train-b"], securityGroupIds: ["sg-train"], ...over };
}

const buildTraining = (args: TrainingWorkspaceArgs) =>
    record(() => {
        const w = new TrainingWorkspace("tw", args);
        return { notebook: w.notebookName, domain: w.domainId };
    });

describe("TrainingWorkspace", () => {
    it("defaults to one locked-down notebook instance in the first training subnet", async () => {
        const run = await buildTraining(training());
        expectAllParented(run, T.workspace, "tw", [`${T.notebook} tw-notebook`]);
        expect(run.inputs(T.notebook, "tw-notebook")).toEqual({
            roleArn: TRAIN_ROLE,
            instanceType: "ml.t3.medium",
            volumeSize: 20,
            platformIdentifier: "notebook-al2023-v1",
            kmsKeyId: KEY,
            subnetId: "subnet-train-a",
            securityGroups: ["sg-train"],
            directInternetAccess: "Disabled",
            rootAccess: "Disabled",
            instanceMetadataServiceConfiguration: { minimumInstanceMetadataServiceVersion: "2" },
            tags: tagsOf("notebook"),
        });
        expect(run.ofType(T.domain)).toEqual([]);
    });

    it("attaches a lifecycle configuration with base64-encoded scripts", async () => {
        const run = await buildTraining(training({ notebook: { lifecycle: { onStart: "#!/bin/bash\necho start\n" } } }));
        expectAllParented(run, T.workspace, "tw", [`${T.notebook} tw-notebook`, `${T.lifecycle} tw-lifecycle`]);
        const lc = run.inputs(T.lifecycle, "tw-lifecycle");
        expect(lc.onCreate).toBeUndefined();
        expect(Buffer.from(lc.onStart, "base64").toString("utf8")).toBe("#!/bin/bash\necho start\n");
        expect(lc.tags).toEqual(tagsOf("notebook"));
        expect(run.inputs(T.notebook, "tw-notebook").lifecycleConfigName).toBe("tw-lifecycle-0a1b2c3");
    });

    it("adds a VPC-only Studio domain encrypted with the key, Docker and output sharing off, EFS retained", async () => {
        const run = await buildTraining(training({ studio: { vpcId: "vpc-train" } }));
        expectAllParented(run, T.workspace, "tw", [`${T.notebook} tw-notebook`, `${T.domain} tw-domain`]);
        expect(run.inputs(T.domain, "tw-domain")).toEqual({
            domainName: "tw",
            authMode: "IAM",
            vpcId: "vpc-train",
            subnetIds: ["subnet-train-a", "subnet-train-b"],
            appNetworkAccessType: "VpcOnly",
            kmsKeyId: KEY,
            defaultUserSettings: { executionRole: TRAIN_ROLE, securityGroups: ["sg-train"], sharingSettings: { notebookOutputOption: "Disabled" } },
            defaultSpaceSettings: { executionRole: TRAIN_ROLE, securityGroups: ["sg-train"] },
            domainSettings: { securityGroupIds: ["sg-train"], executionRoleIdentityConfig: "USER_PROFILE_NAME", dockerSettings: { enableDockerAccess: "DISABLED" } },
            retentionPolicy: { homeEfsFileSystem: "Retain" },
            tags: tagsOf("notebook"),
        });
        expect(await new Promise((r) => pulumi.output(run.result.domain!).apply(r))).toBe("tw");
    });

    it("can create only the Studio domain", async () => {
        const run = await buildTraining(training({ notebook: false, studio: { vpcId: "vpc-train", domainName: "research", authMode: "SSO" } }));
        expectAllParented(run, T.workspace, "tw", [`${T.domain} tw-domain`]);
        expect(run.inputs(T.domain, "tw-domain")).toMatchObject({ domainName: "research", authMode: "SSO" });
        expect(run.result.notebook).toBeUndefined();
    });

    it("applies each relaxation only through its own switch", async () => {
        const run = await buildTraining(training({
            allowDirectInternetAccess: true,
            allowRootAccess: true,
            notebook: { allowImdsV1: true, instanceType: "ml.m5.xlarge", volumeSizeInGb: 100, platformIdentifier: "notebook-al2-v3" },
            studio: { vpcId: "vpc-train", allowDockerAccess: true, allowNotebookOutputSharing: true, notebookOutputS3Path: "s3://acme-train/shared/", deleteHomeEfsWithDomain: true },
        }));
        expect(run.inputs(T.notebook, "tw-notebook")).toMatchObject({
            directInternetAccess: "Enabled", rootAccess: "Enabled", instanceMetadataServiceConfiguration: { minimumInstanceMetadataServiceVersion: "1" },
            instanceType: "ml.m5.xlarge", volumeSize: 100, platformIdentifier: "notebook-al2-v3",
        });
        const d = run.inputs(T.domain, "tw-domain");
        expect(d.appNetworkAccessType).toBe("PublicInternetOnly");
        expect(d.domainSettings.dockerSettings).toEqual({ enableDockerAccess: "ENABLED" });
        expect(d.defaultUserSettings.sharingSettings).toEqual({ notebookOutputOption: "Allowed", s3OutputPath: "s3://acme-train/shared/", s3KmsKeyId: KEY });
        expect(d.retentionPolicy).toEqual({ homeEfsFileSystem: "Delete" });
    });

    const cases: [string, Partial<TrainingWorkspaceArgs>, string][] = [
        ["nothing to create", { notebook: false }, "notebook: false and no studio leaves nothing to create: keep the notebook or add studio: { vpcId }"],
        ["no subnets", { subnetIds: [] }, "subnetIds must list at least one training-network subnet"],
        ["no security groups", { securityGroupIds: [] }, "securityGroupIds must list at least one training-network security group"],
        ["a deprecated platform", { notebook: { platformIdentifier: "notebook-al2-v1" } }, "platformIdentifier notebook-al2-v1 is deprecated and no longer patched (OM-3); use notebook-al2023-v1 or notebook-al2-v3"],
        ["a malformed platform", { notebook: { platformIdentifier: "amazon-linux" } }, 'platformIdentifier must look like notebook-al2023-v1; got "amazon-linux"'],
        ["a tiny volume", { notebook: { volumeSizeInGb: 1 } }, "volumeSizeInGb must be a whole number from 5 to 16384; got 1"],
        ["an empty lifecycle", { notebook: { lifecycle: {} } }, "notebook.lifecycle needs onCreate or onStart (or remove it)"],
        ["root access without a notebook", { notebook: false, allowRootAccess: true, studio: { vpcId: "vpc-train" } }, "allowRootAccess only applies to the notebook instance, and notebook is false; remove allowRootAccess"],
        ["output sharing without a path", { studio: { vpcId: "v", allowNotebookOutputSharing: true } }, "studio.allowNotebookOutputSharing needs studio.notebookOutputS3Path"],
        ["an output path without sharing", { studio: { vpcId: "v", notebookOutputS3Path: "s3://acme/x" } }, "studio.notebookOutputS3Path is only used when studio.allowNotebookOutputSharing is true"],
        ["a bad domain name", { studio: { vpcId: "v", domainName: "my_domain" } }, 'studio.domainName must be 1-63 letters, digits or inner hyphens; got "my_domain"'],
    ];
    it.each(cases)("rejects %s", async (_label, over, message) => {
        expect(trainingWorkspaceArgsProblem(training(over))).toContain(message);
        const err = await rejection(() => new TrainingWorkspace("tw", training(over)));
        expect(err).toBeInstanceOf(pulumi.ResourceError);
        expect(err.message).toContain(message);
    });
});

// ---------------------------------------------------------------- inference

function inference(over: Partial<InferenceEndpointArgs> = {}): InferenceEndpointArgs {
    return {
        assetTags: OWNER,
        executionRoleArn: INFER_ROLE,
        image: IMAGE,
        modelDataUrl: "s3://acme-models/llm/v3/model.tar.gz",
        subnetIds: ["subnet-inf-a", "subnet-inf-b"],
        securityGroupIds: ["sg-inf"],
        kmsKeyArn: KEY,
        captureDestinationS3Uri: "s3://acme-capture/endpoints/llm",
        ...over,
    };
}

const buildInference = (args: InferenceEndpointArgs) =>
    record(() => {
        const e = new InferenceEndpoint("ie", args);
        return { name: e.endpointName, arn: e.endpointArn, model: e.modelName, config: e.endpointConfigName };
    });

const value = <V>(o: pulumi.Output<V>): Promise<V> => new Promise((r) => o.apply((v) => r(v)));

describe("InferenceEndpoint", () => {
    it("deploys a network-isolated, digest-pinned model in the inference VPC", async () => {
        const run = await buildInference(inference());
        expectAllParented(run, T.endpointComponent, "ie", [`${T.model} ie-model`, `${T.config} ie-config`, `${T.endpoint} ie-endpoint`]);
        expect(run.inputs(T.model, "ie-model")).toEqual({
            executionRoleArn: INFER_ROLE,
            enableNetworkIsolation: true,
            primaryContainer: { image: IMAGE, modelDataUrl: "s3://acme-models/llm/v3/model.tar.gz" },
            vpcConfig: { subnets: ["subnet-inf-a", "subnet-inf-b"], securityGroupIds: ["sg-inf"] },
            tags: tagsOf("model"),
        });
    });

    it("encrypts the volume and captures 100% of inputs and outputs to the encrypted capture store", async () => {
        const run = await buildInference(inference());
        expect(run.inputs(T.config, "ie-config")).toEqual({
            kmsKeyArn: KEY,
            productionVariants: [{ variantName: "primary", modelName: "ie-model-0a1b2c3", instanceType: "ml.m5.large", initialInstanceCount: 1, initialVariantWeight: 1, enableSsmAccess: false }],
            dataCaptureConfig: {
                enableCapture: true,
                initialSamplingPercentage: 100,
                destinationS3Uri: "s3://acme-capture/endpoints/llm",
                kmsKeyId: KEY,
                captureOptions: [{ captureMode: "Input" }, { captureMode: "Output" }],
            },
            tags: tagsOf("endpoint"),
        });
        expect(run.inputs(T.endpoint, "ie-endpoint")).toEqual({ endpointConfigName: "ie-config-0a1b2c3", tags: tagsOf("endpoint") });
        expect(await value(run.result.name)).toBe("ie-endpoint-0a1b2c3");
        expect(await value(run.result.arn)).toBe("arn:aws:sagemaker:eu-west-2:123456789012:endpoint/ie-endpoint-0a1b2c3");
        expect(await value(run.result.model)).toBe("ie-model-0a1b2c3");
        expect(await value(run.result.config)).toBe("ie-config-0a1b2c3");
    });

    it("accepts a computed repository with a separate digest", async () => {
        const run = await buildInference(inference({ image: { repository: pulumi.output(REPO), digest: DIGEST } }));
        expect(run.inputs(T.model, "ie-model").primaryContainer.image).toBe(IMAGE);
    });

    it("applies capture, sizing and environment options", async () => {
        const run = await buildInference(inference({
            captureSamplingPercentage: 25, captureKmsKeyArn: "arn:aws:kms:eu-west-2:123456789012:key/capture",
            captureContentTypes: { json: ["application/json"] }, instanceType: "ml.c6i.xlarge", initialInstanceCount: 2,
            environment: { MODEL_ID: "llm-v3" },
        }));
        const cfg = run.inputs(T.config, "ie-config");
        expect(cfg.dataCaptureConfig).toMatchObject({
            initialSamplingPercentage: 25, kmsKeyId: "arn:aws:kms:eu-west-2:123456789012:key/capture",
            captureContentTypeHeader: { jsonContentTypes: ["application/json"] },
        });
        expect(cfg.productionVariants[0]).toMatchObject({ instanceType: "ml.c6i.xlarge", initialInstanceCount: 2 });
        expect(run.inputs(T.model, "ie-model").primaryContainer.environment).toEqual({ MODEL_ID: "llm-v3" });
    });

    it("applies each relaxation only through its own switch", async () => {
        const run = await buildInference(inference({ captureDestinationS3Uri: undefined, disableDataCapture: true, disableNetworkIsolation: true, omitVolumeKmsKey: true }));
        expect(run.inputs(T.model, "ie-model").enableNetworkIsolation).toBe(false);
        const cfg = run.inputs(T.config, "ie-config");
        expect(cfg.dataCaptureConfig).toBeUndefined();
        expect(cfg.kmsKeyArn).toBeUndefined();
    });

    const cases: [string, Partial<InferenceEndpointArgs>, string][] = [
        ["a tag-only image", { image: `${REPO}:v3` }, `image "${REPO}:v3" uses the tag "v3", which can be moved to another image after review (DP-2). Pin it by digest: "${REPO}@sha256:<64 hex digest>"`],
        ["an untagged image (latest)", { image: REPO }, `image "${REPO}" has no tag or digest (it means :latest), which can be moved to another image after review (DP-2). Pin it by digest: "${REPO}@sha256:<64 hex digest>"`],
        ["the latest tag", { image: `${REPO}:latest` }, `uses the tag "latest"`],
        ["a short digest", { image: `${REPO}@sha256:abc` }, `has a malformed digest "sha256:abc": expected sha256: followed by 64 lowercase hex characters (or sha512: and 128), as in "${REPO}@sha256:<64 hex digest>"`],
        ["a tag and a digest", { image: `${REPO}:v3@${DIGEST}` }, `names both a tag and a digest; SageMaker accepts one of them. Drop the tag: "${IMAGE}"`],
        ["a bad separate digest", { image: { repository: REPO, digest: "latest" } }, 'image.digest must be sha256: followed by 64 lowercase hex characters (or sha512: and 128); got "latest"'],
        ["a tagged separate repository", { image: { repository: `${REPO}:v3`, digest: DIGEST } }, "image.repository must not carry a tag or digest"],
        ["a non-S3 model URL", { modelDataUrl: "https://example.com/model.tar.gz" }, "modelDataUrl must be an s3:// URL of the artifacts in the model store"],
        ["no subnets", { subnetIds: [] }, "subnetIds must list at least one inference-network subnet"],
        ["no security groups", { securityGroupIds: [] }, "securityGroupIds must list at least one inference-network security group"],
        ["zero instances", { initialInstanceCount: 0 }, "initialInstanceCount must be a whole number of at least 1; got 0"],
        ["no capture destination", { captureDestinationS3Uri: undefined }, "captureDestinationS3Uri is required: inference inputs and outputs are captured to the encrypted capture store (OM-2, P12)"],
        ["a non-S3 capture destination", { captureDestinationS3Uri: "acme-capture/llm" }, "captureDestinationS3Uri must be an s3:// URL"],
        ["0% sampling", { captureSamplingPercentage: 0 }, "captureSamplingPercentage 0 captures nothing; to turn capture off, set disableDataCapture: true explicitly"],
        ["over 100% sampling", { captureSamplingPercentage: 150 }, "captureSamplingPercentage must be a whole number from 1 to 100; got 150"],
        ["empty content types", { captureContentTypes: {} }, "captureContentTypes needs csv or json content types (or remove it)"],
        ["capture disabled with a destination", { disableDataCapture: true }, "captureDestinationS3Uri contradicts disableDataCapture: true; remove one of them"],
        ["capture disabled with a percentage", { disableDataCapture: true, captureDestinationS3Uri: undefined, captureSamplingPercentage: 50 }, "captureSamplingPercentage contradicts disableDataCapture: true"],
    ];
    it.each(cases)("rejects %s", async (_label, over, message) => {
        expect(inferenceEndpointArgsProblem(inference(over))).toContain(message);
        const err = await rejection(() => new InferenceEndpoint("ie", inference(over)));
        expect(err).toBeInstanceOf(pulumi.ResourceError);
        expect(err.message).toContain(message);
    });
});

describe("image references", () => {
    it.each([
        ["registry:5000/team/model:tag", { repository: "registry:5000/team/model", tag: "tag", digest: undefined }],
        ["registry:5000/team/model", { repository: "registry:5000/team/model", tag: undefined, digest: undefined }],
        [`model@${DIGEST}`, { repository: "model", tag: undefined, digest: DIGEST }],
    ])("splits %s", (ref, parts) => {
        expect(splitImageReference(ref)).toEqual(parts);
    });

    it("accepts digest-pinned references from ECR, other registries and bare names", () => {
        expect(imageReferenceProblem(IMAGE)).toBeUndefined();
        expect(imageReferenceProblem(`registry.example.com:5000/team/model@${DIGEST}`)).toBeUndefined();
        expect(imageReferenceProblem(`model@${DIGEST}`)).toBeUndefined();
        expect(imageReferenceProblem(`${REPO}@sha256:${"AB12".repeat(16)}`)).toContain("malformed digest");
        expect(imageReferenceProblem(`Registry.example.com/Team/model@${DIGEST}`)).toContain('malformed repository "Registry.example.com/Team/model"');
    });
});
