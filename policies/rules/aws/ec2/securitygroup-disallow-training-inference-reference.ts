import * as aws from "@pulumi/aws";
import { UNKNOWN, type Finding, type RuleResource, stackRule } from "../../../framework/rule";
import { asList, byType } from "../../../framework/values";
import { Ec2Types, knownId, Network, opposite, type NetworkRole } from "./network";

/** Known security-group ids referenced by inline `ingress`/`egress` blocks (`securityGroups`). */
function inlineReferences(sg: RuleResource): string[] {
    const out: string[] = [];
    for (const dir of ["ingress", "egress"]) {
        const rules = asList(sg.props[dir]);
        if (rules === UNKNOWN) continue;
        for (const r of rules) {
            const groups = asList((r as Record<string, unknown> | undefined)?.securityGroups);
            if (groups !== UNKNOWN) for (const g of groups) if (knownId(g)) out.push(g as string);
        }
    }
    return out;
}

export const ec2SecurityGroupDisallowTrainingInferenceReference = stackRule({
    judges: [aws.ec2.SecurityGroup, aws.ec2.DefaultSecurityGroup, aws.ec2.SecurityGroupRule, aws.vpc.SecurityGroupIngressRule, aws.vpc.SecurityGroupEgressRule],
    name: "aws-ec2-securitygroup-disallow-training-inference-reference",
    description:
        "A security group of the training network must not reference a security group of the inference network in its rules, nor the other way round. Cross-referenced groups open a path between the segregated environments and are a sign that one group is shared by both.",
    clauses: ["DP-1", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Give training and inference workloads separate security groups in their own VPCs, and remove the rule (inline `securityGroups` entry, `sourceSecurityGroupId` or `referencedSecurityGroupId`) that points at the other network's group.",
    url: "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
    settings: ["trainingNetworkTag", "inferenceNetworkTag"],
    onUnknown:
        "Skips security groups whose tags, VPC or rules are unknown, and rules whose group ids are unknown; the pack re-runs at update time when the values are known.",
    check: (resources, { settings }) => {
        const index = byType(resources);
        const net = new Network(index, settings);
        const groups = [...(index.get(Ec2Types.securityGroup) ?? []), ...(index.get(Ec2Types.defaultSecurityGroup) ?? [])];
        const roles = new Map<string, NetworkRole>();
        for (const g of groups) {
            const id = knownId(g.props.id);
            const role = net.roleOf(g);
            if (id && (role === "training" || role === "inference")) roles.set(id, role);
        }
        const findings: Finding[] = [];
        const judge = (groupId: unknown, referenced: unknown, urn: string, where: string) => {
            const a = roles.get(knownId(groupId) ?? "");
            const b = roles.get(knownId(referenced) ?? "");
            if (a && b === opposite(a)) findings.push({ message: `${where}: ${a} security group ${String(groupId)} references ${b} security group ${String(referenced)}`, urn });
        };
        for (const g of groups) for (const ref of inlineReferences(g)) judge(g.props.id, ref, g.urn, `security group "${g.name}"`);
        for (const r of index.get(Ec2Types.securityGroupRule) ?? []) judge(r.props.securityGroupId, r.props.sourceSecurityGroupId, r.urn, `security group rule "${r.name}"`);
        for (const type of [Ec2Types.ingressRule, Ec2Types.egressRule]) {
            for (const r of index.get(type) ?? []) judge(r.props.securityGroupId, r.props.referencedSecurityGroupId, r.urn, `security group rule "${r.name}"`);
        }
        return findings;
    },
});
