import * as aws from "@pulumi/aws";
import { type Finding, stackRule } from "../../../framework/rule";
import { byType } from "../../../framework/values";
import { ReferenceIndex } from "../../../framework/references";
import { Ec2Types, knownId, Network, type NetworkRole } from "./network";

export const ec2VpcDisallowTrainingInferenceConnection = stackRule({
    judges: [aws.ec2.VpcPeeringConnection, aws.ec2transitgateway.VpcAttachment],
    name: "aws-ec2-vpc-disallow-training-inference-connection",
    description:
        "A training VPC and an inference VPC must not be connected by VPC peering or by attachments to the same transit gateway. Segregating the environment that holds training data and code from the one that serves the model keeps a compromised endpoint from reaching training assets.",
    clauses: ["DP-1", "P6"],
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Delete the `aws.ec2.VpcPeeringConnection` between the two VPCs, or attach them to different transit gateways. Move models from training to inference through the model registry or a model bucket, not over the network.",
    url: "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html",
    settings: ["trainingNetworkTag", "inferenceNetworkTag"],
    onUnknown:
        "Skips a peering or attachment whose VPC ids, transit gateway id or VPC tags are unknown; the pack re-runs at update time when the values are known.",
    check: (resources, { settings }) => {
        const index = byType(resources);
        const net = new Network(resources, settings);
        const findings: Finding[] = [];
        for (const p of index.get(Ec2Types.peering) ?? []) {
            const roles = new Set([net.vpcRoleAt(p, "vpcId"), net.vpcRoleAt(p, "peerVpcId")]);
            if (roles.has("training") && roles.has("inference")) {
                findings.push({ message: `VPC peering "${p.name}" connects a training VPC with an inference VPC`, urn: p.urn });
            }
        }
        const byGateway = new Map<string, { role: NetworkRole; urn: string; name: string }[]>();
        const gateways = new ReferenceIndex(index.get(Ec2Types.transitGateway) ?? [], ["id", "arn"]);
        for (const a of index.get(Ec2Types.tgwAttachment) ?? []) {
            const tgw = knownId(a.props.transitGatewayId) ?? gateways.resolve(a, "transitGatewayId").targets[0]?.name;
            const role = net.vpcRoleAt(a, "vpcId");
            if (!tgw || (role !== "training" && role !== "inference")) continue;
            let list = byGateway.get(tgw);
            if (!list) byGateway.set(tgw, (list = []));
            list.push({ role, urn: a.urn, name: a.name });
        }
        for (const [tgw, list] of byGateway) {
            if (!list.some((x) => x.role === "inference")) continue;
            for (const x of list.filter((y) => y.role === "training")) {
                findings.push({ message: `transit gateway attachment "${x.name}" joins a training VPC to transit gateway ${tgw}, which also has an inference VPC attached`, urn: x.urn });
            }
        }
        return findings;
    },
});
