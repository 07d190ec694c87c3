/**
 * Builds one isolated network segment (VPC) of {@link AiNetworks}: private subnets over several
 * zones, one private route table with no default route, the default security group emptied,
 * private endpoints for the AWS APIs SageMaker needs, and a workload security group whose only
 * egress is HTTPS to those endpoints and the S3 prefix list. Every resource is a direct child of
 * the calling component. No internet gateway, NAT gateway, public IP or peering is ever created here.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { endpointSuffix, interfaceEndpointPolicy, s3GatewayEndpointPolicy, type InterfaceEndpointSpec } from "./network-policies";
import { AssetKinds, assetTags, type AssetTags, type NetworkRole, TagKeys } from "./tags";

/** Account, region and partition facts, resolved from the provider's data sources. */
export interface AwsContext {
    readonly accountId: string;
    readonly region: string;
    readonly partition: string;
    /** `com.amazonaws` (or the partition's equivalent), the prefix of endpoint service names. */
    readonly reverseDnsPrefix: string;
}

/** What one segment is built from. */
export interface SegmentSpec {
    readonly role: NetworkRole;
    readonly cidr: string;
    /** One subnet CIDR per availability zone, in zone order. */
    readonly subnetCidrs: readonly string[];
    readonly availabilityZones: pulumi.Output<readonly string[]>;
    readonly interfaceEndpoints: readonly InterfaceEndpointSpec[];
    readonly additionalReadBucketArns: readonly pulumi.Input<string>[];
    readonly allowInterNodeTraffic: boolean;
    readonly assetTags: AssetTags;
    readonly aws: pulumi.Output<AwsContext>;
}

/** The resources of one segment. */
export interface NetworkSegment {
    readonly vpc: aws.ec2.Vpc;
    readonly subnets: readonly aws.ec2.Subnet[];
    readonly routeTable: aws.ec2.RouteTable;
    readonly defaultSecurityGroup: aws.ec2.DefaultSecurityGroup;
    readonly endpointSecurityGroup: aws.ec2.SecurityGroup;
    readonly workloadSecurityGroup: aws.ec2.SecurityGroup;
    readonly interfaceEndpoints: readonly aws.ec2.VpcEndpoint[];
    readonly s3Endpoint: aws.ec2.VpcEndpoint;
}

/** Tags for a network resource of `role`, with a readable `Name`. */
export function networkTags(tags: AssetTags, role: NetworkRole, resourceName: string): Record<string, string> {
    return assetTags(tags, AssetKinds.network, { [TagKeys.networkRole]: role, Name: resourceName });
}

/**
 * The zone of subnet `index`. Throws when the region has fewer zones than subnets: the subnet is
 * then never registered (the deployment fails naming the fix) instead of AWS placing it anywhere.
 */
export function pickZone(zones: readonly string[], index: number, prefix: string): string {
    const zone = zones[index];
    if (zone === undefined) {
        throw new Error(`${prefix}: subnet ${index} needs availability zone #${index + 1}, but the region offers only ${zones.length} (${zones.join(", ")}); lower availabilityZoneCount`);
    }
    return zone;
}

