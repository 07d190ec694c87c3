/**
 * Least-privilege SageMaker execution roles, one for training and one for inference (DP-1, P6).
 *
 * The two roles are separate so that a compromised endpoint cannot read training data or
 * overwrite models, and a training job cannot serve: training reads the dataset prefix and writes
 * the model prefix; inference reads the model prefix only (and, if asked, writes data capture).
 * KMS use goes only through S3 (`kms:ViaService`) on the named keys; logs only to SageMaker's own
 * log groups; images only from named repositories; network interfaces only in the role's own VPC.
 * Trust admits only SageMaker acting for this account in this region (confused-deputy conditions).
 * No AWS managed policy (e.g. AmazonSageMakerFullAccess) is ever attached. The inline policies are
 * built by the pure functions in `ml-role-policies.ts`, which document the two unavoidable `*`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    inferenceRolePolicy,
    locationsOverlap,
    prefixError,
    type ResolvedLocation,
    type RoleContext,
    sageMakerTrustPolicy,
    trainingRolePolicy,
} from "./ml-role-policies";
import { AssetKinds, assetTags, type AssetTags, assetTagsProblem } from "./tags";

/** An S3 location: bucket name and key prefix (non-empty, ending in `/`). */
export interface S3Location {
    readonly bucketName: pulumi.Input<string>;
    readonly prefix: string;
}

/**
 * What the roles may read and write: the stores' locations and the keys that encrypt them. Given in
 * {@link SageMakerRolesArgs} when the stores exist already, or to {@link SageMakerRoles.grantDataAccess}
 * once they do: the stores' key policies name the roles as key users, so the usual order is roles,
 * then stores (with `keyUserArns: [roles.trainingRoleArn, ...]`), then the grant.
 */
export interface SageMakerDataAccess {
    /** Training data: the training role may list and read under this prefix only. Required. */
    readonly trainingData: S3Location;
    /** Model artifacts: training writes, inference reads, under this prefix only. Required. */
    readonly modelArtifacts: S3Location;
    /** Relaxation: inference endpoint data capture (OM-2) may write under this prefix. Default none. */
    readonly dataCapture?: S3Location;
    /** KMS keys encrypting those buckets; usable only through S3. Required, at least one. */
    readonly dataKeyArns: readonly pulumi.Input<string>[];
    /** KMS keys for SageMaker-managed volumes; usable only through SageMaker. Default none. */
    readonly volumeKeyArns?: readonly pulumi.Input<string>[];
}

export interface SageMakerRolesArgs extends Partial<SageMakerDataAccess> {
    /** Inventory tags stamped on both roles. Required. */
    readonly assetTags: AssetTags;
    /** ECR repositories training images come from. Default none (SageMaker-owned images need none). */
    readonly trainingImageRepositoryArns?: readonly pulumi.Input<string>[];
    /** ECR repositories inference images come from. Default none. */
    readonly inferenceImageRepositoryArns?: readonly pulumi.Input<string>[];
    /** VPC training jobs run in (e.g. `AiNetworks.trainingVpcId`). Required. */
    readonly trainingVpcId: pulumi.Input<string>;
    /** VPC inference endpoints run in (e.g. `AiNetworks.inferenceVpcId`). Required; must differ from training. */
    readonly inferenceVpcId: pulumi.Input<string>;
    /** Permissions boundary set on both roles. Default none. */
    readonly permissionsBoundaryArn?: pulumi.Input<string>;
}

/** Whether the arguments carry any of the data access (then they must carry all of it that is required). */
function hasDataAccess(args: Partial<SageMakerDataAccess>): boolean {
    return args.trainingData !== undefined || args.modelArtifacts !== undefined || args.dataCapture !== undefined || args.dataKeyArns !== undefined || args.volumeKeyArns !== undefined;
}

type Resolved = { readonly bucket: string; readonly prefix: string };

function overlapMessage(a: string, b: string, why: string): string {
    return `${a} and ${b} overlap (same bucket, nested prefixes): ${why}; give them disjoint prefixes`;
}

/** The first overlap between resolved locations, or `undefined`. Checked on plain names up front and again once outputs resolve (fail closed). */
export function locationOverlapProblem(t: Resolved, m: Resolved, c: Resolved | undefined): string | undefined {
    if (locationsOverlap(t, m)) return overlapMessage("trainingData", "modelArtifacts", "training could overwrite its own data, or read models as data");
    if (c && locationsOverlap(c, m)) return overlapMessage("dataCapture", "modelArtifacts", "inference could overwrite the model it serves");
    if (c && locationsOverlap(c, t)) return overlapMessage("dataCapture", "trainingData", "inference could inject training data");
    return undefined;
}

