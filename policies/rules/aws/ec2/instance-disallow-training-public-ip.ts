/** Training hosts must not have public IP addresses. */
import * as aws from "@pulumi/aws";
import { typeToken, stackRule, type Finding } from "../../../framework/rule";
import { ReferenceIndex } from "../../../framework/references";
import { byType } from "../../../framework/values";
import { Ec2Types, Network } from "./network";

const INSTANCE_TYPE = typeToken(aws.ec2.Instance);

export const ec2InstanceDisallowTrainingPublicIp = stackRule({
    judges: [aws.ec2.Instance],
    name: "aws-ec2-instance-disallow-training-public-ip",
    description:
        "EC2 instances of the training network (tagged as such, or launched into a subnet of the training network) must not have a public IPv4 address: neither `associatePublicIpAddress: true` nor, when the instance leaves it unset, a subnet that maps public IPs on launch. A GPU training host with a public address is reachable from, and can send training data to, the internet.",
    clauses: ["DP-1", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `associatePublicIpAddress: false` on the instance and launch it into a private subnet of the training VPC (`mapPublicIpOnLaunch: false`); reach AWS APIs through VPC endpoints and administer the host through SSM Session Manager.",
    url: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html#concepts-public-addresses",
    settings: ["trainingNetworkTag", "inferenceNetworkTag"],
    onUnknown: "Skips an instance whose network (its tags, or its subnet) cannot be told yet, and one whose associatePublicIpAddress, or whose subnet's mapPublicIpOnLaunch, is unknown; subnets are joined by value or by the engine's dependency URNs, so a first preview decides as an update does.",
    check: (resources, { settings }) => {
        const index = byType(resources);
        const net = new Network(resources, settings);
        const subnets = new ReferenceIndex(index.get(Ec2Types.subnet) ?? [], ["id", "arn"]);
        const findings: Finding[] = [];
        for (const i of index.get(INSTANCE_TYPE) ?? []) {
            const inSubnets = subnets.resolve(i, "subnetId").targets;
            const training = net.roleOf(i) === "training" || inSubnets.some((s) => net.roleOf(s) === "training");
            if (!training) continue;
            const assign = i.props.associatePublicIpAddress;
            if (assign === true) {
                findings.push({ urn: i.urn, message: `training host "${i.name}" sets associatePublicIpAddress: true` });
            } else if (assign === undefined || assign === null) {
                const mapping = inSubnets.find((s) => s.props.mapPublicIpOnLaunch === true);
                if (mapping) findings.push({ urn: i.urn, message: `training host "${i.name}" gets a public IP from its subnet "${mapping.name}" (mapPublicIpOnLaunch: true); set associatePublicIpAddress: false` });
            }
        }
        return findings;
    },
});
