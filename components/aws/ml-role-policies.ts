/**
 * Pure policy builders for {@link SageMakerRoles} (DP-1, P6: least privilege). All inputs are plain
 * strings; the component resolves outputs first. Exported so tests can check every statement.
 *
 * Where AWS offers no resource-level permission the statement uses `"Resource": "*"`, and only there:
 *  - `ecr:GetAuthorizationToken` (a registry-wide token; ECR defines no resource for it);
 *  - the read-only `ec2:Describe*` calls SageMaker makes for VPC mode (EC2 defines no resource or
 *    VPC condition for them).
 * Everything else names buckets/prefixes, key ARNs, repository ARNs, log groups, or the VPC.
 */
import type { PolicyDocument } from "./network-policies";

export type { PolicyDocument } from "./network-policies";

/** Partition, region and account the roles live in. */
export interface RoleContext {
    readonly partition: string;
    readonly region: string;
    readonly accountId: string;
}

/** A resolved S3 location: bucket name and key prefix ending in `/`. */
export interface ResolvedLocation {
    readonly bucket: string;
    readonly prefix: string;
}

/** What one role may reach, resolved. */
export interface RoleAccess {
    readonly ctx: RoleContext;
    /** KMS keys of the buckets the role reads or writes; used only through S3. */
    readonly dataKeyArns: readonly string[];
    /** KMS keys of SageMaker-managed volumes; used only through SageMaker. */
    readonly volumeKeyArns: readonly string[];
    /** ECR repositories the role may pull images from. */
    readonly imageRepositoryArns: readonly string[];
    /** The VPC the role's jobs/endpoints run in. */
    readonly vpcId: string;
}

export interface TrainingAccess extends RoleAccess {
    readonly trainingData: ResolvedLocation;
    readonly modelArtifacts: ResolvedLocation;
}

export interface InferenceAccess extends RoleAccess {
    readonly modelArtifacts: ResolvedLocation;
    /** Where endpoint data capture (OM-2 / P12) writes, when enabled. */
    readonly dataCapture?: ResolvedLocation;
}

/**
 * Checks a key prefix: non-empty, ends with `/` (so `models/` cannot also match `models-old/`), no
 * leading `/` and no IAM wildcard. Returns an error message, or `undefined` when valid.
 */
export function prefixError(field: string, prefix: string): string | undefined {
    if (typeof prefix !== "string" || prefix === "" || !prefix.endsWith("/") || prefix.startsWith("/") || /[*?]/.test(prefix)) {
        return `${field} must be a key prefix such as "datasets/v1/": non-empty, ending in "/", not starting with "/", without * or ?; got ${JSON.stringify(prefix)}`;
    }
    return undefined;
}

/** True when two locations of the same bucket nest (one prefix starts with the other). */
export function locationsOverlap(a: ResolvedLocation, b: ResolvedLocation): boolean {
    return a.bucket === b.bucket && (a.prefix.startsWith(b.prefix) || b.prefix.startsWith(a.prefix));
}

/** Trust policy: only SageMaker, only on behalf of this account's SageMaker resources in this region. */
export function sageMakerTrustPolicy(ctx: RoleContext): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "SageMakerOnly",
                Effect: "Allow",
                Principal: { Service: "sagemaker.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: {
                    StringEquals: { "aws:SourceAccount": ctx.accountId },
                    ArnLike: { "aws:SourceArn": `arn:${ctx.partition}:sagemaker:${ctx.region}:${ctx.accountId}:*` },
                },
            },
        ],
    };
}

function objectArn(ctx: RoleContext, loc: ResolvedLocation): string {
    return `arn:${ctx.partition}:s3:::${loc.bucket}/${loc.prefix}*`;
}

function readStatements(sid: string, ctx: RoleContext, loc: ResolvedLocation): Record<string, unknown>[] {
    return [
        { Sid: `${sid}Objects`, Effect: "Allow", Action: "s3:GetObject", Resource: objectArn(ctx, loc) },
        {
            Sid: `${sid}List`,
            Effect: "Allow",
            Action: "s3:ListBucket",
            Resource: `arn:${ctx.partition}:s3:::${loc.bucket}`,
            Condition: { StringLike: { "s3:prefix": [`${loc.prefix}*`] } },
        },
    ];
}

function writeStatement(sid: string, ctx: RoleContext, loc: ResolvedLocation): Record<string, unknown> {
    return { Sid: sid, Effect: "Allow", Action: "s3:PutObject", Resource: objectArn(ctx, loc) };
}

