import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { AiNetworks, type AiNetworksArgs, aiNetworksArgsProblem } from "../../../components/aws/network";
import { carveSubnets, ipv4CidrsOverlap, validateClientCidrs } from "../../../components/aws/network-cidr";
import { s3GatewayEndpointPolicy } from "../../../components/aws/network-policies";
import { pickZone } from "../../../components/aws/network-segment";
import { MOCK_ACCOUNT_ID, policyDoc, record, type Recorded } from "../../harness";

const ADMIN = `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/platform-admin`;
const TAGS = { owner: "ml-platform@example.com", dataClassification: "confidential" } as const;
const BASE: AiNetworksArgs = { assetTags: TAGS, logKeyAdministratorArns: [ADMIN] };
const SERVICES = ["sagemaker.api", "sagemaker.runtime", "ecr.api", "ecr.dkr", "kms", "sts", "logs"];
const T = {
    vpc: "aws:ec2/vpc:Vpc",
    subnet: "aws:ec2/subnet:Subnet",
    rt: "aws:ec2/routeTable:RouteTable",
    rta: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    dsg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    vpce: "aws:ec2/vpcEndpoint:VpcEndpoint",
    flowLog: "aws:ec2/flowLog:FlowLog",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    key: "aws:kms/key:Key",
    component: "aiguard:aws:AiNetworks",
    keyComponent: "aiguard:aws:EncryptionKey",
    pls: "aws:ec2/vpcEndpointService:VpcEndpointService",
};
const ALLOWED_CALLS = [
    "aws:index/getAvailabilityZones:getAvailabilityZones",
    "aws:index/getCallerIdentity:getCallerIdentity",
    "aws:index/getPartition:getPartition",
    "aws:index/getRegion:getRegion",
];

function run(args: Partial<AiNetworksArgs> = {}): Promise<Recorded<AiNetworks>> {
    return record(() => new AiNetworks("ai", { ...BASE, ...args }), {
        state: (type, name) => (type === T.vpce && name.endsWith("-vpce-s3") ? { prefixListId: `pl-${name}` } : undefined),
    });
}

