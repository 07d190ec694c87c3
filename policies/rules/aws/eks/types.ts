/** EKS resource types in @pulumi/aws v7. */
import * as aws from "@pulumi/aws";
import { typeToken } from "../../../framework/rule";
export const CLUSTER_TYPE = typeToken(aws.eks.Cluster);