function exactArnsProblem(lists: [string, readonly pulumi.Input<string>[]][]): string | undefined {
    for (const [field, values] of lists) {
        for (const v of values) {
            if (typeof v === "string" && (v.includes("*") || !v.startsWith("arn:"))) {
                return `${field} must list exact ARNs, without wildcards; got ${JSON.stringify(v)}`;
            }
        }
    }
    return undefined;
}

/** The first problem with the data access, or `undefined`. Computed (output) values are checked once known, in the role policies. */
export function sageMakerDataAccessProblem(access: Partial<SageMakerDataAccess>): string | undefined {
    if (access.trainingData === undefined || access.modelArtifacts === undefined || access.dataKeyArns === undefined) {
        return "trainingData, modelArtifacts and dataKeyArns go together: give all three (the stores' locations and keys), or none and call grantDataAccess() once the stores exist";
    }
    const locations: [string, S3Location | undefined][] = [
        ["trainingData.prefix", access.trainingData],
        ["modelArtifacts.prefix", access.modelArtifacts],
        ["dataCapture.prefix", access.dataCapture],
    ];
    for (const [field, loc] of locations) {
        const err = loc === undefined ? undefined : prefixError(field, loc.prefix);
        if (err) return err;
    }
    if (access.dataKeyArns.length === 0) {
        return "dataKeyArns must name the KMS keys of the data and model buckets: the stores are SSE-KMS, so the roles cannot read them otherwise";
    }
    const arnsProblem = exactArnsProblem([["dataKeyArns", access.dataKeyArns], ["volumeKeyArns", access.volumeKeyArns ?? []]]);
    if (arnsProblem !== undefined) return arnsProblem;
    const plain = (loc: S3Location | undefined): Resolved | undefined =>
        loc !== undefined && typeof loc.bucketName === "string" ? { bucket: loc.bucketName, prefix: loc.prefix } : undefined;
    const [pt, pm, pc] = [plain(access.trainingData), plain(access.modelArtifacts), plain(access.dataCapture)];
    if (pt && pm && (access.dataCapture === undefined || pc)) return locationOverlapProblem(pt, pm, pc);
    return undefined;
}

/** The first problem with the arguments, or `undefined`. Computed (output) values are checked once known, in the role policies. */
export function sageMakerRolesArgsProblem(args: SageMakerRolesArgs): string | undefined {
    const tagsProblem = assetTagsProblem(args.assetTags);
    if (tagsProblem !== undefined) return tagsProblem;
    if (hasDataAccess(args)) {
        const accessProblem = sageMakerDataAccessProblem(args);
        if (accessProblem !== undefined) return accessProblem;
    }
    const arnsProblem = exactArnsProblem([
        ["trainingImageRepositoryArns", args.trainingImageRepositoryArns ?? []],
        ["inferenceImageRepositoryArns", args.inferenceImageRepositoryArns ?? []],
    ]);
    if (arnsProblem !== undefined) return arnsProblem;
    if (typeof args.trainingVpcId === "string" && args.trainingVpcId === args.inferenceVpcId) {
        return `trainingVpcId and inferenceVpcId are the same VPC (${args.trainingVpcId}); training and inference must run in separate networks (DP-1 / P6)`;
    }
    return undefined;
}

/**
 * The two roles. Their data access is part of the arguments, or granted afterwards with
 * {@link SageMakerRoles.grantDataAccess} when the stores are created after the roles (their keys
 * name the roles as users): no cycle between the components, no value supplied later by hand.
 */
export class SageMakerRoles extends pulumi.ComponentResource {
    readonly trainingRole: aws.iam.Role;
    readonly inferenceRole: aws.iam.Role;
    readonly trainingRoleArn: pulumi.Output<string>;
    readonly trainingRoleName: pulumi.Output<string>;
    readonly inferenceRoleArn: pulumi.Output<string>;
    readonly inferenceRoleName: pulumi.Output<string>;

    private readonly name: string;
    private readonly args: SageMakerRolesArgs;
    private readonly ctx: pulumi.Output<RoleContext>;
    private granted = false;

