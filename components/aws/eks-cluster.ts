/**
 * A hardened Amazon EKS cluster for model serving, in the inference network (DP-1, P6; OM-1, OM-2,
 * P12; OM-3, P11; DV-2, P5).
 *
 * Secure defaults (each relaxation is a named option):
 *  - private API endpoint only (`endpointPublicAccess: false`); the endpoint's security group admits
 *    HTTPS only from `apiClientCidrs` (e.g. the inference VPC, a VPN range), never 0.0.0.0/0;
 *  - Kubernetes Secrets envelope-encrypted with a customer-managed KMS key (created here, rotation
 *    on), which also encrypts the node volumes and the control-plane log group;
 *  - all five control-plane log types (api, audit, authenticator, controllerManager, scheduler) to a
 *    pre-created `/aws/eks/<cluster>/cluster` log group, KMS-encrypted, kept 365 days;
 *  - a supported version (default 1.33, never older than the pack's 1.32 minimum), upgraded
 *    automatically at the end of standard support (`upgradePolicy.supportType: STANDARD`);
 *  - access entries only (`authenticationMode: API`, no aws-auth ConfigMap), the creator gets no
 *    implicit admin rights: each `adminRoleArns` entry gets AmazonEKSClusterAdminPolicy explicitly;
 *  - a managed node group in the private inference subnets whose launch template requires IMDSv2
 *    (hop limit 1) and encrypts gp3 root volumes with the key; no SSH access;
 *  - least-privilege roles: AmazonEKSClusterPolicy for the cluster; AmazonEKSWorkerNodePolicy,
 *    AmazonEC2ContainerRegistryPullOnly and AmazonEKS_CNI_Policy for nodes; trust conditioned on this
 *    account (and, for the cluster role, this cluster's ARN);
 *  - deletion protection on.
 *
 * `provider` is a Kubernetes provider for the cluster, authenticating with `aws eks get-token`; it is
 * created only after the administrator access entries exist, so resources deployed through it can
 * authenticate. Needs the account's Auto Scaling service-linked role to exist (it is created the
 * first time an Auto Scaling group is made; `aws iam create-service-linked-role
 * --aws-service-name autoscaling.amazonaws.com` creates it): the key policy names it, so that the node
 * group can create encrypted volumes, and KMS refuses policies naming a role that does not exist.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EncryptionKey } from "./encryption-key";
import { inferenceClusterArgsProblem, nodeGroupSizes } from "./eks-args";
import {
    autoScalingServiceRoleArn, CLUSTER_ADMIN_ACCESS_POLICY, CLUSTER_LOG_TYPES, CLUSTER_ROLE_POLICIES, clusterTrustPolicy, DEFAULT_EKS_VERSION,
    type EksContext, eksKubeconfig, managedPolicyArn, NODE_ROLE_POLICIES, nodeTrustPolicy,
} from "./eks-policies";
import { buildNodeGroup } from "./eks-nodes";
import { AssetKinds, assetTags, type AssetTags, NetworkRoles, TagKeys } from "./tags";

export { inferenceClusterArgsProblem } from "./eks-args";

/** The managed node group. */
export interface InferenceNodeGroupArgs {
    /** EC2 instance types. Default `["m6i.large"]`. */
    readonly instanceTypes?: readonly string[];
    /** EKS AMI type. Default `AL2023_x86_64_STANDARD`. */
    readonly amiType?: string;
    /** Root volume size in GiB (gp3, encrypted). Default 50; at least 20. */
    readonly diskSizeGiB?: number;
    /** Default 2. */
    readonly minSize?: number;
    /** Default `minSize`. */
    readonly desiredSize?: number;
    /** Default `max(3, desiredSize)`. */
    readonly maxSize?: number;
    /**
     * IMDSv2 response hop limit: 1 (default) keeps pods from reaching the node's metadata service
     * and role credentials; 2 lets pods reach it (only for workloads that cannot use Pod Identity).
     */
    readonly imdsHopLimit?: 1 | 2;
    /** Kubernetes labels on the nodes. Default none. */
    readonly labels?: Readonly<Record<string, string>>;
}

