import { describe, expect, it } from "vitest";
import { UNKNOWN, type StackRule } from "../../../policies/framework/rule";
import { TagKeys } from "../../../common/conventions";
import { ec2DefaultSecurityGroupDisallowRules } from "../../../policies/rules/aws/ec2/defaultsecuritygroup-disallow-rules";
import { ec2RouteDisallowTrainingInferenceRoute } from "../../../policies/rules/aws/ec2/route-disallow-training-inference-route";
import { ec2RouteDisallowTrainingInternetRoute } from "../../../policies/rules/aws/ec2/route-disallow-training-internet-route";
import { ec2SecurityGroupDisallowPublicIngress } from "../../../policies/rules/aws/ec2/securitygroup-disallow-public-ingress";
import { ec2SecurityGroupDisallowTrainingInferenceReference } from "../../../policies/rules/aws/ec2/securitygroup-disallow-training-inference-reference";
import { ec2SubnetDisallowTrainingPublicIp } from "../../../policies/rules/aws/ec2/subnet-disallow-training-public-ip";
import { ec2VpcDisallowTrainingInferenceConnection } from "../../../policies/rules/aws/ec2/vpc-disallow-training-inference-connection";
import { ec2VpcMissingFlowLogs } from "../../../policies/rules/aws/ec2/vpc-missing-flow-logs";
import { Ec2Types as T } from "../../../policies/rules/aws/ec2/network";
import { aiTags, expectFindings, named, res, run, urnOf, type Res } from "../support";

const role = (r: string) => aiTags("network", { [TagKeys.networkRole]: r });

/** Segregated training and inference VPCs: no connection, internet only on the inference side, flow logs on both. */
function compliant(): Res[] {
    return [
        res(T.vpc, "training", { id: "vpc-t", cidrBlock: "10.0.0.0/16", tags: role("training") }),
        res(T.vpc, "inference", { id: "vpc-i", cidrBlock: "10.1.0.0/16", tags: role("inference") }),
        res(T.subnet, "training-a", { id: "subnet-t", vpcId: "vpc-t", mapPublicIpOnLaunch: false, tags: {} }),
        res(T.subnet, "inference-public", { id: "subnet-i", vpcId: "vpc-i", mapPublicIpOnLaunch: true, tags: {} }),
        res(T.routeTable, "training-rt", { id: "rtb-t", vpcId: "vpc-t", routes: [], tags: {} }),
        res(T.routeTable, "inference-rt", { id: "rtb-i", vpcId: "vpc-i", routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: "igw-1" }], tags: {} }),
        res(T.internetGateway, "inference-igw", { id: "igw-1", vpcId: "vpc-i" }),
        res(T.tgwAttachment, "inference-tgw", { id: "tgw-attach-i", transitGatewayId: "tgw-1", vpcId: "vpc-i" }),
        res(T.securityGroup, "training-sg", { id: "sg-t", vpcId: "vpc-t", ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/16"] }], egress: [], tags: {} }),
        res(T.securityGroup, "inference-sg", { id: "sg-i", vpcId: "vpc-i", ingress: [], egress: [], tags: {} }),
        res(T.flowLog, "training-flow", { vpcId: "vpc-t", trafficType: "ALL" }),
        res(T.flowLog, "inference-flow", { vpcId: "vpc-i", trafficType: "ALL" }),
    ];
}
const add = (...rs: Res[]) => (s: Res[]) => [...s, ...rs];
const edit = (name: string, f: (p: Record<string, any>) => void) => (s: Res[]) => {
    f(named(s)[name]!.props);
    return s;
};
const peering = () => res(T.peering, "t-to-i", { id: "pcx-1", vpcId: "vpc-t", peerVpcId: "vpc-i" });
const PEERING_URN = urnOf(T.peering, "t-to-i");

const STACK_RULES: StackRule[] = [
    ec2VpcDisallowTrainingInferenceConnection,
    ec2RouteDisallowTrainingInferenceRoute,
    ec2SecurityGroupDisallowTrainingInferenceReference,
    ec2RouteDisallowTrainingInternetRoute,
    ec2SubnetDisallowTrainingPublicIp,
    ec2VpcMissingFlowLogs,
];

