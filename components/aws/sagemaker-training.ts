/**
 * A hardened SageMaker workspace for model development in the training network (DP-1, P6, DV-2).
 *
 * By default: one notebook instance in a training subnet with no direct internet access, no root
 * access, IMDSv2 only, the current Amazon Linux 2023 platform and a customer KMS key. Optionally a
 * SageMaker Studio domain, VPC-only, with its EFS volume encrypted by the same key, Docker access
 * off, notebook-output sharing off and the user profile name stamped on the execution role's
 * sessions (sts:SourceIdentity) for audit. Each relaxation is its own named switch.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AssetKinds, assetTags, type AssetTags, assetTagsProblem } from "./tags";

/** The notebook platform the component uses unless told otherwise (Amazon Linux 2023). */
export const DEFAULT_NOTEBOOK_PLATFORM = "notebook-al2023-v1";
/** Platforms AWS has deprecated; rejected because they stop receiving updates (OM-3, P11). */
export const DEPRECATED_NOTEBOOK_PLATFORMS = ["notebook-al1-v1", "notebook-al2-v1", "notebook-al2-v2"] as const;

/** Scripts for a notebook lifecycle configuration (plain text; the component base64-encodes them). */
export interface NotebookLifecycleScripts {
    /** Runs once, when the instance is created. */
    readonly onCreate?: pulumi.Input<string>;
    /** Runs on every start, including the first. */
    readonly onStart?: pulumi.Input<string>;
}

export interface NotebookOptions {
    /** Instance type. Default `ml.t3.medium`. */
    readonly instanceType?: string;
    /** Storage volume size in GB (encrypted with `kmsKeyArn`). Default 20. */
    readonly volumeSizeInGb?: number;
    /** Platform identifier. Default {@link DEFAULT_NOTEBOOK_PLATFORM}; deprecated platforms are rejected. */
    readonly platformIdentifier?: string;
    /** Lifecycle configuration scripts. Default none. */
    readonly lifecycle?: NotebookLifecycleScripts;
    /** Allow IMDSv1 on the instance (relaxation: IMDSv1 is open to SSRF credential theft). Default false. */
    readonly allowImdsV1?: boolean;
}

export interface StudioDomainOptions {
    /** VPC of the training subnets. Required. */
    readonly vpcId: pulumi.Input<string>;
    /** Domain name. Default: the component name. */
    readonly domainName?: string;
    /** How users sign in. Default `"IAM"`. */
    readonly authMode?: "IAM" | "SSO";
    /** Let Studio apps use Docker (relaxation: root-equivalent inside the app). Default false. */
    readonly allowDockerAccess?: boolean;
    /** Let users share notebooks with cell output (relaxation: outputs may contain data). Needs `notebookOutputS3Path`. Default false. */
    readonly allowNotebookOutputSharing?: boolean;
    /** `s3://` path where shared notebook output is stored (encrypted with `kmsKeyArn`). Only with `allowNotebookOutputSharing`. */
    readonly notebookOutputS3Path?: pulumi.Input<string>;
    /** Delete the home EFS volume with the domain (P13 disposal) instead of retaining it. Default false (retain). */
    readonly deleteHomeEfsWithDomain?: boolean;
}

export interface TrainingWorkspaceArgs {
    /** Inventory tags. */
    readonly assetTags: AssetTags;
    /** Execution role of the notebook and of Studio users (e.g. the training role). Required. */
    readonly executionRoleArn: pulumi.Input<string>;
    /** Customer KMS key for the notebook volume and the Studio EFS volume. Required. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Training-network subnets. The notebook uses the first; Studio uses all. Required, non-empty. */
    readonly subnetIds: readonly pulumi.Input<string>[];
    /** Training-network security groups. Required, non-empty. */
    readonly securityGroupIds: readonly pulumi.Input<string>[];
    /** The notebook instance, or `false` for none (then `studio` is required). Default `{}`. */
    readonly notebook?: NotebookOptions | false;
    /** A Studio domain. Default none. */
    readonly studio?: StudioDomainOptions;
    /** Give the notebook direct internet access / the domain `PublicInternetOnly` (relaxation, DP-1). Default false. */
    readonly allowDirectInternetAccess?: boolean;
    /** Give notebook users root (relaxation). Default false. */
    readonly allowRootAccess?: boolean;
}

/** The first problem with the arguments, or `undefined`. */
export function trainingWorkspaceArgsProblem(args: TrainingWorkspaceArgs): string | undefined {
    const tagsProblem = assetTagsProblem(args.assetTags);
    if (tagsProblem !== undefined) return tagsProblem;
    const notebook = args.notebook ?? {};
    if (notebook === false && args.studio === undefined) {
        return "notebook: false and no studio leaves nothing to create: keep the notebook or add studio: { vpcId }";
    }
    if (args.subnetIds.length === 0) {
        return "subnetIds must list at least one training-network subnet: the workspace runs inside the training VPC (DP-1)";
    }
    if (args.securityGroupIds.length === 0) {
        return "securityGroupIds must list at least one training-network security group (DP-1)";
    }
    if (notebook !== false) {
        const platform = notebook.platformIdentifier ?? DEFAULT_NOTEBOOK_PLATFORM;
        if ((DEPRECATED_NOTEBOOK_PLATFORMS as readonly string[]).includes(platform)) {
            return `platformIdentifier ${platform} is deprecated and no longer patched (OM-3); use ${DEFAULT_NOTEBOOK_PLATFORM} or notebook-al2-v3`;
        }
        if (!/^notebook-al[0-9]+-v[0-9]+$/.test(platform)) {
            return `platformIdentifier must look like ${DEFAULT_NOTEBOOK_PLATFORM}; got ${JSON.stringify(platform)}`;
        }
        const size = notebook.volumeSizeInGb ?? 20;
        if (!Number.isInteger(size) || size < 5 || size > 16384) {
            return `volumeSizeInGb must be a whole number from 5 to 16384; got ${size}`;
        }
        if (notebook.lifecycle && notebook.lifecycle.onCreate === undefined && notebook.lifecycle.onStart === undefined) {
            return "notebook.lifecycle needs onCreate or onStart (or remove it)";
        }
    } else if (args.allowRootAccess === true) {
        return "allowRootAccess only applies to the notebook instance, and notebook is false; remove allowRootAccess";
    }
    if (args.studio?.allowNotebookOutputSharing === true && args.studio.notebookOutputS3Path === undefined) {
        return "studio.allowNotebookOutputSharing needs studio.notebookOutputS3Path (an s3:// path in the training data store) to hold the shared output";
    }
    if (args.studio?.notebookOutputS3Path !== undefined && args.studio.allowNotebookOutputSharing !== true) {
        return "studio.notebookOutputS3Path is only used when studio.allowNotebookOutputSharing is true; remove it or enable sharing explicitly";
    }
    if (args.studio?.domainName !== undefined && !/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/.test(args.studio.domainName)) {
        return `studio.domainName must be 1-63 letters, digits or inner hyphens; got ${JSON.stringify(args.studio.domainName)}`;
    }
    return undefined;
}