export interface InferenceClusterArgs {
    /** Inventory tags stamped on every AWS resource. Required. */
    readonly assetTags: AssetTags;
    /** EKS cluster name (also names the log group). Default: the component name. */
    readonly clusterName?: string;
    /** Kubernetes version, `major.minor`. Default `1.33`; at least 1.32. */
    readonly version?: string;
    /** The inference VPC (e.g. `AiNetworks.inferenceVpcId`). Required. */
    readonly vpcId: pulumi.Input<string>;
    /** Private inference subnets in at least two zones (e.g. `AiNetworks.inference.subnets`). Required. */
    readonly subnetIds: readonly pulumi.Input<string>[];
    /**
     * IPv4 networks that may reach the private API endpoint on 443 (the inference VPC CIDR, a VPN or
     * bastion range). Required, at least one; never `0.0.0.0/0`.
     */
    readonly apiClientCidrs: readonly pulumi.Input<string>[];
    /** IAM role ARNs given cluster-admin access entries (include the role that runs `pulumi up`). Required, at least one. */
    readonly adminRoleArns: readonly pulumi.Input<string>[];
    /** Administrators of the created KMS key. Required unless `kmsKeyArn` is given. */
    readonly keyAdministratorArns?: readonly pulumi.Input<string>[];
    /**
     * Your own KMS key for secrets, volumes and logs. Its policy must admit the cluster role, the Auto
     * Scaling service-linked role (with grants) and CloudWatch Logs. Default: a key is created.
     */
    readonly kmsKeyArn?: pulumi.Input<string>;
    /**
     * Relaxation: also expose the API endpoint publicly, to these IPv4 CIDRs only (administrators'
     * egress ranges). Default none (private only). `0.0.0.0/0` is rejected.
     */
    readonly publicAccessCidrs?: readonly string[];
    /** Control-plane log retention in days: a CloudWatch value >= 90, or 0 (never expire). Default 365. */
    readonly logRetentionInDays?: number;
    /** The managed node group. Defaults as documented on {@link InferenceNodeGroupArgs}. */
    readonly nodes?: InferenceNodeGroupArgs;
    /** Role the kubeconfig's `aws eks get-token` assumes. Default: the caller's credentials. */
    readonly kubeconfigRoleArn?: pulumi.Input<string>;
}

export class InferenceCluster extends pulumi.ComponentResource {
    readonly cluster: aws.eks.Cluster;
    readonly key: EncryptionKey | undefined;
    readonly clusterRole: aws.iam.Role;
    readonly nodeRole: aws.iam.Role;
    readonly logGroup: aws.cloudwatch.LogGroup;
    readonly apiSecurityGroup: aws.ec2.SecurityGroup;
    readonly nodeGroup: aws.eks.NodeGroup;
    /** The EKS Pod Identity agent: how pods (e.g. the admission webhook) get their own AWS role. */
    readonly podIdentityAgent: aws.eks.Addon;
    readonly launchTemplate: aws.ec2.LaunchTemplate;
    readonly adminAccess: readonly aws.eks.AccessPolicyAssociation[];
    /** Kubernetes provider for this cluster (exec auth), ready once the admin access entries exist. */
    readonly provider: k8s.Provider;
    readonly clusterName: pulumi.Output<string>;
    readonly endpoint: pulumi.Output<string>;
    readonly keyArn: pulumi.Output<string>;
    /** Kubeconfig JSON (secret): `aws eks get-token` exec authentication. */
    readonly kubeconfig: pulumi.Output<string>;

