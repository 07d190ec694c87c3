import * as aws from "@pulumi/aws";
import { type Finding, stackRule } from "../../../framework/rule";
import { byType } from "../../../framework/values";
import { Ec2Types, knownId, Network } from "./network";
import { trainingRoutes } from "./routes";

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
        const net = new Network(index, settings);
        const toInference = new Set<string>();
        for (const p of index.get(Ec2Types.peering) ?? []) {
            const id = knownId(p.props.id);
            if (id && (net.vpcRole(p.props.vpcId) === "inference" || net.vpcRole(p.props.peerVpcId) === "inference")) toInference.add(id);
        }
        for (const a of index.get(Ec2Types.tgwAttachment) ?? []) {
            const tgw = knownId(a.props.transitGatewayId);
            if (tgw && net.vpcRole(a.props.vpcId) === "inference") toInference.add(tgw);
        }
        const findings: Finding[] = [];
        for (const route of trainingRoutes(index, net)) {
            for (const key of ["vpcPeeringConnectionId", "transitGatewayId"] as const) {
                const target = knownId(route.props[key]);
                if (target && toInference.has(target)) {
                    findings.push({ message: `training route table "${route.table}" routes to ${target}, which reaches an inference VPC`, urn: route.urn });
                }
            }
        }
        return findings;
    },
});
