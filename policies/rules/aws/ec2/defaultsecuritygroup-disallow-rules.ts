import * as aws from "@pulumi/aws";
import { UNKNOWN, resourceRule } from "../../../framework/rule";
import { asList } from "../../../framework/values";

export const ec2DefaultSecurityGroupDisallowRules = resourceRule({
    name: "aws-ec2-defaultsecuritygroup-disallow-rules",
    description:
        "The default security group of every VPC must have no ingress and no egress rules. Resources launched without an explicit group then get no network access, instead of the permissive default that lets members talk to each other.",
    clauses: ["DP-1", "DP-5", "P6"],
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Adopt the default security group with an `aws.ec2.DefaultSecurityGroup` that sets `vpcId` and no `ingress` or `egress` blocks (this removes AWS's default rules), and give workloads their own security groups.",
    url: "https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html",
    classes: [aws.ec2.DefaultSecurityGroup],
    onUnknown: "Skips the check when the ingress or egress list is unknown; the pack re-runs at update time when the values are known.",
    check: (r) => {
        const ingress = asList(r.props.ingress);
        const egress = asList(r.props.egress);
        const parts: string[] = [];
        if (ingress !== UNKNOWN && ingress.length > 0) parts.push(`${ingress.length} ingress`);
        if (egress !== UNKNOWN && egress.length > 0) parts.push(`${egress.length} egress`);
        return parts.length ? [{ message: `default security group "${r.name}" has ${parts.join(" and ")} rule(s); it must have none` }] : [];
    },
});
