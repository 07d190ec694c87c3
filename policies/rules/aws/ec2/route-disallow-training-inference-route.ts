import * as aws from "@pulumi/aws";
import { type Finding, stackRule } from "../../../framework/rule";
import { ReferenceIndex } from "../../../framework/references";
import { byType } from "../../../framework/values";
import { Ec2Types, knownId, Network } from "./network";
import { routeTargets, trainingRoutes } from "./routes";

export const ec2RouteDisallowTrainingInferenceRoute = stackRule({
    judges: [aws.ec2.Route, aws.ec2.RouteTable, aws.ec2.DefaultRouteTable],
    name: "aws-ec2-route-disallow-training-inference-route",
    description:
        "Route tables of the training network must not route to a VPC peering connection or transit gateway that reaches an inference VPC. A route is the path a compromised inference workload would use into the training environment, so it must not exist even where the connection is shared.",
    clauses: ["DP-1", "P6"],
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: "Remove the route (inline `routes` entry or `aws.ec2.Route`) whose `vpcPeeringConnectionId` or `transitGatewayId` leads to the inference VPC.",
    url: "https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html",
    settings: ["trainingNetworkTag", "inferenceNetworkTag"],
    onUnknown:
        "Skips route tables whose tags or routes are unknown, and peerings or attachments whose VPC ids are unknown; the pack re-runs at update time when the values are known.",
    check: (resources, { settings }) => {
        const index = byType(resources);
        const net = new Network(resources, settings);
        // Peerings and transit gateways that reach an inference VPC (gateways by id, or by URN at a first preview).
        const peerings = (index.get(Ec2Types.peering) ?? []).filter((p) => net.vpcRoleAt(p, "vpcId") === "inference" || net.vpcRoleAt(p, "peerVpcId") === "inference");
        const gateways = new ReferenceIndex(index.get(Ec2Types.transitGateway) ?? [], ["id", "arn"]);
        const reachingGateways = new Set<string>();
        for (const a of index.get(Ec2Types.tgwAttachment) ?? []) {
            if (net.vpcRoleAt(a, "vpcId") !== "inference") continue;
            const tgw = knownId(a.props.transitGatewayId);
            if (tgw) reachingGateways.add(tgw);
            for (const g of gateways.resolve(a, "transitGatewayId").targets) reachingGateways.add(g.urn);
        }
        const toPeerings = new ReferenceIndex(peerings, ["id"]);
        const findings: Finding[] = [];
        for (const route of trainingRoutes(index, net)) {
            const peering = routeTargets(route, "vpcPeeringConnectionId", toPeerings)[0];
            const tgwId = knownId(route.props.transitGatewayId);
            const tgw = (tgwId && reachingGateways.has(tgwId) && tgwId) || routeTargets(route, "transitGatewayId", gateways).find((g) => reachingGateways.has(g.urn))?.name;
            const target = peering ? (knownId(route.props.vpcPeeringConnectionId) ?? `VPC peering "${peering.name}"`) : tgw;
            if (target) findings.push({ message: `training route table "${route.table}" routes to ${target}, which reaches an inference VPC`, urn: route.urn });
        }
        return findings;
    },
});