/** Creates the segment's resources as children of `parent`, named `<prefix>-<suffix>`. */
export function buildSegment(parent: pulumi.Resource, prefix: string, spec: SegmentSpec): NetworkSegment {
    const opts = { parent };
    const tags = (suffix: string) => networkTags(spec.assetTags, spec.role, `${prefix}-${suffix}`);

    const vpc = new aws.ec2.Vpc(`${prefix}-vpc`, {
        cidrBlock: spec.cidr,
        // Private DNS of interface endpoints needs both.
        enableDnsSupport: true,
        enableDnsHostnames: true,
        assignGeneratedIpv6CidrBlock: false,
        tags: tags("vpc"),
    }, opts);

    const defaultSecurityGroup = new aws.ec2.DefaultSecurityGroup(`${prefix}-default-sg`, {
        vpcId: vpc.id,
        // Empty lists make the provider remove every rule AWS put on the default group.
        ingress: [],
        egress: [],
        tags: tags("default-sg"),
    }, opts);

    const routeTable = new aws.ec2.RouteTable(`${prefix}-rt`, {
        vpcId: vpc.id,
        // No routes: only the implicit local route; the S3 gateway endpoint adds its prefix-list route.
        tags: tags("rt"),
    }, opts);

    const subnets = spec.subnetCidrs.map((cidrBlock, i) => {
        const subnet = new aws.ec2.Subnet(`${prefix}-subnet-${i}`, {
            vpcId: vpc.id,
            cidrBlock,
            availabilityZone: spec.availabilityZones.apply((zones) => pickZone(zones, i, prefix)),
            mapPublicIpOnLaunch: false,
            assignIpv6AddressOnCreation: false,
            tags: tags(`subnet-${i}`),
        }, opts);
        new aws.ec2.RouteTableAssociation(`${prefix}-rt-assoc-${i}`, { subnetId: subnet.id, routeTableId: routeTable.id }, opts);
        return subnet;
    });

    const endpointSecurityGroup = new aws.ec2.SecurityGroup(`${prefix}-endpoints-sg`, {
        vpcId: vpc.id,
        description: `${spec.role} network: AWS API interface endpoints, HTTPS from inside the VPC only`,
        tags: tags("endpoints-sg"),
    }, opts);
    new aws.vpc.SecurityGroupIngressRule(`${prefix}-endpoints-https-in`, {
        securityGroupId: endpointSecurityGroup.id,
        description: "HTTPS from this VPC only",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: spec.cidr,
        tags: tags("endpoints-https-in"),
    }, opts);

    const subnetIds = subnets.map((s) => s.id);
    const interfaceEndpoints = spec.interfaceEndpoints.map((endpoint) => new aws.ec2.VpcEndpoint(`${prefix}-vpce-${endpointSuffix(endpoint.service)}`, {
        vpcId: vpc.id,
        vpcEndpointType: "Interface",
        serviceName: pulumi.interpolate`${spec.aws.reverseDnsPrefix}.${spec.aws.region}.${endpoint.service}`,
        privateDnsEnabled: true,
        subnetIds,
        securityGroupIds: [endpointSecurityGroup.id],
        policy: spec.aws.apply((ctx) => JSON.stringify(interfaceEndpointPolicy(endpoint, ctx.accountId))),
        tags: tags(`vpce-${endpointSuffix(endpoint.service)}`),
    }, opts));

    const s3Endpoint = new aws.ec2.VpcEndpoint(`${prefix}-vpce-s3`, {
        vpcId: vpc.id,
        vpcEndpointType: "Gateway",
        serviceName: pulumi.interpolate`${spec.aws.reverseDnsPrefix}.${spec.aws.region}.s3`,
        routeTableIds: [routeTable.id],
        policy: pulumi.all([spec.aws, pulumi.output(spec.additionalReadBucketArns)]).apply(([ctx, extra]) =>
            JSON.stringify(s3GatewayEndpointPolicy({ ...ctx, additionalReadBucketArns: extra }))),
        tags: tags("vpce-s3"),
    }, opts);

    const workloadSecurityGroup = new aws.ec2.SecurityGroup(`${prefix}-workload-sg`, {
        vpcId: vpc.id,
        description: `${spec.role} workloads: HTTPS egress to AWS API endpoints and S3 only`,
        tags: tags("workload-sg"),
    }, opts);
    new aws.vpc.SecurityGroupEgressRule(`${prefix}-workload-to-endpoints`, {
        securityGroupId: workloadSecurityGroup.id,
        description: "HTTPS to the AWS API interface endpoints",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        referencedSecurityGroupId: endpointSecurityGroup.id,
        tags: tags("workload-to-endpoints"),
    }, opts);
    new aws.vpc.SecurityGroupEgressRule(`${prefix}-workload-to-s3`, {
        securityGroupId: workloadSecurityGroup.id,
        description: "HTTPS to S3 through the gateway endpoint",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        prefixListId: s3Endpoint.prefixListId,
        tags: tags("workload-to-s3"),
    }, opts);
    if (spec.allowInterNodeTraffic) {
        // Explicit relaxation: distributed training exchanges gradients between instances of one job.
        new aws.vpc.SecurityGroupIngressRule(`${prefix}-workload-internode-in`, {
            securityGroupId: workloadSecurityGroup.id,
            description: "Distributed training: all traffic from the same security group",
            ipProtocol: "-1",
            referencedSecurityGroupId: workloadSecurityGroup.id,
            tags: tags("workload-internode-in"),
        }, opts);
        new aws.vpc.SecurityGroupEgressRule(`${prefix}-workload-internode-out`, {
            securityGroupId: workloadSecurityGroup.id,
            description: "Distributed training: all traffic to the same security group",
            ipProtocol: "-1",
            referencedSecurityGroupId: workloadSecurityGroup.id,
            tags: tags("workload-internode-out"),
        }, opts);
    }

    return { vpc, subnets, routeTable, defaultSecurityGroup, endpointSecurityGroup, workloadSecurityGroup, interfaceEndpoints, s3Endpoint };
}