describe("AiNetworks defaults", () => {
    let rec: Recorded<AiNetworks>;
    beforeAll(async () => {
        rec = await run();
    });
    const inputs = (type: string, name: string) => rec.inputs(type, name);

    it("registers exactly the hardened set and nothing that opens a route", async () => {
        expect(rec.countByType()).toEqual({
            [T.component]: 1,
            [T.keyComponent]: 1,
            [T.logGroup]: 1,
            [T.dsg]: 2,
            [T.flowLog]: 2,
            [T.rt]: 2,
            [T.rta]: 4,
            [T.sg]: 4,
            [T.subnet]: 4,
            [T.vpc]: 2,
            [T.vpce]: 16,
            [T.role]: 1,
            [T.rolePolicy]: 1,
            [T.key]: 1,
            [T.ingress]: 2,
            [T.egress]: 4,
        });
        for (const banned of ["internetGateway", "natGateway", "vpcPeeringConnection", "egressOnlyInternetGateway", "eip", "route:Route"]) {
            expect(rec.resources.filter((r) => r.type.includes(banned))).toEqual([]);
        }
        expect(rec.resources.filter((r) => r.type.startsWith("aws:ec2transitgateway"))).toEqual([]);
        expect([...new Set(rec.run.calls.map((c) => c.token))].sort()).toEqual(ALLOWED_CALLS);
        expect(rec.run.calls.find((c) => c.token === ALLOWED_CALLS[0])!.inputs).toEqual({
            state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
        });
    });

    it("parents every child on the component (the key's own key on the key component)", async () => {
        const comp = rec.get(T.component, "ai");
        const keyComp = rec.get(T.keyComponent, "ai-flow-logs-key");
        for (const r of rec.resources.filter((x) => x !== comp)) {
            expect(r.parent, `${r.type} ${r.name}`).toBe(r.type === T.key ? keyComp.urn : comp.urn);
        }
    });

    it("builds two private VPCs with disjoint default CIDRs and private subnets in two zones", () => {
        for (const [role, cidr, subnets] of [
            ["training", "10.20.0.0/16", ["10.20.0.0/20", "10.20.16.0/20"]],
            ["inference", "10.30.0.0/16", ["10.30.0.0/20", "10.30.16.0/20"]],
        ] as const) {
            expect(inputs(T.vpc, `ai-${role}-vpc`)).toMatchObject({ cidrBlock: cidr, enableDnsSupport: true, enableDnsHostnames: true, assignGeneratedIpv6CidrBlock: false });
            expect(inputs(T.vpc, `ai-${role}-vpc`).tags).toEqual({
                "aiguard:owner": TAGS.owner,
                "aiguard:data-classification": "confidential",
                "aiguard:asset-kind": "network",
                "aiguard:network-role": role,
                Name: `ai-${role}-vpc`,
            });
            subnets.forEach((subnetCidr, i) => {
                expect(inputs(T.subnet, `ai-${role}-subnet-${i}`)).toMatchObject({
                    vpcId: `vpc-ai-${role}-vpc`,
                    cidrBlock: subnetCidr,
                    availabilityZone: ["eu-west-2a", "eu-west-2b"][i],
                    mapPublicIpOnLaunch: false,
                    assignIpv6AddressOnCreation: false,
                });
                expect(inputs(T.rta, `ai-${role}-rt-assoc-${i}`)).toEqual({ subnetId: `subnet-ai-${role}-subnet-${i}`, routeTableId: `rtb-ai-${role}-rt` });
            });
            const rt = inputs(T.rt, `ai-${role}-rt`);
            expect(rt.vpcId).toBe(`vpc-ai-${role}-vpc`);
            expect(rt.routes).toBeUndefined();
            expect(inputs(T.dsg, `ai-${role}-default-sg`)).toMatchObject({ vpcId: `vpc-ai-${role}-vpc`, ingress: [], egress: [] });
        }
    });

    it("creates private-DNS interface endpoints with account-only policies and a 443-from-VPC group", () => {
        for (const [role, cidr] of [["training", "10.20.0.0/16"], ["inference", "10.30.0.0/16"]] as const) {
            for (const service of SERVICES) {
                const ep = inputs(T.vpce, `ai-${role}-vpce-${service.replace(".", "-")}`);
                expect(ep).toMatchObject({
                    vpcId: `vpc-ai-${role}-vpc`,
                    vpcEndpointType: "Interface",
                    serviceName: `com.amazonaws.eu-west-2.${service}`,
                    privateDnsEnabled: true,
                    subnetIds: [`subnet-ai-${role}-subnet-0`, `subnet-ai-${role}-subnet-1`],
                    securityGroupIds: [`sg-ai-${role}-endpoints-sg`],
                });
                const [stmt, ...rest] = policyDoc(ep.policy).Statement;
                expect(rest).toEqual([]);
                expect(stmt).toMatchObject({ Effect: "Allow", Principal: "*", Resource: "*", Condition: { StringEquals: { "aws:PrincipalAccount": MOCK_ACCOUNT_ID } } });
                expect(stmt.Action).not.toContain("*");
            }
            expect(inputs(T.ingress, `ai-${role}-endpoints-https-in`)).toMatchObject({
                securityGroupId: `sg-ai-${role}-endpoints-sg`, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: cidr,
            });
            const s3 = inputs(T.vpce, `ai-${role}-vpce-s3`);
            expect(s3).toMatchObject({ vpcEndpointType: "Gateway", serviceName: "com.amazonaws.eu-west-2.s3", routeTableIds: [`rtb-ai-${role}-rt`] });
            expect(policyDoc(s3.policy).Statement).toEqual(s3GatewayEndpointPolicy({ partition: "aws", region: "eu-west-2", accountId: MOCK_ACCOUNT_ID }).Statement);
        }
    });

    it("gives workloads no ingress and HTTPS egress to their own VPC's endpoints and S3 only", () => {
        for (const role of ["training", "inference"]) {
            expect(rec.ofType(T.ingress).filter((r) => r.inputs.securityGroupId === `sg-ai-${role}-workload-sg`)).toEqual([]);
            expect(inputs(T.egress, `ai-${role}-workload-to-endpoints`)).toMatchObject({
                securityGroupId: `sg-ai-${role}-workload-sg`, ipProtocol: "tcp", fromPort: 443, toPort: 443, referencedSecurityGroupId: `sg-ai-${role}-endpoints-sg`,
            });
            expect(inputs(T.egress, `ai-${role}-workload-to-s3`)).toMatchObject({
                securityGroupId: `sg-ai-${role}-workload-sg`, ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: `pl-ai-${role}-vpce-s3`,
            });
        }
        for (const rule of [...rec.ofType(T.ingress), ...rec.ofType(T.egress)]) {
            const role = rule.name.includes("-training-") ? "training" : "inference";
            expect(rule.inputs.cidrIpv4 === undefined || rule.inputs.cidrIpv4 !== "0.0.0.0/0").toBe(true);
            for (const ref of [rule.inputs.securityGroupId, rule.inputs.referencedSecurityGroupId].filter(Boolean)) {
                expect(String(ref)).toContain(`-${role}-`);
            }
        }
    });

    it("sends ALL traffic of both VPCs to a KMS-encrypted, 365-day log group via a confined role", () => {
        const group = inputs(T.logGroup, "ai-flow-logs");
        const keyArn = `arn:aws:kms:eu-west-2:${MOCK_ACCOUNT_ID}:key/ai-flow-logs-key-key-key-id`;
        expect(group).toMatchObject({ retentionInDays: 365, kmsKeyId: keyArn });
        const groupArn = `arn:aws:logs:eu-west-2:${MOCK_ACCOUNT_ID}:log-group:ai-flow-logs-0a1b2c3`;
        for (const role of ["training", "inference"]) {
            expect(inputs(T.flowLog, `ai-${role}-flow-log`)).toMatchObject({
                vpcId: `vpc-ai-${role}-vpc`, trafficType: "ALL", logDestinationType: "cloud-watch-logs", logDestination: groupArn,
                iamRoleArn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/ai-flow-logs-role-0a1b2c3`,
            });
        }
        const logsStmt = policyDoc(inputs(T.key, "ai-flow-logs-key-key").policy).Statement.find((s) => s.Principal?.Service);
        expect(logsStmt).toMatchObject({
            Principal: { Service: "logs.eu-west-2.amazonaws.com" },
            Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:eu-west-2:${MOCK_ACCOUNT_ID}:log-group:*` } },
        });
        expect(policyDoc(inputs(T.role, "ai-flow-logs-role").assumeRolePolicy).Statement).toEqual([{
            Sid: "VpcFlowLogsDelivery",
            Effect: "Allow",
            Principal: { Service: "vpc-flow-logs.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: {
                StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID },
                ArnLike: { "aws:SourceArn": `arn:aws:ec2:eu-west-2:${MOCK_ACCOUNT_ID}:vpc-flow-log/*` },
            },
        }]);
        const delivery = inputs(T.rolePolicy, "ai-flow-logs-delivery");
        expect(delivery.role).toBe("ai-flow-logs-role-0a1b2c3");
        expect(policyDoc(delivery.policy).Statement).toEqual([{
            Sid: "WriteFlowLogGroup", Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resource: [groupArn, `${groupArn}:*`],
        }]);
    });

    it("stamps inventory tags on every taggable resource", () => {
        for (const r of rec.resources.filter((x) => x.custom && x.type !== T.rta && x.type !== T.rolePolicy)) {
            expect(r.inputs.tags, `${r.type} ${r.name}`).toMatchObject({ "aiguard:owner": TAGS.owner, "aiguard:data-classification": "confidential" });
        }
    });

    it("exposes ids per network", async () => {
        const n = rec.result;
        const out = await new Promise<unknown[]>((resolve) => {
            pulumi.all([n.trainingSubnetIds, n.inferenceSecurityGroupId, n.trainingRouteTableIds, n.flowLogGroupName]).apply(resolve);
        });
        expect(out).toEqual([["subnet-ai-training-subnet-0", "subnet-ai-training-subnet-1"], "sg-ai-inference-workload-sg", ["rtb-ai-training-rt"], "ai-flow-logs-0a1b2c3"]);
        expect(rec.result.inferenceLoadBalancerSecurityGroupId).toBeUndefined();
    });
});

