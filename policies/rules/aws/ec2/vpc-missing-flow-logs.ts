import * as aws from "@pulumi/aws";
import { type Finding, stackRule } from "../../../framework/rule";
import { groupByTarget } from "../../../framework/references";
import { byType } from "../../../framework/values";
import { awsAssetFacts } from "../ai-assets";
import { Ec2Types, knownId, Network } from "./network";

export const ec2VpcMissingFlowLogs = stackRule({
    judges: [aws.ec2.Vpc],
    name: "aws-ec2-vpc-missing-flow-logs",
    description:
        "Every VPC in scope (by default every VPC; training and inference VPCs are recognised by tag or from the SageMaker resources that run in them) must have a VPC flow log. Flow logs record who talked to the model and the training hosts, which intrusion detection and incident investigation depend on.",
    clauses: ["OM-1", "OM-2", "P12"],
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Add an `aws.ec2.FlowLog` with `vpcId` set to the VPC, `trafficType: \"ALL\"`, and a destination in an encrypted CloudWatch log group or S3 bucket.",
    url: "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html",
    settings: ["scope", "assetKindTagKey", "trainingNetworkTag", "inferenceNetworkTag"],
    onUnknown:
        "Joins flow logs to their VPC by id or, at a first preview, by the engine's dependency URNs; when a flow log names a VPC that cannot be resolved, a VPC without one is reported as decided at update (advisory aiguard-undecided-at-preview).",
    check: (resources, { settings }) => {
        const index = byType(resources);
        const facts = awsAssetFacts(resources, settings);
        const net = new Network(resources, settings);
        // Flow logs joined to their VPC by id, or at a first preview by the engine's dependency URNs.
        const { byTarget, unresolved } = groupByTarget(net.vpcs, index.get(Ec2Types.flowLog) ?? [], "vpcId");
        const findings: Finding[] = [];
        for (const vpc of index.get(Ec2Types.vpc) ?? []) {
            if (!facts.inScope(vpc) || byTarget.has(vpc.urn)) continue;
            const role = net.roleOf(vpc);
            const label = `${role ? `${role} ` : ""}VPC "${vpc.name}"${knownId(vpc.props.id) ? ` (${String(vpc.props.id)})` : ""}`;
            if (unresolved) findings.push({ undecided: true, urn: vpc.urn, message: `${label} may have no flow log: some flow log names a VPC that is not known yet` });
            else findings.push({ message: `${label} has no flow log (aws.ec2.FlowLog with vpcId ${knownId(vpc.props.id) ?? "<the VPC id>"})`, urn: vpc.urn });
        }
        return findings;
    },
});
