import * as aws from "@pulumi/aws";
import { type Finding, stackRule } from "../../../framework/rule";
import { byType } from "../../../framework/values";
import { ReferenceIndex } from "../../../framework/references";
import { Ec2Types, knownId, Network } from "./network";
import { routeTargets, trainingRoutes } from "./routes";

const DEFAULT_ROUTES: ReadonlySet<unknown> = new Set(["0.0.0.0/0", "::/0"]);

export const ec2RouteDisallowTrainingInternetRoute = stackRule({
    judges: [aws.ec2.Route, aws.ec2.RouteTable, aws.ec2.DefaultRouteTable],
    name: "aws-ec2-route-disallow-training-internet-route",
    description:
        "Route tables of the training network must not send 0.0.0.0/0 or ::/0 to an internet gateway, NAT gateway or egress-only internet gateway. Training jobs reach AWS APIs through VPC endpoints, so training data and model weights have no path to the internet.",
    clauses: ["DP-1", "P6"],
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Remove the default route from the training route table (inline `routes` entry or `aws.ec2.Route`) and add VPC endpoints (`aws.ec2.VpcEndpoint`) for S3, ECR, SageMaker, STS, CloudWatch Logs and KMS instead.",
    url: "https://docs.aws.amazon.com/sagemaker/latest/dg/train-vpc.html",
    settings: ["trainingNetworkTag", "inferenceNetworkTag"],
    onUnknown:
        "Skips route tables whose tags, VPC or routes are unknown, and routes whose destination or target is unknown; the pack re-runs at update time when the values are known.",
    check: (resources, { settings }) => {
        const index = byType(resources);
        const net = new Network(resources, settings);
        const igws = new ReferenceIndex(index.get(Ec2Types.internetGateway) ?? [], ["id", "arn"]);
        const nats = new ReferenceIndex(index.get(Ec2Types.natGateway) ?? [], ["id"]);
        const egressOnly = new ReferenceIndex(index.get(Ec2Types.egressOnlyGateway) ?? [], ["id"]);
        const findings: Finding[] = [];
        for (const route of trainingRoutes(index, net)) {
            const dest = route.destinations.find((d) => DEFAULT_ROUTES.has(d));
            if (dest === undefined) continue;
            // By id when known; at a first preview, by the gateway resource the route depends on.
            const gateway = knownId(route.props.gatewayId);
            /** `<kind> <id>` when the id is known, `<kind> "<name>"` when the route depends on the gateway resource. */
            const named = (kind: string, id: string | undefined, targets: readonly { name: string }[]) =>
                id !== undefined ? `${kind} ${id}` : targets[0] ? `${kind} "${targets[0].name}"` : undefined;
            const igw = gateway?.startsWith("igw-") ? [] : routeTargets(route, "gatewayId", igws);
            const target =
                named("internet gateway", gateway?.startsWith("igw-") || igw.length > 0 ? gateway : undefined, igw) ||
                named("NAT gateway", knownId(route.props.natGatewayId), routeTargets(route, "natGatewayId", nats)) ||
                named("egress-only internet gateway", knownId(route.props.egressOnlyGatewayId), routeTargets(route, "egressOnlyGatewayId", egressOnly));
            if (target) findings.push({ message: `training route table "${route.table}" routes ${String(dest)} to ${target}`, urn: route.urn });
        }
        return findings;
    },
});