const base64 = (script: pulumi.Input<string>) => pulumi.output(script).apply((s) => Buffer.from(s, "utf8").toString("base64"));

export class TrainingWorkspace extends pulumi.ComponentResource {
    readonly notebook: aws.sagemaker.NotebookInstance | undefined;
    readonly domain: aws.sagemaker.Domain | undefined;

    readonly notebookName: pulumi.Output<string> | undefined;
    readonly notebookArn: pulumi.Output<string> | undefined;
    readonly domainId: pulumi.Output<string> | undefined;
    readonly domainArn: pulumi.Output<string> | undefined;

    constructor(name: string, args: TrainingWorkspaceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aiguard:aws:TrainingWorkspace", name, {}, opts);
        const problem = trainingWorkspaceArgsProblem(args);
        if (problem !== undefined) throw new pulumi.ResourceError(problem, this);
        const tags = assetTags(args.assetTags, AssetKinds.notebook);
        const internet = args.allowDirectInternetAccess === true;
        const notebook = args.notebook ?? {};

        if (notebook !== false) {
            let lifecycleConfigName: pulumi.Output<string> | undefined;
            if (notebook.lifecycle) {
                const lc = new aws.sagemaker.NotebookInstanceLifecycleConfiguration(`${name}-lifecycle`, {
                    onCreate: notebook.lifecycle.onCreate === undefined ? undefined : base64(notebook.lifecycle.onCreate),
                    onStart: notebook.lifecycle.onStart === undefined ? undefined : base64(notebook.lifecycle.onStart),
                    tags,
                }, { parent: this });
                lifecycleConfigName = lc.name;
            }
            this.notebook = new aws.sagemaker.NotebookInstance(`${name}-notebook`, {
                roleArn: args.executionRoleArn,
                instanceType: notebook.instanceType ?? "ml.t3.medium",
                volumeSize: notebook.volumeSizeInGb ?? 20,
                platformIdentifier: notebook.platformIdentifier ?? DEFAULT_NOTEBOOK_PLATFORM,
                kmsKeyId: args.kmsKeyArn,
                subnetId: args.subnetIds[0]!,
                securityGroups: [...args.securityGroupIds],
                directInternetAccess: internet ? "Enabled" : "Disabled",
                rootAccess: args.allowRootAccess === true ? "Enabled" : "Disabled",
                instanceMetadataServiceConfiguration: { minimumInstanceMetadataServiceVersion: notebook.allowImdsV1 === true ? "1" : "2" },
                lifecycleConfigName,
                tags,
            }, { parent: this });
            this.notebookName = this.notebook.name;
            this.notebookArn = this.notebook.arn;
        }

        if (args.studio) {
            const s = args.studio;
            this.domain = new aws.sagemaker.Domain(`${name}-domain`, {
                domainName: s.domainName ?? name,
                authMode: s.authMode ?? "IAM",
                vpcId: s.vpcId,
                subnetIds: [...args.subnetIds],
                appNetworkAccessType: internet ? "PublicInternetOnly" : "VpcOnly",
                kmsKeyId: args.kmsKeyArn,
                defaultUserSettings: {
                    executionRole: args.executionRoleArn,
                    securityGroups: [...args.securityGroupIds],
                    sharingSettings: s.allowNotebookOutputSharing === true
                        ? { notebookOutputOption: "Allowed", s3OutputPath: s.notebookOutputS3Path, s3KmsKeyId: args.kmsKeyArn }
                        : { notebookOutputOption: "Disabled" },
                },
                defaultSpaceSettings: {
                    executionRole: args.executionRoleArn,
                    securityGroups: [...args.securityGroupIds],
                },
                domainSettings: {
                    securityGroupIds: [...args.securityGroupIds],
                    executionRoleIdentityConfig: "USER_PROFILE_NAME",
                    dockerSettings: { enableDockerAccess: s.allowDockerAccess === true ? "ENABLED" : "DISABLED" },
                },
                retentionPolicy: { homeEfsFileSystem: s.deleteHomeEfsWithDomain === true ? "Delete" : "Retain" },
                tags,
            }, { parent: this });
            this.domainId = this.domain.id;
            this.domainArn = this.domain.arn;
        }

        this.registerOutputs({
            notebookName: this.notebookName,
            notebookArn: this.notebookArn,
            domainId: this.domainId,
            domainArn: this.domainArn,
        });
    }
}
