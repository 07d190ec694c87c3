import * as aws from "@pulumi/aws";
import { UNKNOWN, type Finding, stackRule } from "../../../framework/rule";
import { byType } from "../../../framework/values";
import { Ec2Types, Network } from "./network";

export const ec2SubnetDisallowTrainingPublicIp = stackRule({
    judges: [aws.ec2.Subnet],
    name: "aws-ec2-subnet-disallow-training-public-ip",
    description:
        "Subnets of the training network must not assign public IPv4 addresses on launch. A training host with a public address is reachable from, and can reach, the internet whatever its route table says later.",
    clauses: ["DP-1", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `mapPublicIpOnLaunch: false` (the default) on every subnet of the training VPC.",
    url: "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-public-ip.html",
    settings: ["trainingNetworkTag", "inferenceNetworkTag"],
    onUnknown: "Skips subnets whose tags, VPC or mapPublicIpOnLaunch are unknown; the pack re-runs at update time when the values are known.",
    check: (resources, { settings }) => {
        const index = byType(resources);
        const net = new Network(resources, settings);
        const findings: Finding[] = [];
        for (const s of index.get(Ec2Types.subnet) ?? []) {
            if (s.props.mapPublicIpOnLaunch === UNKNOWN || s.props.mapPublicIpOnLaunch !== true) continue;
            if (net.roleOf(s) === "training") findings.push({ message: `training subnet "${s.name}" sets mapPublicIpOnLaunch: true`, urn: s.urn });
        }
        return findings;
    },
});
