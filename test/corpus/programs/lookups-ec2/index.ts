import * as aws from "@pulumi/aws";

const ami = aws.ec2.getAmiOutput({ owners: ["amazon"], mostRecent: true, filters: [{ name: "name", values: ["al2023-ami-*-x86_64"] }] });
const vpc = aws.ec2.getVpc({ default: true });
const zoneId = aws.route53.getZone({ name: "example.com" }).then((z) => z.zoneId);

console.log("looking up the default VPC ...");
const sg = new aws.ec2.SecurityGroup("web-sg", {
    vpcId: vpc.then((v) => v.id),
    ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }],
    egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
});
const server = new aws.ec2.Instance("web", { ami: ami.id, instanceType: "t3.micro", vpcSecurityGroupIds: [sg.id], associatePublicIpAddress: true });
new aws.route53.Record("web-dns", { zoneId, name: "www.example.com", type: "A", ttl: 300, records: [server.publicIp] });

// A lookup inside an apply: runs only when the id is known (update mode).
export const subnetCount = server.subnetId.apply((id) => aws.ec2.getSubnet({ id }).then((s) => s.availableIpAddressCount));
export const publicIp = server.publicIp;
