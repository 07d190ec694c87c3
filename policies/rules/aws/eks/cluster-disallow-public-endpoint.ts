/** EKS API endpoints must be private, or public only to named networks. */
import * as aws from "@pulumi/aws";
import { type Finding, UNKNOWN, resourceRule } from "../../../framework/rule";
import { get } from "../../../framework/values";

const OPEN = new Set(["0.0.0.0/0", "::/0"]);

export const eksClusterDisallowPublicEndpoint = resourceRule({
    name: "aws-eks-cluster-disallow-public-endpoint",
    description:
        "EKS clusters must not expose the Kubernetes API to the whole internet: `vpcConfig.endpointPublicAccess` must be false, or, if true, `vpcConfig.publicAccessCidrs` must list specific networks and contain neither 0.0.0.0/0 nor ::/0. Public access defaults to true and an empty CIDR list means 0.0.0.0/0.",
    clauses: ["DP-1", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    classes: [aws.eks.Cluster],
    remediationSteps: "Set `vpcConfig.endpointPublicAccess: false` and `vpcConfig.endpointPrivateAccess: true` (reach the API over VPN/bastion), or keep public access with `publicAccessCidrs` set to your administrators' egress ranges only.",
    url: "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html",
    onUnknown: "Reports nothing when `vpcConfig`, `endpointPublicAccess` or `publicAccessCidrs` (or one of its entries) is unknown at preview; checked again at update.",
    check({ props }): Finding[] {
        const vpc = props.vpcConfig;
        const pub = get(vpc, "endpointPublicAccess");
        if (vpc === UNKNOWN || pub === UNKNOWN || pub === false) return [];
        const cidrs = get(vpc, "publicAccessCidrs");
        if (cidrs === UNKNOWN || (Array.isArray(cidrs) && cidrs.includes(UNKNOWN))) return [];
        const state = pub === true ? "true" : "not set (the default is true)";
        if (!Array.isArray(cidrs) || cidrs.length === 0) {
            return [{ message: `vpcConfig.endpointPublicAccess is ${state} and publicAccessCidrs is empty, which allows 0.0.0.0/0` }];
        }
        const open = cidrs.filter((c) => OPEN.has(c as string));
        return open.length > 0 ? [{ message: `vpcConfig.endpointPublicAccess is ${state} and publicAccessCidrs contains ${open.join(", ")}` }] : [];
    },
});
