/**
 * The example platform's stack configuration, typed and validated.
 *
 * Values come from `Pulumi.<stack>.yaml` beside this file (`stackConfigDir` in the top-level
 * Pulumi.yaml). Every value is checked here, before any resource exists, with a message that names
 * the key and shows a valid value.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { DataClassifications, type DataClassification } from "../../components/aws/tags";

export interface PlatformConfig {
    /** Team accountable for every asset (inventory tag). */
    readonly owner: string;
    readonly dataClassification: DataClassification;
    /** Role that runs `pulumi up`: it administers every key (and must, or AWS refuses the key policies). */
    readonly deployerRoleArn: string;
    /** Availability zones per network (2 or more). */
    readonly availabilityZoneCount: number;
    /** Client networks allowed to reach the inference endpoint's load balancer. */
    readonly inferenceIngressCidrs: readonly string[];
    /** Digest-pinned inference container image in ECR. */
    readonly modelImage: string;
    /** Model artifact key inside the model store, e.g. `models/sentiment/v3/model.tar.gz`. */
    readonly modelArtifactKey: string;
    readonly inferenceInstanceType: string;
    readonly inferenceInstanceCount: number;
    readonly notebookInstanceType: string;
    /** Days of backup retention locked in the vault (compliance mode). */
    readonly backupMinRetentionDays: number;
    readonly backupMaxRetentionDays: number;
    /** Days before a dataset object expires (P13 disposal); 0 keeps it. */
    readonly datasetExpiryDays: number;
    /** Kubernetes version of the inference cluster (>= 1.32). */
    readonly inferenceClusterVersion: string;
    /** EC2 instance type of the inference cluster's nodes. */
    readonly inferenceNodeInstanceType: string;
    /** Public key (SPKI PEM, cosign.pub) that signs released model images. */
    readonly cosignPublicKeyPem: string;
    /** Images the admission webhook verifies: a glob over `registry/repository`, e.g. `<account>.dkr.ecr.<region>.amazonaws.com/models/**`. */
    readonly modelRegistryGlob: string;
    /** The admission webhook's own image, digest-pinned in ECR. */
    readonly admissionWebhookImage: string;
}

