/**
 * The demo's networks, declared the way teams get them wrong: a training VPC peered with the
 * inference VPC and routed to it, a default route from training to an internet gateway, a training
 * subnet that hands out public IPs, a security group open to 0.0.0.0/0, a training group admitting
 * the inference group, a default security group with rules, and no flow logs on either VPC.
 */
import * as aws from "@pulumi/aws";
import { networkTags } from "./tags";

export interface DemoNetwork {
    readonly trainingVpc: aws.ec2.Vpc;
    readonly inferenceVpc: aws.ec2.Vpc;
    readonly trainingSubnet: aws.ec2.Subnet;
    readonly inferenceSubnet: aws.ec2.Subnet;
    readonly inferenceSecurityGroup: aws.ec2.SecurityGroup;
}

export function buildNetwork(): DemoNetwork {
    const training = networkTags("training");
    const inference = networkTags("inference");
    const trainingVpc = new aws.ec2.Vpc("training-vpc", { cidrBlock: "10.20.0.0/16", tags: training });
    const inferenceVpc = new aws.ec2.Vpc("inference-vpc", { cidrBlock: "10.30.0.0/16", tags: inference });

    // "We needed to copy checkpoints to the serving cluster quickly."
    const peering = new aws.ec2.VpcPeeringConnection("training-to-inference", {
        vpcId: trainingVpc.id,
        peerVpcId: inferenceVpc.id,
        autoAccept: true,
    });
    const trainingRoutes = new aws.ec2.RouteTable("training-rt", { vpcId: trainingVpc.id, tags: training });
    new aws.ec2.Route("training-to-inference-route", {
        routeTableId: trainingRoutes.id,
        destinationCidrBlock: "10.30.0.0/16",
        vpcPeeringConnectionId: peering.id,
    });
    // "pip install needs the internet."
    const igw = new aws.ec2.InternetGateway("training-igw", { vpcId: trainingVpc.id, tags: training });
    new aws.ec2.Route("training-default-route", {
        routeTableId: trainingRoutes.id,
        destinationCidrBlock: "0.0.0.0/0",
        gatewayId: igw.id,
    });
    const trainingSubnet = new aws.ec2.Subnet("training-public-subnet", {
        vpcId: trainingVpc.id,
        cidrBlock: "10.20.1.0/24",
        mapPublicIpOnLaunch: true,
        tags: training,
    });
    const inferenceSubnet = new aws.ec2.Subnet("inference-subnet", {
        vpcId: inferenceVpc.id,
        cidrBlock: "10.30.1.0/24",
        tags: inference,
    });

    const inferenceSecurityGroup = new aws.ec2.SecurityGroup("inference-open-sg", {
        vpcId: inferenceVpc.id,
        description: "Model API, open to the world",
        ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }],
        tags: inference,
    });
    const trainingSecurityGroup = new aws.ec2.SecurityGroup("training-sg", {
        vpcId: trainingVpc.id,
        description: "Training jobs",
        tags: training,
    });
    new aws.vpc.SecurityGroupIngressRule("training-from-inference", {
        securityGroupId: trainingSecurityGroup.id,
        referencedSecurityGroupId: inferenceSecurityGroup.id,
        ipProtocol: "tcp",
        fromPort: 22,
        toPort: 22,
        tags: training,
    });
    new aws.ec2.DefaultSecurityGroup("training-default-sg", {
        vpcId: trainingVpc.id,
        ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }],
        egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
        tags: training,
    });
    return { trainingVpc, inferenceVpc, trainingSubnet, inferenceSubnet, inferenceSecurityGroup };
}
