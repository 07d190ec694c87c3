/**
 * AWS access of the admission webhook on EKS (DP-1, DP-2 / P6, P7): EKS pods pull from ECR through
 * the node's role and carry no pull secrets, so the webhook reads ECR with an identity of its own:
 * an IAM role assumed through EKS Pod Identity, bound to the webhook's ServiceAccount only.
 *
 *  - trust: `pods.eks.amazonaws.com`, `sts:AssumeRole` + `sts:TagSession`, only for this account
 *    (`aws:SourceAccount`), this cluster (`aws:SourceArn`), and the webhook's namespace and service
 *    account (the session tags EKS Pod Identity sets);
 *  - permissions: `ecr:GetAuthorizationToken` on `*` (the action supports no resource scoping) and
 *    `ecr:BatchGetImage`, `ecr:GetDownloadUrlForLayer`, `ecr:BatchCheckLayerAvailability` on the
 *    listed repositories only; nothing else.
 *
 * The cluster needs the `eks-pod-identity-agent` add-on.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { parseEcrHost } from "../../admission-webhook/verification/registry/ecr";
import { AssetKinds, assetTags, type AssetTags, validateAssetTags } from "../aws/tags";

/** The `ecrAccess` option of {@link ImageAdmissionWebhook}. */
export interface WebhookEcrAccessArgs {
    /** Name of the EKS cluster the webhook runs in (Pod Identity association, trust condition). Required. */
    readonly clusterName: pulumi.Input<string>;
    /**
     * ECR repositories whose images (and signatures, stored beside them) the webhook reads:
     * `arn:<partition>:ecr:<region>:<account>:repository/<name>`, a trailing `*` allowed for a
     * prefix (`repository/models/*`). At least one; a whole account (`repository/*`) is rejected.
     */
    readonly repositoryArns: readonly pulumi.Input<string>[];
    /** Inventory tags of the role and the association (the role is an AI asset). Required. */
    readonly assetTags: AssetTags;
    /** Permissions boundary of the role. Default none. */
    readonly permissionsBoundaryArn?: pulumi.Input<string>;
}

/** Where the role is used: account, region and partition of the deployment, and the pod identity. */
export interface PodIdentityContext {
    readonly accountId: string;
    readonly region: string;
    readonly partition: string;
    readonly clusterName: string;
    readonly namespace: string;
    readonly serviceAccount: string;
}

/** The EKS Pod Identity service principal. */
export const POD_IDENTITY_PRINCIPAL = "pods.eks.amazonaws.com";

/** What the webhook does on ECR repositories: read manifests and blobs (signatures included). */
export const ECR_READ_ACTIONS = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"] as const;

const REPOSITORY_ARN = /^arn:aws(?:-cn|-us-gov)?:ecr:[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}:\d{12}:repository\/[a-z0-9][a-z0-9._\/-]*\*?$/;

/** An error message unless `arn` is an ECR repository ARN (or prefix ARN) narrower than a whole account. */
export function repositoryArnError(arn: string): string | undefined {
    if (!REPOSITORY_ARN.test(arn)) {
        return `ecrAccess.repositoryArns: ${JSON.stringify(arn)} is not an ECR repository ARN; write arn:aws:ecr:<region>:<account>:repository/<name> (a trailing * for a prefix, e.g. repository/models/*)`;
    }
    return undefined;
}

/**
 * The repository ARN an image glob of the trust policy covers, when its host is an ECR registry:
 * `123456789012.dkr.ecr.eu-west-2.amazonaws.com/models/**` → `arn:aws:ecr:eu-west-2:123456789012:repository/models/*`
 * (the literal prefix before the first wildcard, then `*`; a glob without wildcards is one
 * repository). Undefined for other registries.
 * @throws Error when the glob covers every repository of the account (no literal prefix).
 */
export function ecrRepositoryArnForGlob(glob: string): string | undefined {
    const slash = glob.indexOf("/");
    if (slash <= 0) return undefined;
    const ecr = parseEcrHost(glob.slice(0, slash));
    if (ecr === undefined) return undefined;
    const repository = glob.slice(slash + 1);
    const wildcard = repository.search(/[*?]/);
    const prefix = wildcard < 0 ? repository : repository.slice(0, wildcard);
    if (prefix === "") throw new Error(`image glob ${JSON.stringify(glob)} covers every ECR repository of account ${ecr.account}: start it with a repository prefix (e.g. ${glob.slice(0, slash)}/models/**) so the webhook's role reads the model repositories only`);
    const partition = ecr.region.startsWith("cn-") ? "aws-cn" : ecr.region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    return `arn:${partition}:ecr:${ecr.region}:${ecr.account}:repository/${prefix}${wildcard < 0 ? "" : "*"}`;
}

