import * as aws from "@pulumi/aws";
import { type Finding, isOf, UNKNOWN, resourceRule } from "../../../framework/rule";
import { asList } from "../../../framework/values";

const ANYWHERE: ReadonlySet<unknown> = new Set(["0.0.0.0/0", "::/0"]);

/** The open CIDRs among known entries of the given list properties. */
function openCidrs(props: Readonly<Record<string, unknown>>, keys: readonly string[]): string[] {
    const out: string[] = [];
    for (const k of keys) {
        const list = asList(props[k]);
        if (list !== UNKNOWN) for (const c of list) if (ANYWHERE.has(c)) out.push(c as string);
    }
    return out;
}

function describePorts(p: Readonly<Record<string, unknown>>): string {
    const from = p.fromPort;
    const to = p.toPort;
    const protocol = p.protocol ?? p.ipProtocol;
    if (protocol === "-1" || protocol === -1 || protocol === "all") return "all traffic";
    return `${String(protocol ?? "tcp")} ${String(from ?? "*")}-${String(to ?? "*")}`;
}

export const ec2SecurityGroupDisallowPublicIngress = resourceRule({
    name: "aws-ec2-securitygroup-disallow-public-ingress",
    description:
        "Security groups must not allow ingress from 0.0.0.0/0 or ::/0, whether in inline ingress blocks, aws.ec2.SecurityGroupRule resources or aws.vpc.SecurityGroupIngressRule resources. Model endpoints, notebooks and training hosts are reached through load balancers, VPC endpoints or private networks, never directly from the internet.",
    clauses: ["DP-1", "P6"],
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Replace the open CIDR with the CIDR of the calling network, a prefix list, or a reference to the caller's security group (`referencedSecurityGroupId` / `sourceSecurityGroupId`). A public entry point belongs on a load balancer with its own reviewed exemption.",
    url: "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
    classes: [aws.ec2.SecurityGroup, aws.ec2.SecurityGroupRule, aws.vpc.SecurityGroupIngressRule],
    onUnknown: "Skips ingress entries and CIDR lists that are unknown; the pack re-runs at update time when the values are known.",
    check: (r) => {
        const findings: Finding[] = [];
        if (isOf(r, aws.ec2.SecurityGroup)) {
            const rules = asList(r.props.ingress);
            if (rules === UNKNOWN) return [];
            for (const rule of rules) {
                if (!rule || typeof rule !== "object") continue;
                const p = rule as Record<string, unknown>;
                for (const cidr of openCidrs(p, ["cidrBlocks", "ipv6CidrBlocks"])) {
                    findings.push({ message: `security group "${r.name}" allows ingress from ${cidr} (${describePorts(p)})` });
                }
            }
        } else if (isOf(r, aws.ec2.SecurityGroupRule)) {
            if (r.props.type !== "ingress") return [];
            for (const cidr of openCidrs(r.props, ["cidrBlocks", "ipv6CidrBlocks"])) {
                findings.push({ message: `security group rule "${r.name}" allows ingress from ${cidr} (${describePorts(r.props)})` });
            }
        } else if (isOf(r, aws.vpc.SecurityGroupIngressRule)) {
            for (const cidr of openCidrs(r.props, ["cidrIpv4", "cidrIpv6"])) {
                findings.push({ message: `security group ingress rule "${r.name}" allows ingress from ${cidr} (${describePorts(r.props)})` });
            }
        }
        return findings;
    },
});