const CASES: { title: string; rule: StackRule; change: (s: Res[]) => Res[]; expected: { message: string; urn: string }[] }[] = [
    { title: "peering between training and inference", rule: ec2VpcDisallowTrainingInferenceConnection, change: (st) => add(peering())(st), expected: [{ message: 'VPC peering "t-to-i" connects a training VPC with an inference VPC', urn: PEERING_URN }] },
    { title: "both VPCs on one transit gateway", rule: ec2VpcDisallowTrainingInferenceConnection, change: add(res(T.tgwAttachment, "training-tgw", { transitGatewayId: "tgw-1", vpcId: "vpc-t" })), expected: [{ message: "joins a training VPC to transit gateway tgw-1, which also has an inference VPC attached", urn: urnOf(T.tgwAttachment, "training-tgw") }] },
    { title: "training route to an inference peering", rule: ec2RouteDisallowTrainingInferenceRoute, change: (st) => add(peering(), res(T.route, "to-inference", { routeTableId: "rtb-t", destinationCidrBlock: "10.1.0.0/16", vpcPeeringConnectionId: "pcx-1" }))(st), expected: [{ message: 'training route table "training-rt" routes to pcx-1, which reaches an inference VPC', urn: urnOf(T.route, "to-inference") }] },
    { title: "inline training route to the inference transit gateway", rule: ec2RouteDisallowTrainingInferenceRoute, change: edit("training-rt", (p) => p.routes.push({ cidrBlock: "10.1.0.0/16", transitGatewayId: "tgw-1" })), expected: [{ message: "routes to tgw-1, which reaches an inference VPC", urn: urnOf(T.routeTable, "training-rt") }] },
    { title: "training SG references the inference SG inline", rule: ec2SecurityGroupDisallowTrainingInferenceReference, change: edit("training-sg", (p) => p.ingress.push({ protocol: "tcp", fromPort: 443, toPort: 443, securityGroups: ["sg-i"] })), expected: [{ message: "training security group sg-t references inference security group sg-i", urn: urnOf(T.securityGroup, "training-sg") }] },
    { title: "SecurityGroupRule from training into inference", rule: ec2SecurityGroupDisallowTrainingInferenceReference, change: add(res(T.securityGroupRule, "i-from-t", { type: "ingress", securityGroupId: "sg-i", sourceSecurityGroupId: "sg-t" })), expected: [{ message: "inference security group sg-i references training security group sg-t", urn: urnOf(T.securityGroupRule, "i-from-t") }] },
    { title: "vpc.SecurityGroupEgressRule from training to inference", rule: ec2SecurityGroupDisallowTrainingInferenceReference, change: add(res(T.egressRule, "t-to-i", { securityGroupId: "sg-t", referencedSecurityGroupId: "sg-i" })), expected: [{ message: "training security group sg-t references inference security group sg-i", urn: urnOf(T.egressRule, "t-to-i") }] },
    { title: "inline default route to an internet gateway", rule: ec2RouteDisallowTrainingInternetRoute, change: edit("training-rt", (p) => p.routes.push({ cidrBlock: "0.0.0.0/0", gatewayId: "igw-1" })), expected: [{ message: 'training route table "training-rt" routes 0.0.0.0/0 to internet gateway igw-1', urn: urnOf(T.routeTable, "training-rt") }] },
    { title: "Route resource to a NAT gateway", rule: ec2RouteDisallowTrainingInternetRoute, change: add(res(T.route, "nat", { routeTableId: "rtb-t", destinationCidrBlock: "0.0.0.0/0", natGatewayId: "nat-1" })), expected: [{ message: "routes 0.0.0.0/0 to NAT gateway nat-1", urn: urnOf(T.route, "nat") }] },
    { title: "IPv6 default route to an egress-only gateway", rule: ec2RouteDisallowTrainingInternetRoute, change: add(res(T.route, "v6", { routeTableId: "rtb-t", destinationIpv6CidrBlock: "::/0", egressOnlyGatewayId: "eigw-1" })), expected: [{ message: "routes ::/0 to egress-only internet gateway eigw-1", urn: urnOf(T.route, "v6") }] },
    { title: "route table tagged training in an untagged VPC", rule: ec2RouteDisallowTrainingInternetRoute, change: add(res(T.routeTable, "tagged-rt", { id: "rtb-x", vpcId: "vpc-other", routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: "igw-9" }], tags: role("training") })), expected: [{ message: 'training route table "tagged-rt" routes 0.0.0.0/0', urn: urnOf(T.routeTable, "tagged-rt") }] },
    { title: "public IPs in a training subnet", rule: ec2SubnetDisallowTrainingPublicIp, change: edit("training-a", (p) => (p.mapPublicIpOnLaunch = true)), expected: [{ message: 'training subnet "training-a" sets mapPublicIpOnLaunch: true', urn: urnOf(T.subnet, "training-a") }] },
    { title: "inference VPC without a flow log", rule: ec2VpcMissingFlowLogs, change: (s) => s.filter((r) => r.name !== "inference-flow"), expected: [{ message: 'inference VPC "inference" (vpc-i) has no flow log', urn: urnOf(T.vpc, "inference") }] },
];

