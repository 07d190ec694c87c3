import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

// What `new awsx.ec2.Vpc(...)` and `new eks.Cluster(...)` register: components implemented in a
// provider plugin (remote), whose children the plugin creates.
class Vpc extends pulumi.ComponentResource {
    public readonly vpcId!: pulumi.Output<string>;
    constructor(name: string, args: { numberOfAvailabilityZones: number }, opts?: pulumi.ComponentResourceOptions) {
        super("awsx:ec2:Vpc", name, { ...args, vpcId: undefined }, opts, true);
    }
}
class Cluster extends pulumi.ComponentResource {
    public readonly kubeconfig!: pulumi.Output<unknown>;
    constructor(name: string, args: { vpcId: pulumi.Input<string>; instanceType: string }, opts?: pulumi.ComponentResourceOptions) {
        super("eks:index:Cluster", name, { ...args, kubeconfig: undefined }, opts, true);
    }
}

const network = new pulumi.StackReference("acme/network/prod");
const vpc = new Vpc("gpu-vpc", { numberOfAvailabilityZones: 2 });
const cluster = new Cluster("gpu-cluster", { vpcId: vpc.vpcId, instanceType: "g5.xlarge" });
const nodeRole = aws.iam.Role.get("node-role", "eks-node-role");

const models = new aws.s3.Bucket("model-artifacts", { forceDestroy: true });
new aws.s3.BucketAcl("model-artifacts-acl", { bucket: models.id, acl: "public-read" });

export const kubeconfig = cluster.kubeconfig;
export const sharedSubnets = network.getOutput("privateSubnetIds");
export const nodeRoleArn = nodeRole.arn;