    constructor(name: string, args: InferenceClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aiguard:aws:InferenceCluster", name, {}, opts);
        const problem = inferenceClusterArgsProblem(args, name);
        if (problem !== undefined) throw new pulumi.ResourceError(problem, this);
        const clusterName = args.clusterName ?? name;
        const version = args.version ?? DEFAULT_EKS_VERSION;
        const publicCidrs = args.publicAccessCidrs;
        const retention = args.logRetentionInDays ?? 365;
        const n = args.nodes ?? {};
        const { minSize, desiredSize, maxSize } = nodeGroupSizes(n);

        const parent = { parent: this };
        const identity = aws.getCallerIdentityOutput({}, parent);
        const region = aws.getRegionOutput({}, parent);
        const partition = aws.getPartitionOutput({}, parent);
        const ctx: pulumi.Output<EksContext> = pulumi.all([identity.accountId, region.region, partition.partition])
            .apply(([accountId, r, p]) => ({ accountId, region: r, partition: p }));
        const tags = (kind: typeof AssetKinds[keyof typeof AssetKinds]) => assetTags(args.assetTags, kind, { [TagKeys.networkRole]: NetworkRoles.inference });

        this.clusterRole = new aws.iam.Role(`${name}-cluster-role`, {
            description: `EKS control plane of ${clusterName}`,
            assumeRolePolicy: ctx.apply((c) => JSON.stringify(clusterTrustPolicy(c, clusterName))),
            tags: assetTags(args.assetTags, AssetKinds.role),
        }, parent);
        const clusterAttachments = CLUSTER_ROLE_POLICIES.map((p) => new aws.iam.RolePolicyAttachment(`${name}-cluster-${p}`, {
            role: this.clusterRole.name,
            policyArn: partition.partition.apply((part) => managedPolicyArn(part, p)),
        }, parent));
        this.nodeRole = new aws.iam.Role(`${name}-node-role`, {
            description: `EKS nodes of ${clusterName}`,
            assumeRolePolicy: ctx.apply((c) => JSON.stringify(nodeTrustPolicy(c))),
            tags: assetTags(args.assetTags, AssetKinds.role),
        }, parent);
        const nodeAttachments = NODE_ROLE_POLICIES.map((p) => new aws.iam.RolePolicyAttachment(`${name}-node-${p}`, {
            role: this.nodeRole.name,
            policyArn: partition.partition.apply((part) => managedPolicyArn(part, p)),
        }, parent));

        if (args.kmsKeyArn === undefined) {
            this.key = new EncryptionKey(`${name}-key`, {
                description: `${clusterName}: Kubernetes secrets, node volumes and control-plane logs`,
                assetTags: args.assetTags,
                administratorArns: args.keyAdministratorArns ?? [],
                userArns: [this.clusterRole.arn, ctx.apply(autoScalingServiceRoleArn)],
                services: [{
                    service: ctx.apply((c) => `logs.${c.region}.amazonaws.com`),
                    actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                    conditions: {
                        ArnEquals: {
                            "kms:EncryptionContext:aws:logs:arn": ctx.apply((c) => `arn:${c.partition}:logs:${c.region}:${c.accountId}:log-group:/aws/eks/${clusterName}/cluster`),
                        },
                    },
                }],
            }, parent);
            this.keyArn = this.key.arn;
        } else {
            this.key = undefined;
            this.keyArn = pulumi.output(args.kmsKeyArn);
        }

        // EKS writes to this exact name; creating it first gives it the key and the retention.
        this.logGroup = new aws.cloudwatch.LogGroup(`${name}-control-plane-logs`, {
            name: `/aws/eks/${clusterName}/cluster`,
            retentionInDays: retention,
            kmsKeyId: this.keyArn,
            tags: assetTags(args.assetTags, AssetKinds.monitoring),
        }, parent);

        this.apiSecurityGroup = new aws.ec2.SecurityGroup(`${name}-api-sg`, {
            vpcId: args.vpcId,
            description: `${clusterName} API endpoint: HTTPS from the listed inference-side networks only`,
            tags: { ...tags(AssetKinds.network), Name: `${name}-api-sg` },
        }, parent);
        args.apiClientCidrs.forEach((cidr, i) => new aws.vpc.SecurityGroupIngressRule(`${name}-api-in-${i}`, {
            securityGroupId: this.apiSecurityGroup.id,
            description: "Kubernetes API (HTTPS) from an allowed network",
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrIpv4: cidr,
            tags: tags(AssetKinds.network),
        }, parent));

        const publicAccess = publicCidrs !== undefined;
        this.cluster = new aws.eks.Cluster(`${name}-cluster`, {
            name: clusterName,
            version,
            roleArn: this.clusterRole.arn,
            vpcConfig: {
                subnetIds: [...args.subnetIds],
                securityGroupIds: [this.apiSecurityGroup.id],
                endpointPrivateAccess: true,
                endpointPublicAccess: publicAccess,
                ...(publicAccess ? { publicAccessCidrs: [...publicCidrs] } : {}),
            },
            encryptionConfig: { resources: ["secrets"], provider: { keyArn: this.keyArn } },
            enabledClusterLogTypes: [...CLUSTER_LOG_TYPES],
            accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
            upgradePolicy: { supportType: "STANDARD" },
            deletionProtection: true,
            tags: tags(AssetKinds.cluster),
        }, { parent: this, dependsOn: [this.logGroup, ...clusterAttachments, ...(this.key ? [this.key] : [])] });

        this.adminAccess = args.adminRoleArns.map((principalArn, i) => {
            const entry = new aws.eks.AccessEntry(`${name}-admin-${i}`, {
                clusterName: this.cluster.name,
                principalArn,
                type: "STANDARD",
                tags: tags(AssetKinds.cluster),
            }, parent);
            return new aws.eks.AccessPolicyAssociation(`${name}-admin-${i}-policy`, {
                clusterName: this.cluster.name,
                principalArn: entry.principalArn,
                policyArn: partition.partition.apply((p) => `arn:${p}:eks::aws:cluster-access-policy/${CLUSTER_ADMIN_ACCESS_POLICY}`),
                accessScope: { type: "cluster" },
            }, parent);
        });

        const nodes = buildNodeGroup(this, name, {
            clusterName: this.cluster.name,
            nodeRoleArn: this.nodeRole.arn,
            subnetIds: args.subnetIds,
            kmsKeyArn: this.keyArn,
            instanceTypes: n.instanceTypes ?? ["m6i.large"],
            amiType: n.amiType ?? "AL2023_x86_64_STANDARD",
            diskSizeGiB: n.diskSizeGiB ?? 50,
            minSize,
            desiredSize,
            maxSize,
            imdsHopLimit: n.imdsHopLimit ?? 1,
            labels: n.labels ?? {},
            assetTags: args.assetTags,
            dependsOn: nodeAttachments,
        });
        this.nodeGroup = nodes.nodeGroup;
        this.launchTemplate = nodes.launchTemplate;
        // Pods get AWS credentials of their own role through Pod Identity, never the node's role.
        this.podIdentityAgent = new aws.eks.Addon(`${name}-pod-identity-agent`, {
            clusterName: this.cluster.name,
            addonName: "eks-pod-identity-agent",
            resolveConflictsOnCreate: "OVERWRITE",
            tags: assetTags(args.assetTags, AssetKinds.cluster),
        }, { parent: this, dependsOn: [this.nodeGroup] });

        this.clusterName = this.cluster.name;
        this.endpoint = this.cluster.endpoint;
        // Depending on the access policies' ids: the provider is usable only once the admins can authenticate.
        const adminsReady = pulumi.all(this.adminAccess.map((a) => a.id));
        this.kubeconfig = pulumi.secret(pulumi.all([this.cluster.name, this.cluster.endpoint, this.cluster.certificateAuthority.data, region.region, pulumi.output(args.kubeconfigRoleArn), adminsReady])
            .apply(([clusterNameOut, endpoint, ca, r, roleArn]) => eksKubeconfig({
                clusterName: clusterNameOut, endpoint, certificateAuthorityData: ca, region: r, ...(roleArn ? { roleArn } : {}),
            })));
        this.provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: this.kubeconfig, enableServerSideApply: true }, parent);
        this.registerOutputs({ clusterName: this.clusterName, endpoint: this.endpoint, keyArn: this.keyArn, kubeconfig: this.kubeconfig });
    }
}