function keyStatements(access: RoleAccess, dataKeyActions: readonly string[]): Record<string, unknown>[] {
    const { ctx } = access;
    const out: Record<string, unknown>[] = [{
        Sid: "DataKeysThroughS3",
        Effect: "Allow",
        Action: [...dataKeyActions],
        Resource: [...access.dataKeyArns],
        Condition: { StringEquals: { "kms:ViaService": `s3.${ctx.region}.amazonaws.com` } },
    }];
    if (access.volumeKeyArns.length > 0) {
        const via = { "kms:ViaService": `sagemaker.${ctx.region}.amazonaws.com` };
        out.push(
            {
                Sid: "VolumeKeysThroughSageMaker",
                Effect: "Allow",
                Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
                Resource: [...access.volumeKeyArns],
                Condition: { StringEquals: via },
            },
            {
                Sid: "VolumeKeyGrantsForSageMaker",
                Effect: "Allow",
                Action: "kms:CreateGrant",
                Resource: [...access.volumeKeyArns],
                Condition: { StringEquals: via, Bool: { "kms:GrantIsForAWSResource": "true" } },
            },
        );
    }
    return out;
}

function logStatements(ctx: RoleContext, groups: readonly string[]): Record<string, unknown>[] {
    const base = `arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:`;
    return [{
        Sid: "SageMakerLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: groups.flatMap((g) => [`${base}${g}`, `${base}${g}:log-stream:*`]),
    }];
}

function imageStatements(access: RoleAccess): Record<string, unknown>[] {
    if (access.imageRepositoryArns.length === 0) return [];
    return [
        {
            Sid: "PullNamedImages",
            Effect: "Allow",
            Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
            Resource: [...access.imageRepositoryArns],
        },
        // ECR defines no resource for GetAuthorizationToken: the only "*" on a data-plane action here.
        { Sid: "EcrAuthorizationToken", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
    ];
}

function vpcStatements(access: RoleAccess): Record<string, unknown>[] {
    const { ctx } = access;
    const ec2 = `arn:${ctx.partition}:ec2:${ctx.region}:${ctx.accountId}`;
    return [
        {
            Sid: "VpcModeNetworkInterfacesInOwnVpc",
            Effect: "Allow",
            Action: ["ec2:CreateNetworkInterface", "ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface", "ec2:DeleteNetworkInterfacePermission"],
            Resource: [`${ec2}:network-interface/*`, `${ec2}:subnet/*`, `${ec2}:security-group/*`],
            Condition: { ArnEquals: { "ec2:Vpc": `${ec2}:vpc/${access.vpcId}` } },
        },
        // EC2 Describe* calls support no resource-level permissions or VPC conditions; read-only.
        {
            Sid: "VpcModeDescribe",
            Effect: "Allow",
            Action: ["ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs"],
            Resource: "*",
        },
    ];
}

/** Training: read the dataset prefix, write the model prefix, logs, images, VPC-mode interfaces. */
export function trainingRolePolicy(access: TrainingAccess): PolicyDocument {
    const { ctx } = access;
    return {
        Version: "2012-10-17",
        Statement: [
            ...readStatements("ReadTrainingData", ctx, access.trainingData),
            writeStatement("WriteModelArtifacts", ctx, access.modelArtifacts),
            ...keyStatements(access, ["kms:Decrypt", "kms:GenerateDataKey"]),
            ...logStatements(ctx, ["/aws/sagemaker/TrainingJobs"]),
            ...imageStatements(access),
            ...vpcStatements(access),
        ],
    };
}

/** Inference: read the model prefix only (plus data capture writes when asked), logs, images, VPC mode. */
export function inferenceRolePolicy(access: InferenceAccess): PolicyDocument {
    const { ctx } = access;
    const capture = access.dataCapture;
    return {
        Version: "2012-10-17",
        Statement: [
            ...readStatements("ReadModelArtifacts", ctx, access.modelArtifacts),
            ...(capture ? [writeStatement("WriteDataCapture", ctx, capture)] : []),
            ...keyStatements(access, capture ? ["kms:Decrypt", "kms:GenerateDataKey"] : ["kms:Decrypt"]),
            ...logStatements(ctx, ["/aws/sagemaker/Endpoints/*"]),
            ...imageStatements(access),
            ...vpcStatements(access),
        ],
    };
}