const ECR_PINNED = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/([a-z0-9._\/-]+)@sha256:[a-f0-9]{64}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]+$/;
const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;
const PUBLIC_KEY_PEM = /^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+\n-----END PUBLIC KEY-----\n?$/;
const REGISTRY_GLOB = /^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?\/[a-z0-9._\/*-]+$/;
const K8S_VERSION = /^\d+\.\d+$/;

/** Thrown for an invalid stack configuration value. */
export class PlatformConfigError extends Error {
    constructor(key: string, problem: string, example: string) {
        super(`stack config "${key}": ${problem}. Set it with: pulumi config set ${key} ${example}`);
        this.name = "PlatformConfigError";
    }
}

/** A minimal reader interface so tests can validate plain objects the same way. */
export interface ConfigSource {
    get(key: string): string | undefined;
}

/** Validates raw config values (pure; the Pulumi program passes `new pulumi.Config()`). */
export function parsePlatformConfig(src: ConfigSource): PlatformConfig {
    const req = (key: string, example: string): string => {
        const v = src.get(key);
        if (v === undefined || v.trim() === "") throw new PlatformConfigError(key, "is required", example);
        return v.trim();
    };
    const int = (key: string, def: number, min: number, max: number): number => {
        const raw = src.get(key);
        if (raw === undefined) return def;
        const n = Number(raw);
        if (!Number.isInteger(n) || n < min || n > max) throw new PlatformConfigError(key, `must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`, String(def));
        return n;
    };
    const dataClassification = req("dataClassification", "confidential") as DataClassification;
    if (!Object.values(DataClassifications).includes(dataClassification)) {
        throw new PlatformConfigError("dataClassification", `must be one of ${Object.values(DataClassifications).join(", ")}, got "${dataClassification}"`, "confidential");
    }
    const deployerRoleArn = req("deployerRoleArn", "arn:aws:iam::123456789012:role/pulumi-deployer");
    if (!ROLE_ARN.test(deployerRoleArn)) {
        throw new PlatformConfigError("deployerRoleArn", `must be an IAM role ARN, got "${deployerRoleArn}"`, "arn:aws:iam::123456789012:role/pulumi-deployer");
    }
    const modelImage = req("modelImage", "123456789012.dkr.ecr.eu-west-2.amazonaws.com/models/sentiment@sha256:<64 hex digits>");
    if (!ECR_PINNED.test(modelImage)) {
        throw new PlatformConfigError("modelImage", `must be an ECR image pinned by digest (<account>.dkr.ecr.<region>.amazonaws.com/<repo>@sha256:<64 hex>), got "${modelImage}"; find the digest with: crane digest <repo>:<tag>`, "123456789012.dkr.ecr.eu-west-2.amazonaws.com/models/sentiment@sha256:<64 hex digits>");
    }
    const cidrsRaw = src.get("inferenceIngressCidrs") ?? "[]";
    let cidrs: unknown;
    try {
        cidrs = JSON.parse(cidrsRaw);
    } catch {
        cidrs = undefined;
    }
    if (!Array.isArray(cidrs) || !cidrs.every((c) => typeof c === "string" && CIDR.test(c))) {
        throw new PlatformConfigError("inferenceIngressCidrs", `must be a JSON list of IPv4 CIDRs, got ${cidrsRaw}`, `'["10.100.0.0/16"]'`);
    }
    const pem = req("cosignPublicKeyPem", "-- < cosign.pub").replace(/\r\n/g, "\n");
    if (!PUBLIC_KEY_PEM.test(`${pem}\n`)) {
        throw new PlatformConfigError("cosignPublicKeyPem", "must be a public key in PEM (SPKI) form, as `cosign generate-key-pair` writes to cosign.pub", "-- < cosign.pub");
    }
    const modelRegistryGlob = req("modelRegistryGlob", "123456789012.dkr.ecr.eu-west-2.amazonaws.com/models/**");
    if (!REGISTRY_GLOB.test(modelRegistryGlob)) {
        throw new PlatformConfigError("modelRegistryGlob", `must be a registry host and repository glob such as <account>.dkr.ecr.<region>.amazonaws.com/models/**, got "${modelRegistryGlob}"`, "123456789012.dkr.ecr.eu-west-2.amazonaws.com/models/**");
    }
    const admissionWebhookImage = req("admissionWebhookImage", "123456789012.dkr.ecr.eu-west-2.amazonaws.com/aiguard/admission@sha256:<64 hex digits>");
    if (!ECR_PINNED.test(admissionWebhookImage)) {
        throw new PlatformConfigError("admissionWebhookImage", `must be an ECR image pinned by digest, got "${admissionWebhookImage}"; build admission-webhook/Dockerfile, push it, and find the digest with: crane digest <repo>:<tag>`, "123456789012.dkr.ecr.eu-west-2.amazonaws.com/aiguard/admission@sha256:<64 hex digits>");
    }
    const inferenceClusterVersion = src.get("inferenceClusterVersion") ?? "1.33";
    if (!K8S_VERSION.test(inferenceClusterVersion)) {
        throw new PlatformConfigError("inferenceClusterVersion", `must be a Kubernetes minor version such as 1.33, got "${inferenceClusterVersion}"`, "1.33");
    }
    const min = int("backupMinRetentionDays", 35, 7, 36500);
    const max = int("backupMaxRetentionDays", 365, 7, 36500);
    if (min > max) throw new PlatformConfigError("backupMaxRetentionDays", `must be at least backupMinRetentionDays (${min}), got ${max}`, String(Math.max(min, 365)));
    return {
        owner: req("owner", "ml-platform@example.com"),
        dataClassification,
        deployerRoleArn,
        availabilityZoneCount: int("availabilityZoneCount", 2, 2, 6),
        inferenceIngressCidrs: cidrs as string[],
        modelImage,
        modelArtifactKey: req("modelArtifactKey", "models/sentiment/v3/model.tar.gz"),
        inferenceInstanceType: src.get("inferenceInstanceType") ?? "ml.m5.large",
        inferenceInstanceCount: int("inferenceInstanceCount", 1, 1, 100),
        notebookInstanceType: src.get("notebookInstanceType") ?? "ml.t3.medium",
        backupMinRetentionDays: min,
        backupMaxRetentionDays: max,
        datasetExpiryDays: int("datasetExpiryDays", 0, 0, 36500),
        inferenceClusterVersion,
        inferenceNodeInstanceType: src.get("inferenceNodeInstanceType") ?? "m6i.large",
        cosignPublicKeyPem: `${pem}\n`,
        modelRegistryGlob,
        admissionWebhookImage,
    };
}

/** Reads and validates the current stack's configuration. */
export function readPlatformConfig(): PlatformConfig {
    return parsePlatformConfig(new pulumi.Config());
}

/** The ECR repository ARN of a pinned ECR image reference (for least-privilege pull rights). */
export function ecrRepositoryArn(image: string): string {
    const m = ECR_PINNED.exec(image);
    if (!m) throw new Error(`not a digest-pinned ECR image: ${image}`);
    return `arn:aws:ecr:${m[2]}:${m[1]}:repository/${m[3]}`;
}

/** The Pulumi project name (Pulumi.yaml); stack config keys are namespaced with it. */
export const PROJECT = "aiguard-platform";

/**
 * Reads `stacks/platform/Pulumi.<stack>.yaml` as Pulumi would and validates it: for offline runs
 * (tests, `npm start`), where no Pulumi engine supplies the config.
 */
export function readStackConfigFile(stack: string, dir: string = __dirname): { cfg: PlatformConfig; raw: Record<string, string> } {
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    let doc: { config?: Record<string, unknown> };
    try {
        doc = YAML.parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> };
    } catch (e) {
        throw new Error(`cannot read stack config ${file}: ${(e as Error).message}`);
    }
    const raw = Object.fromEntries(Object.entries(doc?.config ?? {}).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
    return { cfg: parsePlatformConfig({ get: (k) => raw[`${PROJECT}:${k}`] }), raw };
}
