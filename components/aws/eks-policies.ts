/**
 * Pure helpers for {@link InferenceCluster} (no Pulumi resources): the IAM trust policies of the
 * cluster and node roles, the AWS-managed policies each role gets, version and CIDR checks, and the
 * kubeconfig (exec auth through `aws eks get-token`) that Pulumi's Kubernetes provider uses.
 */
import { parseIpv4Cidr } from "./network-cidr";
import { DEFAULT_SETTINGS } from "../../common/settings";

/** Kubernetes version used when none is given: supported in standard support by Amazon EKS. */
export const DEFAULT_EKS_VERSION = "1.33";

/** Oldest version the component accepts: the same minimum the policy pack enforces by default (OM-3 / P11). */
export const MINIMUM_EKS_VERSION = DEFAULT_SETTINGS.minimumEksVersion;

/** Control-plane log types: all five, so the API audit trail (OM-1, OM-2 / P12) and the rest are kept. */
export const CLUSTER_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/**
 * AWS-managed policies of the cluster role. AmazonEKSClusterPolicy is the service-scoped policy
 * EKS documents for the cluster role; it is not an administrator or full-access policy.
 */
export const CLUSTER_ROLE_POLICIES = ["AmazonEKSClusterPolicy"] as const;

/**
 * AWS-managed policies of the node role: join the cluster (AmazonEKSWorkerNodePolicy), pull images
 * from ECR read-only (AmazonEC2ContainerRegistryPullOnly, narrower than ...ReadOnly: no list or
 * describe), and let the VPC CNI manage pod network interfaces (AmazonEKS_CNI_Policy).
 */
export const NODE_ROLE_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly", "AmazonEKS_CNI_Policy"] as const;

/** The EKS access policy given to each administrator access entry. */
export const CLUSTER_ADMIN_ACCESS_POLICY = "AmazonEKSClusterAdminPolicy";

/** Valid EKS cluster names: 1-100 characters, alphanumerics, `-` and `_`, starting alphanumeric. */
const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

/** An AWS-managed policy ARN in a partition. */
export function managedPolicyArn(partition: string, name: string): string {
    return `arn:${partition}:iam::aws:policy/${name}`;
}

/** Returns an error message for an invalid cluster name, or `undefined`. */
export function clusterNameError(name: string): string | undefined {
    return CLUSTER_NAME.test(name)
        ? undefined
        : `clusterName "${name}" is not a valid EKS cluster name: 1-100 letters, digits, "-" or "_", starting with a letter or digit`;
}

/** Parses `major.minor`; `undefined` when the text is not such a version. */
function parseVersion(v: string): [number, number] | undefined {
    const m = /^(\d+)\.(\d+)$/.exec(v);
    return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** Returns an error message when `version` is not `major.minor` or older than {@link MINIMUM_EKS_VERSION}. */
export function versionError(version: string): string | undefined {
    const v = parseVersion(version);
    const min = parseVersion(MINIMUM_EKS_VERSION)!;
    if (!v) return `version must be a Kubernetes minor version such as "${DEFAULT_EKS_VERSION}"; got ${JSON.stringify(version)}`;
    if (v[0] < min[0] || (v[0] === min[0] && v[1] < min[1])) {
        return `version ${version} is older than ${MINIMUM_EKS_VERSION}, the oldest version still receiving security patches (OM-3 / P11); use "${DEFAULT_EKS_VERSION}" or newer`;
    }
    return undefined;
}

/**
 * Validates CIDRs that may reach the API endpoint (`argName` names the option in messages): IPv4,
 * no host bits, never `0.0.0.0/0` or `::/0`. Values that are not plain strings are checked by AWS.
 */
export function apiCidrsError(cidrs: readonly unknown[], argName: string): string | undefined {
    for (const c of cidrs) {
        if (typeof c !== "string") continue;
        if (c === "0.0.0.0/0" || c === "::/0" || /\/0$/.test(c)) {
            return `${argName} must list specific networks, never ${c}: the Kubernetes API must not be reachable from the whole internet (DP-1 / P6)`;
        }
        try {
            parseIpv4Cidr(c);
        } catch (err) {
            return `${argName}: ${(err as Error).message}`;
        }
    }
    return undefined;
}

/** Account, region and partition of the deployment. */
export interface EksContext {
    readonly accountId: string;
    readonly region: string;
    readonly partition: string;
}

/**
 * Trust policy of the cluster role: only EKS, only for this cluster of this account (EKS accepts
 * aws:SourceArn and aws:SourceAccount in the cluster role's trust policy: confused-deputy protection).
 */
export function clusterTrustPolicy(ctx: EksContext, clusterName: string): Record<string, unknown> {
    return {
        Version: "2012-10-17",
        Statement: [{
            Sid: "EksControlPlane",
            Effect: "Allow",
            Principal: { Service: "eks.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: {
                StringEquals: { "aws:SourceAccount": ctx.accountId },
                ArnLike: { "aws:SourceArn": `arn:${ctx.partition}:eks:${ctx.region}:${ctx.accountId}:cluster/${clusterName}` },
            },
        }],
    };
}

/**
 * Trust policy of the node role: EC2 instances. No confused-deputy condition: an instance role can
 * only be attached through an instance profile by a principal of this account holding
 * iam:PassRole, and EC2 does not document aws:SourceAccount/aws:SourceArn for instance-profile role
 * assumption: a condition on a key the service does not send would stop every node from joining.
 * The pack's confused-deputy rule exempts ec2.amazonaws.com for the same reason.
 */
export function nodeTrustPolicy(_ctx: EksContext): Record<string, unknown> {
    return {
        Version: "2012-10-17",
        Statement: [{
            Sid: "EksNodes",
            Effect: "Allow",
            Principal: { Service: "ec2.amazonaws.com" },
            Action: "sts:AssumeRole",
        }],
    };
}

/** The account's Auto Scaling service-linked role, which creates the node group's encrypted volumes. */
export function autoScalingServiceRoleArn(ctx: EksContext): string {
    return `arn:${ctx.partition}:iam::${ctx.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
}

/** What a kubeconfig needs from the cluster. */
export interface KubeconfigInputs {
    readonly clusterName: string;
    readonly endpoint: string;
    /** Base64 PEM of the cluster CA, as EKS returns it. */
    readonly certificateAuthorityData: string;
    readonly region: string;
    /** Optional IAM role to assume for `get-token` (`--role-arn`). */
    readonly roleArn?: string;
}

/**
 * A kubeconfig (plain JSON) authenticating with `aws eks get-token` (exec plugin): short-lived tokens
 * from the caller's AWS credentials, nothing long-lived stored. Building it calls nothing.
 */
export function eksKubeconfig(i: KubeconfigInputs): string {
    const args = ["eks", "get-token", "--cluster-name", i.clusterName, "--region", i.region, "--output", "json"];
    if (i.roleArn !== undefined) args.push("--role-arn", i.roleArn);
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: i.clusterName, cluster: { server: i.endpoint, "certificate-authority-data": i.certificateAuthorityData } }],
        contexts: [{ name: i.clusterName, context: { cluster: i.clusterName, user: i.clusterName } }],
        "current-context": i.clusterName,
        preferences: {},
        users: [{
            name: i.clusterName,
            user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args, interactiveMode: "Never" } },
        }],
    });
}
