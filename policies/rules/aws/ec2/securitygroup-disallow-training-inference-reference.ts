import * as aws from "@pulumi/aws";
import { UNKNOWN, type Finding, type RuleResource, stackRule } from "../../../framework/rule";
import { asList, byType } from "../../../framework/values";
import { ReferenceIndex } from "../../../framework/references";
import { Ec2Types, knownId, Network, opposite } from "./network";

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
        "Joins rules to their groups by id or, at a first preview, by the engine's dependency URNs; a group whose role cannot be told (no tag, no AI service in it, VPC unknown) is not judged, and the pack re-runs at update time when the values are known.",
    check: (resources, { settings }) => {
        const index = byType(resources);
        const net = new Network(resources, settings);
        const groups = [...(index.get(Ec2Types.securityGroup) ?? []), ...(index.get(Ec2Types.defaultSecurityGroup) ?? [])];
        const byId = new ReferenceIndex(groups, ["id", "arn"]);
        const label = (g: RuleResource) => knownId(g.props.id) ?? `"${g.name}"`;
        const findings: Finding[] = [];
        // Groups joined by id when known, at a first preview by the engine's dependency URNs.
        const judge = (from: RuleResource, mine: readonly RuleResource[], others: readonly RuleResource[], where: string) => {
            for (const g of mine) {
                const a = net.roleOf(g);
                if (a !== "training" && a !== "inference") continue;
                for (const o of others) {
                    const b = net.roleOf(o);
                    if (b === opposite(a)) findings.push({ message: `${where}: ${a} security group ${label(g)} references ${b} security group ${label(o)}`, urn: from.urn });
                }
            }
        };
        for (const g of groups) {
            for (const dir of ["ingress", "egress"]) {
                const rules = asList(g.props[dir]);
                if (rules === UNKNOWN) continue;
                const refs = rules.flatMap((r) => {
                    const l = asList((r as Record<string, unknown> | undefined)?.securityGroups);
                    return l === UNKNOWN ? [UNKNOWN] : l;
                });
                judge(g, [g], byId.resolve(g, dir, refs).targets, `security group "${g.name}"`);
            }
        }
        for (const r of index.get(Ec2Types.securityGroupRule) ?? []) judge(r, byId.resolve(r, "securityGroupId").targets, byId.resolve(r, "sourceSecurityGroupId").targets, `security group rule "${r.name}"`);
        for (const type of [Ec2Types.ingressRule, Ec2Types.egressRule]) {
            for (const r of index.get(type) ?? []) judge(r, byId.resolve(r, "securityGroupId").targets, byId.resolve(r, "referencedSecurityGroupId").targets, `security group rule "${r.name}"`);
        }
        return findings;
    },
});