/** Trust policy of the webhook's role: EKS Pod Identity, for this account, cluster, namespace and service account. */
export function podIdentityTrustPolicy(c: PodIdentityContext): Record<string, unknown> {
    return {
        Version: "2012-10-17",
        Statement: [{
            Sid: "EksPodIdentityForTheAdmissionWebhook",
            Effect: "Allow",
            Principal: { Service: POD_IDENTITY_PRINCIPAL },
            Action: ["sts:AssumeRole", "sts:TagSession"],
            Condition: {
                StringEquals: {
                    "aws:SourceAccount": c.accountId,
                    "aws:RequestTag/kubernetes-namespace": c.namespace,
                    "aws:RequestTag/kubernetes-service-account": c.serviceAccount,
                },
                ArnEquals: { "aws:SourceArn": `arn:${c.partition}:eks:${c.region}:${c.accountId}:cluster/${c.clusterName}` },
            },
        }],
    };
}

/** Permissions of the webhook's role: a registry token, and reads of the listed repositories only. */
export function ecrReadPolicy(repositoryArns: readonly string[]): Record<string, unknown> {
    return {
        Version: "2012-10-17",
        Statement: [
            // GetAuthorizationToken supports only Resource "*"; the token grants nothing by itself.
            { Sid: "RegistryToken", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
            { Sid: "ReadModelRepositories", Effect: "Allow", Action: [...ECR_READ_ACTIONS], Resource: [...new Set(repositoryArns)] },
        ],
    };
}

/** What {@link buildWebhookEcrAccess} created. */
export interface WebhookEcrAccess {
    readonly role: aws.iam.Role;
    readonly policy: aws.iam.RolePolicy;
    readonly association: aws.eks.PodIdentityAssociation;
}

/**
 * Creates the role, its policy and the Pod Identity association as children of `parent`.
 * Validates plain-string repository ARNs now, others once known. Throws a message naming the fix.
 */
export function buildWebhookEcrAccess(parent: pulumi.ComponentResource, name: string, args: WebhookEcrAccessArgs, pod: { namespace: string; serviceAccount: pulumi.Input<string> }, dependsOn: pulumi.Resource[]): WebhookEcrAccess {
    const fail = (msg: string | undefined): void => {
        if (msg !== undefined) throw new pulumi.ResourceError(msg, parent);
    };
    validateAssetTags(args.assetTags, parent);
    if (args.repositoryArns.length === 0) fail("ecrAccess.repositoryArns is empty: list the ECR repositories of the model images (and their signatures), e.g. arn:aws:ecr:eu-west-2:123456789012:repository/models/*");
    for (const arn of args.repositoryArns) if (typeof arn === "string") fail(repositoryArnError(arn));
    const opts = { parent };
    const identity = aws.getCallerIdentityOutput({}, opts);
    const region = aws.getRegionOutput({}, opts);
    const partition = aws.getPartitionOutput({}, opts);
    const context = pulumi.all([identity.accountId, region.region, partition.partition, args.clusterName, pod.serviceAccount])
        .apply(([accountId, r, p, clusterName, serviceAccount]) => ({ accountId, region: r, partition: p, clusterName, namespace: pod.namespace, serviceAccount }));
    const tags = assetTags(args.assetTags, AssetKinds.role);

    const role = new aws.iam.Role(`${name}-ecr-role`, {
        description: "aiguard image admission webhook: reads model images and signatures from ECR (EKS Pod Identity)",
        assumeRolePolicy: context.apply((c) => JSON.stringify(podIdentityTrustPolicy(c))),
        permissionsBoundary: args.permissionsBoundaryArn,
        maxSessionDuration: 3600,
        tags,
    }, opts);
    const policy = new aws.iam.RolePolicy(`${name}-ecr-read`, {
        role: role.id,
        policy: pulumi.output([...args.repositoryArns]).apply((arns) => {
            for (const arn of arns) {
                const err = repositoryArnError(arn);
                if (err !== undefined) throw new Error(`${name}: ${err}`);
            }
            return JSON.stringify(ecrReadPolicy(arns));
        }),
    }, opts);
    const association = new aws.eks.PodIdentityAssociation(`${name}-pod-identity`, {
        clusterName: args.clusterName,
        namespace: pod.namespace,
        serviceAccount: pod.serviceAccount,
        roleArn: role.arn,
        tags,
    }, { parent, dependsOn: [policy, ...dependsOn] });
    return { role, policy, association };
}
