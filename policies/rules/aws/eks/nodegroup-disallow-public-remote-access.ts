/** EKS managed node groups must not open SSH to the internet. */
import * as aws from "@pulumi/aws";
import { resourceRule, UNKNOWN, type Finding } from "../../../framework/rule";
import { get, isKnownMissing, skipsWhenUnknown } from "../../../framework/values";

export const eksNodeGroupDisallowPublicRemoteAccess = resourceRule({
    name: "aws-eks-nodegroup-disallow-public-remote-access",
    description:
        "EKS managed node groups must not allow SSH from anywhere. With `remoteAccess.ec2SshKey` set and no `remoteAccess.sourceSecurityGroupIds`, EKS opens port 22 of every node to 0.0.0.0/0, exposing the hosts that run model servers and hold their weights.",
    clauses: ["DP-1", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    classes: [aws.eks.NodeGroup],
    remediationSteps: "Remove `remoteAccess` and reach nodes through SSM Session Manager, or set `remoteAccess.sourceSecurityGroupIds` to a bastion's security group.",
    url: "https://docs.aws.amazon.com/eks/latest/APIReference/API_RemoteAccessConfig.html",
    onUnknown: skipsWhenUnknown("`remoteAccess` (or its key or source security groups)"),
    check({ props }): Finding[] {
        const access = props.remoteAccess;
        if (access === undefined || access === null || access === UNKNOWN) return [];
        const key = get(access, "ec2SshKey");
        const sources = get(access, "sourceSecurityGroupIds");
        if (isKnownMissing(key) || sources === UNKNOWN) return [];
        if (Array.isArray(sources) && sources.length > 0) return [];
        return [{ message: "remoteAccess.ec2SshKey is set without remoteAccess.sourceSecurityGroupIds: SSH (port 22) on every node is open to 0.0.0.0/0" }];
    },
});
