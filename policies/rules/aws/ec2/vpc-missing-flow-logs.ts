import * as aws from "@pulumi/aws";
import { type Finding, stackRule } from "../../../framework/rule";
import { byType, isUnknown } from "../../../framework/values";
import { Ec2Types, knownId, taggedRole } from "./network";

export const ec2VpcMissingFlowLogs = stackRule({
    judges: [aws.ec2.Vpc],
    name: "aws-ec2-vpc-missing-flow-logs",
    description:
        "Every training and inference VPC must have a VPC flow log. Flow logs record who talked to the model and the training hosts, which intrusion detection and incident investigation depend on.",
    clauses: ["OM-1", "OM-2", "P12"],
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Add an `aws.ec2.FlowLog` with `vpcId` set to the VPC, `trafficType: \"ALL\"`, and a destination in an encrypted CloudWatch log group or S3 bucket.",
    url: "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html",
    settings: ["trainingNetworkTag", "inferenceNetworkTag"],
    onUnknown:
        "Skips VPCs whose tags or id are unknown, and reports no missing flow log while any flow log's vpcId is unknown; the pack re-runs at update time when the values are known.",
    check: (resources, { settings }) => {
        const index = byType(resources);
        const logged = new Set<string>();
        let unknownTarget = false;
        for (const f of index.get(Ec2Types.flowLog) ?? []) {
            const id = knownId(f.props.vpcId);
            if (id) logged.add(id);
            else if (isUnknown(f.props.vpcId)) unknownTarget = true;
        }
        if (unknownTarget) return [];
        const findings: Finding[] = [];
        for (const vpc of index.get(Ec2Types.vpc) ?? []) {
            const role = taggedRole(vpc.props, settings);
            const id = knownId(vpc.props.id);
            if ((role === "training" || role === "inference") && id && !logged.has(id)) {
                findings.push({ message: `${role} VPC "${vpc.name}" (${id}) has no flow log (aws.ec2.FlowLog with vpcId ${id})`, urn: vpc.urn });
            }
        }
        return findings;
    },
});
