/** EKS resource types in @pulumi/aws v7. */
export const CLUSTER_TYPE = "aws:eks/cluster:Cluster";