describe("network segregation stack rules", () => {
    it.each(STACK_RULES.map((r) => [r.name, r] as const))("%s: the compliant stack has no finding", (_n, rule) => expect(run(rule, compliant())).toEqual([]));
    it.each(CASES.map((c) => [`${c.rule.name}: ${c.title}`, c] as const))("%s", (_t, c) => expectFindings(run(c.rule, c.change(compliant())), c.expected));

    it("ignores untagged VPCs entirely", () => {
        const s = add(peering(), res(T.route, "nat", { routeTableId: "rtb-t", destinationCidrBlock: "0.0.0.0/0", natGatewayId: "nat-1" }))(compliant());
        for (const r of s) if (r.type === T.vpc) r.props.tags = {};
        for (const rule of STACK_RULES) expect(run(rule, s)).toEqual([]);
    });

    it.each([
        // Every VPC needs a flow log whatever its tags say: the flow-log rule still reports.
        ["VPC tags", (s: Res[]) => { for (const r of s) if (r.type === T.vpc) r.props.tags = UNKNOWN; }, STACK_RULES.filter((r) => r !== ec2VpcMissingFlowLogs)],
        ["VPC ids", (s: Res[]) => { for (const r of s) if (r.type === T.vpc) r.props.id = UNKNOWN; }, STACK_RULES],
        ["route targets", (s: Res[]) => { named(s).nat!.props.natGatewayId = UNKNOWN; named(s)["to-i"]!.props.vpcPeeringConnectionId = UNKNOWN; }, [ec2RouteDisallowTrainingInternetRoute, ec2RouteDisallowTrainingInferenceRoute]],
        ["peering and attachment VPC ids", (s: Res[]) => { named(s)["t-to-i"]!.props.peerVpcId = UNKNOWN; named(s)["t-tgw"]!.props.vpcId = UNKNOWN; }, [ec2VpcDisallowTrainingInferenceConnection, ec2RouteDisallowTrainingInferenceRoute]],
        ["subnet public-IP flag", (s: Res[]) => { named(s)["training-a"]!.props.mapPublicIpOnLaunch = UNKNOWN; }, [ec2SubnetDisallowTrainingPublicIp]],
        ["flow log targets", (s: Res[]) => { named(s)["training-flow"]!.props.vpcId = UNKNOWN; }, [ec2VpcMissingFlowLogs]],
        ["SG rule references", (s: Res[]) => { named(s)["i-from-t"]!.props.sourceSecurityGroupId = UNKNOWN; }, [ec2SecurityGroupDisallowTrainingInferenceReference]],
    ] as const)("unknown %s: the rules that need them report no violation (at most a decided-at-update notice), the others still report", (_t, f, silenced) => {
        const s = add(
            peering(),
            res(T.tgwAttachment, "t-tgw", { transitGatewayId: "tgw-1", vpcId: "vpc-t" }),
            res(T.route, "nat", { routeTableId: "rtb-t", destinationCidrBlock: "0.0.0.0/0", natGatewayId: "nat-1" }),
            res(T.route, "to-i", { routeTableId: "rtb-t", destinationCidrBlock: "10.1.0.0/16", vpcPeeringConnectionId: "pcx-1" }),
            res(T.securityGroupRule, "i-from-t", { type: "ingress", securityGroupId: "sg-i", sourceSecurityGroupId: "sg-t" }),
        )(compliant());
        named(s)["training-a"]!.props.mapPublicIpOnLaunch = true;
        s.splice(s.findIndex((r) => r.name === "inference-flow"), 1);
        for (const rule of STACK_RULES) expect(run(rule, s).length, `${rule.name} before the change`).toBeGreaterThan(0);
        f(s);
        for (const rule of STACK_RULES) {
            const findings = run(rule, s).filter((x) => !x.undecided);
            if ((silenced as readonly StackRule[]).includes(rule)) expect(findings, rule.name).toEqual([]);
            else expect(findings.length, rule.name).toBeGreaterThan(0);
        }
    });
});

