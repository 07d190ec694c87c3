/**
 * A hardened SageMaker real-time inference endpoint (DP-2, DP-1, OM-2, P12, DV-3).
 *
 * Secure defaults: the model container runs network-isolated inside the inference network, from a
 * digest-pinned image (tags are rejected), with its artifacts from the model store; the endpoint's
 * storage volume is encrypted with a customer key; every request and response is captured (100%,
 * Input and Output) to the encrypted capture store for monitoring and investigation; SSM access to
 * the hosts is off. Each relaxation is its own named switch.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { imageReference, imageReferenceProblem, type PinnedImage, pinnedImageProblem } from "./sagemaker-image";
import { AssetKinds, assetTags, type AssetTags, assetTagsProblem } from "./tags";

export * from "./sagemaker-image";

export interface InferenceEndpointArgs {
    /** Inventory tags. */
    readonly assetTags: AssetTags;
    /** Role SageMaker assumes to pull the image and read the model artifacts (the inference role). Required. */
    readonly executionRoleArn: pulumi.Input<string>;
    /**
     * Inference container image, pinned by digest: `<repository>@sha256:<64 hex>` or
     * `{ repository, digest }`. Tags (including an implicit `latest`) are rejected. Required.
     */
    readonly image: string | PinnedImage;
    /** `s3://` URL of the model artifacts in the model store. Required. */
    readonly modelDataUrl: pulumi.Input<string>;
    /** Environment variables of the container. Default none. */
    readonly environment?: Readonly<Record<string, pulumi.Input<string>>>;
    /** Inference-network subnets. Required, non-empty. */
    readonly subnetIds: readonly pulumi.Input<string>[];
    /** Inference-network security groups. Required, non-empty. */
    readonly securityGroupIds: readonly pulumi.Input<string>[];
    /** Customer KMS key for the endpoint's storage volume and (by default) the captured data. Required. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Instance type. Default `ml.m5.large`. */
    readonly instanceType?: string;
    /** Initial instance count, at least 1. Default 1. */
    readonly initialInstanceCount?: number;
    /** `s3://` prefix on the encrypted inference-capture store. Required unless `disableDataCapture`. */
    readonly captureDestinationS3Uri?: pulumi.Input<string>;
    /** KMS key for the captured data. Default `kmsKeyArn`. */
    readonly captureKmsKeyArn?: pulumi.Input<string>;
    /** Share of requests captured, 1-100. Default 100. */
    readonly captureSamplingPercentage?: number;
    /** Content types captured as text rather than base64. Default none (SageMaker's default). */
    readonly captureContentTypes?: { readonly csv?: readonly string[]; readonly json?: readonly string[] };
    /** Turn off data capture (relaxation: inputs and outputs go unmonitored, OM-2, P12). Default false. */
    readonly disableDataCapture?: boolean;
    /** Let the container make and receive network calls (relaxation: exfiltration path, DP-1). Default false. */
    readonly disableNetworkIsolation?: boolean;
    /**
     * Do not set a KMS key on the storage volume. Only for instance types with NVMe instance storage
     * (e.g. ml.g5, ml.p4d), which AWS encrypts with a hardware key and for which it rejects a KMS key.
     * Default false.
     */
    readonly omitVolumeKmsKey?: boolean;
}

const S3_URL = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/;