describe("AiNetworks at preview", () => {
    it("registers the same resources as an update (nothing is created inside an apply)", async () => {
        const [preview, update] = [await record(() => new AiNetworks("ai", BASE), { preview: true }), await run()];
        expect(preview.resources.map((r) => `${r.type}::${r.name}`).sort()).toEqual(update.resources.map((r) => `${r.type}::${r.name}`).sort());
    });
});

describe("AiNetworks relaxations", () => {
    it("inferenceIngressCidrs: a load-balancer group admitting only the listed clients, serving port to workloads", async () => {
        const rec = await run({ inferenceIngressCidrs: ["10.40.0.0/16", "fd00:1::/64"], inferenceServingPort: 8443 });
        expect(rec.inputs(T.ingress, "ai-inference-lb-in-v4-0")).toMatchObject({ securityGroupId: "sg-ai-inference-lb-sg", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.40.0.0/16" });
        expect(rec.inputs(T.ingress, "ai-inference-lb-in-v6-0")).toMatchObject({ securityGroupId: "sg-ai-inference-lb-sg", fromPort: 443, cidrIpv6: "fd00:1::/64" });
        expect(rec.inputs(T.egress, "ai-inference-lb-to-workload")).toMatchObject({ fromPort: 8443, toPort: 8443, referencedSecurityGroupId: "sg-ai-inference-workload-sg" });
        expect(rec.inputs(T.ingress, "ai-inference-workload-from-lb")).toMatchObject({ securityGroupId: "sg-ai-inference-workload-sg", fromPort: 8443, referencedSecurityGroupId: "sg-ai-inference-lb-sg" });
        expect(rec.inputs(T.sg, "ai-inference-lb-sg").vpcId).toBe("vpc-ai-inference-vpc");
        expect(rec.ofType(T.ingress).filter((r) => r.name.includes("training")).map((r) => r.name)).toEqual(["ai-training-endpoints-https-in"]);
    });

    it("inferencePrivateLink: an endpoint service with acceptance required for the named principals", async () => {
        const nlb = `arn:aws:elasticloadbalancing:eu-west-2:${MOCK_ACCOUNT_ID}:loadbalancer/net/infer/abc`;
        const client = "arn:aws:iam::210987654321:root";
        const rec = await run({ inferencePrivateLink: { networkLoadBalancerArns: [nlb], allowedPrincipalArns: [client] } });
        expect(rec.inputs(T.pls, "ai-inference-privatelink")).toMatchObject({ acceptanceRequired: true, networkLoadBalancerArns: [nlb], allowedPrincipals: [client] });
        expect(rec.ofType(T.sg).map((r) => r.name)).toContain("ai-inference-lb-sg");
    });

    it("allowInterNodeTrafficForDistributedTraining: self-referencing rules on the training group only", async () => {
        const rec = await run({ allowInterNodeTrafficForDistributedTraining: true });
        for (const [type, name] of [[T.ingress, "ai-training-workload-internode-in"], [T.egress, "ai-training-workload-internode-out"]] as const) {
            expect(rec.inputs(type, name)).toMatchObject({ securityGroupId: "sg-ai-training-workload-sg", ipProtocol: "-1", referencedSecurityGroupId: "sg-ai-training-workload-sg" });
        }
        expect(rec.resources.filter((r) => r.name.includes("inference-workload-internode"))).toEqual([]);
    });

    it("adds extra endpoints, extra read buckets, 3 named zones, a caller key and longer retention", async () => {
        const keyArn = `arn:aws:kms:eu-west-2:${MOCK_ACCOUNT_ID}:key/existing`;
        const rec = await record(() => new AiNetworks("ai", {
            assetTags: TAGS,
            logKmsKeyArn: keyArn,
            flowLogRetentionInDays: 731,
            availabilityZoneNames: ["eu-west-2c", "eu-west-2a", "eu-west-2b"],
            additionalInterfaceEndpoints: [{ service: "ssm", actions: ["ssm:*"] }],
            s3EndpointAdditionalReadBucketArns: ["arn:aws:s3:::jumpstart-cache-prod-eu-west-2"],
        }));
        expect(rec.ofType(T.keyComponent)).toEqual([]);
        expect(rec.inputs(T.logGroup, "ai-flow-logs")).toMatchObject({ kmsKeyId: keyArn, retentionInDays: 731 });
        expect(rec.inputs(T.subnet, "ai-inference-subnet-0").availabilityZone).toBe("eu-west-2c");
        expect(rec.inputs(T.subnet, "ai-inference-subnet-2")).toMatchObject({ cidrBlock: "10.30.32.0/20", availabilityZone: "eu-west-2b" });
        expect(policyDoc(rec.inputs(T.vpce, "ai-training-vpce-ssm").policy).Statement[0].Action).toEqual(["ssm:*"]);
        expect(policyDoc(rec.inputs(T.vpce, "ai-training-vpce-s3").policy).Statement[2]).toMatchObject({
            Sid: "AdditionalReadOnlyBuckets", Action: ["s3:GetObject", "s3:ListBucket"],
            Resource: ["arn:aws:s3:::jumpstart-cache-prod-eu-west-2", "arn:aws:s3:::jumpstart-cache-prod-eu-west-2/*"],
            Condition: { StringEquals: { "aws:PrincipalAccount": MOCK_ACCOUNT_ID } },
        });
        expect(rec.run.calls.map((c) => c.token)).not.toContain("aws:index/getAvailabilityZones:getAvailabilityZones");
    });
});

describe("AiNetworks rejects unsafe or contradictory options", () => {
    const cases: [string, Partial<AiNetworksArgs>, RegExp][] = [
        ["overlapping CIDRs", { trainingCidr: "10.0.0.0/16", inferenceCidr: "10.0.128.0/17" }, /trainingCidr 10\.0\.0\.0\/16 and inferenceCidr 10\.0\.128\.0\/17 overlap/],
        ["0.0.0.0/0 ingress", { inferenceIngressCidrs: ["0.0.0.0/0"] }, /must not contain "0\.0\.0\.0\/0": 0\.0\.0\.0\/0 admits the whole internet/],
        ["::/0 ingress", { inferenceIngressCidrs: ["::/0"] }, /must not contain "::\/0": ::\/0 admits the whole internet/],
        ["ingress from training", { inferenceIngressCidrs: ["10.20.5.0/24"] }, /overlaps the training network 10\.20\.0\.0\/16/],
        ["malformed client CIDR", { inferenceIngressCidrs: ["10.40.0.0"] }, /"10\.40\.0\.0" is not an IPv4 or IPv6 CIDR block/],
        ["host bits in VPC CIDR", { trainingCidr: "10.20.1.0/16" }, /trainingCidr: "10\.20\.1\.0\/16" has host bits set; the network address of that block is 10\.20\.0\.0\/16/],
        ["VPC CIDR too large", { inferenceCidr: "10.0.0.0/8" }, /inferenceCidr: a VPC CIDR needs a prefix from \/16 to \/24/],
        ["one zone", { availabilityZoneCount: 1 }, /at least 2 availability zones/],
        ["zone count contradicts names", { availabilityZoneCount: 3, availabilityZoneNames: ["eu-west-2a", "eu-west-2b"] }, /availabilityZoneCount \(3\) contradicts availabilityZoneNames \(2 zones\)/],
        ["short retention", { flowLogRetentionInDays: 30 }, /flowLogRetentionInDays must be at least 90 days/],
        ["retention CloudWatch rejects", { flowLogRetentionInDays: 100 }, /flowLogRetentionInDays must be one of the values CloudWatch Logs accepts/],
        ["both key options", { logKmsKeyArn: "arn:aws:kms:eu-west-2:123456789012:key/x" }, /give either logKmsKeyArn .* or logKeyAdministratorArns .*, not both/],
        ["no key option", { logKeyAdministratorArns: [] }, /give logKeyAdministratorArns \(to create one\) or logKmsKeyArn/],
        ["wildcard PrivateLink principal", { inferencePrivateLink: { networkLoadBalancerArns: ["arn:aws:elasticloadbalancing:x"], allowedPrincipalArns: ["*"] } }, /allowedPrincipalArns must list IAM principal ARNs, never "\*"/],
        ["PrivateLink without principals", { inferencePrivateLink: { networkLoadBalancerArns: ["arn:aws:elasticloadbalancing:x"], allowedPrincipalArns: [] } }, /must name at least one principal/],
        ["wildcard endpoint action", { additionalInterfaceEndpoints: [{ service: "ssm", actions: ["*"] }] }, /"ssm" needs service-prefixed actions such as "ssm:\*", never "\*"/],
        ["duplicate endpoint", { additionalInterfaceEndpoints: [{ service: "kms", actions: ["kms:*"] }] }, /"kms" is already created by default/],
        ["bad serving port", { inferenceServingPort: 70000 }, /inferenceServingPort must be an integer from 1 to 65535; got 70000/],
    ];
    it.each(cases)("%s", async (_label, args, message) => {
        expect(aiNetworksArgsProblem({ ...BASE, ...args })).toMatch(message);
        await expect(run(args)).rejects.toThrow(message);
    });

    it("aiNetworksArgsProblem passes the defaults and names a VPC too small to carve", () => {
        expect(aiNetworksArgsProblem(BASE)).toBeUndefined();
        expect(aiNetworksArgsProblem({ ...BASE, trainingCidr: "10.20.0.0/24", availabilityZoneCount: 32 })).toMatch(/cannot carve 32 subnets|smaller than the AWS minimum/);
    });

    it("refuses to place a subnet when the region has fewer zones than asked for", () => {
        expect(pickZone(["eu-west-2a", "eu-west-2b", "eu-west-2c"], 2, "ai-training")).toBe("eu-west-2c");
        expect(() => pickZone(["eu-west-2a", "eu-west-2b", "eu-west-2c"], 3, "ai-training")).toThrow(
            "ai-training: subnet 3 needs availability zone #4, but the region offers only 3 (eu-west-2a, eu-west-2b, eu-west-2c); lower availabilityZoneCount",
        );
    });
});

describe("network CIDR helpers", () => {
    it("carves equal subnets and refuses what does not fit", () => {
        expect(carveSubnets("10.20.0.0/16", 3)).toEqual(["10.20.0.0/20", "10.20.16.0/20", "10.20.32.0/20"]);
        expect(carveSubnets("192.168.4.0/24", 2)).toEqual(["192.168.4.0/28", "192.168.4.16/28"]);
        expect(() => carveSubnets("10.20.0.0/16", 17)).toThrow(/at most 16 fit/);
    });
    it("detects overlap in both directions and adjacency as disjoint", () => {
        expect(ipv4CidrsOverlap("10.0.0.0/16", "10.0.255.0/24")).toBe(true);
        expect(ipv4CidrsOverlap("10.0.255.0/24", "10.0.0.0/16")).toBe(true);
        expect(ipv4CidrsOverlap("10.0.0.0/16", "10.1.0.0/16")).toBe(false);
    });
    it("splits client CIDRs by family", () => {
        expect(validateClientCidrs(["10.40.0.0/16", "2001:db8::/32"], "10.20.0.0/16")).toEqual({ ipv4: ["10.40.0.0/16"], ipv6: ["2001:db8::/32"] });
    });
});
