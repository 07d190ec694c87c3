/**
 * The argument check of {@link InferenceCluster}: a pure function, tested with tables, that the
 * constructor calls first. Returns the first problem, naming the fix, or `undefined`.
 */
import type { InferenceClusterArgs, InferenceNodeGroupArgs } from "./eks-cluster";
import { apiCidrsError, clusterNameError, DEFAULT_EKS_VERSION, versionError } from "./eks-policies";
import { flowLogRetentionError } from "./network-flow-logs";
import { assetTagsProblem } from "./tags";

function positiveInt(v: number, min: number): boolean {
    return Number.isInteger(v) && v >= min;
}

/** The node group's sizes with defaults: minSize 2, desiredSize = minSize, maxSize = max(3, desiredSize). */
export function nodeGroupSizes(n: InferenceNodeGroupArgs): { minSize: number; desiredSize: number; maxSize: number } {
    const minSize = n.minSize ?? 2;
    const desiredSize = n.desiredSize ?? minSize;
    return { minSize, desiredSize, maxSize: n.maxSize ?? Math.max(3, desiredSize) };
}

/**
 * The first problem with the arguments, or `undefined`. `componentName` is the cluster name's
 * default. Computed (output) values are not checked.
 */
export function inferenceClusterArgsProblem(args: InferenceClusterArgs, componentName: string): string | undefined {
    const problem = assetTagsProblem(args.assetTags)
        ?? clusterNameError(args.clusterName ?? componentName)
        ?? versionError(args.version ?? DEFAULT_EKS_VERSION);
    if (problem !== undefined) return problem;
    if (args.subnetIds.length < 2) return `subnetIds must name private subnets in at least two availability zones (EKS requires two); got ${args.subnetIds.length}`;
    if (args.apiClientCidrs.length === 0) return "apiClientCidrs must name the networks allowed to reach the private API endpoint (e.g. the inference VPC CIDR); without one nobody can administer the cluster";
    const cidrProblem = apiCidrsError(args.apiClientCidrs, "apiClientCidrs");
    if (cidrProblem !== undefined) return cidrProblem;
    const publicCidrs = args.publicAccessCidrs;
    if (publicCidrs !== undefined) {
        if (publicCidrs.length === 0) return "publicAccessCidrs is empty: omit it to keep the endpoint private, or list the administrators' egress ranges (an empty list would mean 0.0.0.0/0 to EKS)";
        const publicProblem = apiCidrsError(publicCidrs, "publicAccessCidrs");
        if (publicProblem !== undefined) return publicProblem;
    }
    if (args.adminRoleArns.length === 0) return "adminRoleArns must name at least one IAM role: the creator gets no implicit admin rights (bootstrapClusterCreatorAdminPermissions is false)";
    for (const arn of args.adminRoleArns) {
        if (typeof arn === "string" && !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(arn)) return `adminRoleArns must list IAM role ARNs; got ${JSON.stringify(arn)}`;
    }
    if (args.kmsKeyArn !== undefined && args.keyAdministratorArns !== undefined) return "give either kmsKeyArn (use your key) or keyAdministratorArns (create a key), not both";
    if (args.kmsKeyArn === undefined && (args.keyAdministratorArns ?? []).length === 0) {
        return "secrets, volumes and logs are encrypted with a customer-managed key: give keyAdministratorArns (to create one) or kmsKeyArn (to use yours)";
    }
    const retentionProblem = flowLogRetentionError(args.logRetentionInDays ?? 365)?.replace("flowLogRetentionInDays", "logRetentionInDays");
    if (retentionProblem !== undefined) return retentionProblem;
    return nodesProblem(args.nodes ?? {});
}

function nodesProblem(n: InferenceNodeGroupArgs): string | undefined {
    const { minSize, desiredSize, maxSize } = nodeGroupSizes(n);
    if (!positiveInt(minSize, 1) || !positiveInt(desiredSize, 1) || !positiveInt(maxSize, 1) || minSize > desiredSize || desiredSize > maxSize) {
        return `nodes: need whole numbers 1 <= minSize <= desiredSize <= maxSize; got ${minSize} <= ${desiredSize} <= ${maxSize}`;
    }
    const diskSizeGiB = n.diskSizeGiB ?? 50;
    if (!positiveInt(diskSizeGiB, 20)) return `nodes.diskSizeGiB must be a whole number of at least 20; got ${diskSizeGiB}`;
    const imdsHopLimit = n.imdsHopLimit ?? 1;
    if (imdsHopLimit !== 1 && imdsHopLimit !== 2) return `nodes.imdsHopLimit must be 1 or 2; got ${String(imdsHopLimit)}`;
    if ((n.instanceTypes ?? ["m6i.large"]).length === 0) return "nodes.instanceTypes must name at least one instance type";
    return undefined;
}