/** The first problem with the arguments, or `undefined`. Computed (output) values are not checked. */
export function inferenceEndpointArgsProblem(args: InferenceEndpointArgs): string | undefined {
    const tagsProblem = assetTagsProblem(args.assetTags);
    if (tagsProblem !== undefined) return tagsProblem;
    const imageProblem = typeof args.image === "string" || args.image === undefined
        ? imageReferenceProblem(args.image as string)
        : pinnedImageProblem(args.image);
    if (imageProblem) return imageProblem;
    if (typeof args.modelDataUrl === "string" && !/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+/.test(args.modelDataUrl)) {
        return `modelDataUrl must be an s3:// URL of the artifacts in the model store, e.g. s3://models-bucket/llm/v3/model.tar.gz; got ${JSON.stringify(args.modelDataUrl)}`;
    }
    if (args.subnetIds.length === 0) {
        return "subnetIds must list at least one inference-network subnet: the model runs inside the inference VPC (DP-1)";
    }
    if (args.securityGroupIds.length === 0) {
        return "securityGroupIds must list at least one inference-network security group (DP-1)";
    }
    const count = args.initialInstanceCount ?? 1;
    if (!Number.isInteger(count) || count < 1) {
        return `initialInstanceCount must be a whole number of at least 1; got ${count}`;
    }
    if (args.disableDataCapture === true) {
        for (const field of ["captureDestinationS3Uri", "captureKmsKeyArn", "captureSamplingPercentage", "captureContentTypes"] as const) {
            if (args[field] !== undefined) {
                return `${field} contradicts disableDataCapture: true; remove one of them`;
            }
        }
        return undefined;
    }
    if (args.captureDestinationS3Uri === undefined) {
        return "captureDestinationS3Uri is required: inference inputs and outputs are captured to the encrypted capture store (OM-2, P12). Set it to an s3:// prefix, or set disableDataCapture: true to opt out explicitly";
    }
    if (typeof args.captureDestinationS3Uri === "string" && !S3_URL.test(args.captureDestinationS3Uri)) {
        return `captureDestinationS3Uri must be an s3:// URL, e.g. s3://capture-bucket/endpoints/llm; got ${JSON.stringify(args.captureDestinationS3Uri)}`;
    }
    const pct = args.captureSamplingPercentage ?? 100;
    if (pct === 0) {
        return "captureSamplingPercentage 0 captures nothing; to turn capture off, set disableDataCapture: true explicitly";
    }
    if (!Number.isInteger(pct) || pct < 1 || pct > 100) {
        return `captureSamplingPercentage must be a whole number from 1 to 100; got ${pct}`;
    }
    const types = args.captureContentTypes;
    if (types && (types.csv?.length ?? 0) === 0 && (types.json?.length ?? 0) === 0) {
        return "captureContentTypes needs csv or json content types (or remove it)";
    }
    return undefined;
}

export class InferenceEndpoint extends pulumi.ComponentResource {
    readonly model: aws.sagemaker.Model;
    readonly endpointConfig: aws.sagemaker.EndpointConfiguration;
    readonly endpoint: aws.sagemaker.Endpoint;

    readonly endpointName: pulumi.Output<string>;
    readonly endpointArn: pulumi.Output<string>;
    readonly modelName: pulumi.Output<string>;
    readonly endpointConfigName: pulumi.Output<string>;

    constructor(name: string, args: InferenceEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aiguard:aws:InferenceEndpoint", name, {}, opts);
        const problem = inferenceEndpointArgsProblem(args);
        if (problem !== undefined) throw new pulumi.ResourceError(problem, this);

        this.model = new aws.sagemaker.Model(`${name}-model`, {
            executionRoleArn: args.executionRoleArn,
            enableNetworkIsolation: args.disableNetworkIsolation !== true,
            primaryContainer: {
                image: imageReference(args.image),
                modelDataUrl: args.modelDataUrl,
                environment: args.environment === undefined ? undefined : { ...args.environment },
            },
            vpcConfig: { subnets: [...args.subnetIds], securityGroupIds: [...args.securityGroupIds] },
            tags: assetTags(args.assetTags, AssetKinds.model),
        }, { parent: this });

        const endpointTags = assetTags(args.assetTags, AssetKinds.endpoint);
        const types = args.captureContentTypes;
        this.endpointConfig = new aws.sagemaker.EndpointConfiguration(`${name}-config`, {
            kmsKeyArn: args.omitVolumeKmsKey === true ? undefined : args.kmsKeyArn,
            productionVariants: [{
                variantName: "primary",
                modelName: this.model.name,
                instanceType: args.instanceType ?? "ml.m5.large",
                initialInstanceCount: args.initialInstanceCount ?? 1,
                initialVariantWeight: 1,
                enableSsmAccess: false,
            }],
            dataCaptureConfig: args.disableDataCapture === true ? undefined : {
                enableCapture: true,
                initialSamplingPercentage: args.captureSamplingPercentage ?? 100,
                destinationS3Uri: args.captureDestinationS3Uri!,
                kmsKeyId: args.captureKmsKeyArn ?? args.kmsKeyArn,
                captureOptions: [{ captureMode: "Input" }, { captureMode: "Output" }],
                captureContentTypeHeader: types === undefined ? undefined : {
                    csvContentTypes: types.csv === undefined ? undefined : [...types.csv],
                    jsonContentTypes: types.json === undefined ? undefined : [...types.json],
                },
            },
            tags: endpointTags,
        }, { parent: this });

        this.endpoint = new aws.sagemaker.Endpoint(`${name}-endpoint`, {
            endpointConfigName: this.endpointConfig.name,
            tags: endpointTags,
        }, { parent: this });

        this.endpointName = this.endpoint.name;
        this.endpointArn = this.endpoint.arn;
        this.modelName = this.model.name;
        this.endpointConfigName = this.endpointConfig.name;
        this.registerOutputs({
            endpointName: this.endpointName,
            endpointArn: this.endpointArn,
            modelName: this.modelName,
            endpointConfigName: this.endpointConfigName,
        });
    }
}