    constructor(name: string, args: SageMakerRolesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aiguard:aws:SageMakerRoles", name, {}, opts);
        const problem = sageMakerRolesArgsProblem(args);
        if (problem !== undefined) throw new pulumi.ResourceError(problem, this);
        this.name = name;
        this.args = args;

        const identity = aws.getCallerIdentityOutput({}, { parent: this });
        const region = aws.getRegionOutput({}, { parent: this });
        const partition = aws.getPartitionOutput({}, { parent: this });
        this.ctx = pulumi
            .all([identity.accountId, region.region, partition.partition])
            .apply(([accountId, regionName, partitionName]) => ({ accountId, region: regionName, partition: partitionName }));

        const trustPolicy = this.ctx.apply((c) => JSON.stringify(sageMakerTrustPolicy(c)));
        const makeRole = (suffix: string, description: string) => new aws.iam.Role(`${name}-${suffix}`, {
            description,
            assumeRolePolicy: trustPolicy,
            permissionsBoundary: args.permissionsBoundaryArn,
            maxSessionDuration: 3600,
            tags: assetTags(args.assetTags, AssetKinds.role),
        }, { parent: this });
        this.trainingRole = makeRole("training", "SageMaker training execution role: reads the dataset prefix, writes the model prefix");
        this.inferenceRole = makeRole("inference", "SageMaker inference execution role: reads the model prefix only");

        this.trainingRoleArn = this.trainingRole.arn;
        this.trainingRoleName = this.trainingRole.name;
        this.inferenceRoleArn = this.inferenceRole.arn;
        this.inferenceRoleName = this.inferenceRole.name;
        this.registerOutputs({
            trainingRoleArn: this.trainingRoleArn,
            trainingRoleName: this.trainingRoleName,
            inferenceRoleArn: this.inferenceRoleArn,
            inferenceRoleName: this.inferenceRoleName,
        });
        if (hasDataAccess(args)) this.grantDataAccess(args as SageMakerDataAccess);
    }

    /**
     * Attaches the roles' inline policies: what each may read and write, the keys it may use through
     * S3 or SageMaker, its images, logs and network interfaces. Call it once, when the arguments did
     * not carry the data access (typically after creating the stores whose keys name these roles).
     */
    grantDataAccess(access: SageMakerDataAccess): void {
        if (this.granted) throw new pulumi.ResourceError("grantDataAccess: the roles already have their data access (given in the arguments or granted before); grant it once", this);
        const problem = sageMakerDataAccessProblem(access);
        if (problem !== undefined) throw new pulumi.ResourceError(problem, this);
        this.granted = true;
        const { name, args } = this;
        const resolve = (loc: S3Location): pulumi.Output<ResolvedLocation> =>
            pulumi.output(loc.bucketName).apply((bucket) => ({ bucket, prefix: loc.prefix }));
        const trainingData = resolve(access.trainingData);
        const modelArtifacts = resolve(access.modelArtifacts);
        const dataCapture = access.dataCapture ? resolve(access.dataCapture) : pulumi.output(undefined);
        const locationsChecked = pulumi.all([trainingData, modelArtifacts, dataCapture]).apply(([t, m, c]) => {
            const err = locationOverlapProblem(t, m, c);
            if (err) throw new Error(`${name}: ${err}`);
            return { t, m, c };
        });
        const common = pulumi.all([
            this.ctx,
            pulumi.output([...access.dataKeyArns]),
            pulumi.output([...(access.volumeKeyArns ?? [])]),
        ]).apply(([c, dataKeyArns, volumeKeyArns]) => ({ ctx: c, dataKeyArns, volumeKeyArns }));

        new aws.iam.RolePolicy(`${name}-training-access`, {
            role: this.trainingRole.id,
            policy: pulumi.all([common, locationsChecked, pulumi.output([...(args.trainingImageRepositoryArns ?? [])]), pulumi.output(args.trainingVpcId)])
                .apply(([c, locs, imageRepositoryArns, vpcId]) => JSON.stringify(trainingRolePolicy({
                    ...c, imageRepositoryArns, vpcId, trainingData: locs.t, modelArtifacts: locs.m,
                }))),
        }, { parent: this });
        new aws.iam.RolePolicy(`${name}-inference-access`, {
            role: this.inferenceRole.id,
            policy: pulumi.all([common, locationsChecked, pulumi.output([...(args.inferenceImageRepositoryArns ?? [])]), pulumi.output(args.inferenceVpcId)])
                .apply(([c, locs, imageRepositoryArns, vpcId]) => JSON.stringify(inferenceRolePolicy({
                    ...c, imageRepositoryArns, vpcId, modelArtifacts: locs.m, dataCapture: locs.c,
                }))),
        }, { parent: this });
    }
}
