import * as pulumi from "@pulumi/pulumi";

class Vpc extends pulumi.ComponentResource {
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("awsx:ec2:Vpc", name, {}, opts, true);
    }
}
class Cluster extends pulumi.ComponentResource {
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("eks:index:Cluster", name, {}, opts, true);
    }
}
const vpc = new Vpc("vpc");
new Cluster("cluster", { dependsOn: [vpc] });