describe("network rules at a first preview and on stacks without aiguard tags", () => {
    it("joins flow logs to their VPC by the engine's dependency URNs when ids are unknown", () => {
        const vpc = res(T.vpc, "main", { id: UNKNOWN, tags: {} });
        const flow = res(T.flowLog, "main-flow", { vpcId: UNKNOWN }) as Res & { propertyDependencies?: Record<string, string[]> };
        expect(run(ec2VpcMissingFlowLogs, [vpc, flow])).toEqual([expect.objectContaining({ undecided: true, urn: vpc.urn })]);
        flow.propertyDependencies = { vpcId: [vpc.urn] };
        expect(run(ec2VpcMissingFlowLogs, [vpc, flow])).toEqual([]);
        // A VPC that no flow log depends on is missing one, decided at preview.
        const other = res(T.vpc, "other", { id: UNKNOWN, tags: {} });
        expectFindings(run(ec2VpcMissingFlowLogs, [vpc, flow, other]), [{ message: 'VPC "other" has no flow log', urn: other.urn }]);
    });

    it("recognises a training subnet from the training job that runs in it (no tags), also through dependencies", () => {
        const subnet = res(T.subnet, "private-a", { id: UNKNOWN, vpcId: UNKNOWN, mapPublicIpOnLaunch: true, tags: {} });
        const job = res("aws:sagemaker/trainingJob:TrainingJob", "finetune", { vpcConfig: { subnets: [UNKNOWN], securityGroupIds: [] } }) as Res & { propertyDependencies?: Record<string, string[]> };
        job.propertyDependencies = { vpcConfig: [subnet.urn] };
        expectFindings(run(ec2SubnetDisallowTrainingPublicIp, [subnet, job]), [{ message: 'training subnet "private-a" sets mapPublicIpOnLaunch: true', urn: subnet.urn }]);
        expect(run(ec2SubnetDisallowTrainingPublicIp, [subnet])).toEqual([]);
    });
});

describe("aws-ec2-securitygroup-disallow-public-ingress", () => {
    const rule = ec2SecurityGroupDisallowPublicIngress;
    it("passes private CIDRs and open egress", () => {
        expect(run(rule, res(T.securityGroup, "sg", { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/8"] }], egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] }))).toEqual([]);
        expect(run(rule, res(T.securityGroupRule, "eg", { type: "egress", cidrBlocks: ["0.0.0.0/0"], protocol: "-1", fromPort: 0, toPort: 0 }))).toEqual([]);
    });
    it.each([
        ["inline IPv4", res(T.securityGroup, "sg", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] }), 'security group "sg" allows ingress from 0.0.0.0/0 (tcp 22-22)'],
        ["inline IPv6", res(T.securityGroup, "sg", { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }] }), "allows ingress from ::/0 (all traffic)"],
        ["SecurityGroupRule", res(T.securityGroupRule, "r", { type: "ingress", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }), 'security group rule "r" allows ingress from 0.0.0.0/0 (tcp 443-443)'],
        ["vpc.SecurityGroupIngressRule", res(T.ingressRule, "in", { ipProtocol: "tcp", fromPort: 8080, toPort: 8080, cidrIpv6: "::/0" }), 'security group ingress rule "in" allows ingress from ::/0 (tcp 8080-8080)'],
    ] as const)("flags %s", (_t, r, message) => expectFindings(run(rule, r), [{ message }]));
    it("skips unknown lists", () => {
        expect(run(rule, res(T.securityGroup, "sg", { ingress: UNKNOWN }))).toEqual([]);
        expect(run(rule, res(T.securityGroup, "sg", { ingress: [{ cidrBlocks: UNKNOWN }] }))).toEqual([]);
        expect(run(rule, res(T.ingressRule, "in", { cidrIpv4: UNKNOWN }))).toEqual([]);
    });
});

describe("aws-ec2-defaultsecuritygroup-disallow-rules", () => {
    const rule = ec2DefaultSecurityGroupDisallowRules;
    it("passes a default group with no rules", () => expect(run(rule, res(T.defaultSecurityGroup, "default", { vpcId: "vpc-t" }))).toEqual([]));
    it("flags ingress and egress rules", () => {
        const r = res(T.defaultSecurityGroup, "default", { vpcId: "vpc-t", ingress: [{ protocol: "-1", self: true, fromPort: 0, toPort: 0 }], egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] });
        expectFindings(run(rule, r), [{ message: 'default security group "default" has 1 ingress and 1 egress rule(s)' }]);
    });
    it("skips unknown lists", () => expect(run(rule, res(T.defaultSecurityGroup, "default", { ingress: UNKNOWN, egress: UNKNOWN }))).toEqual([]));
});
