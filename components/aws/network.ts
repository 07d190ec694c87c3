/**
 * Segregated training and inference networks for an AI platform (DP-1, P6; flow logs OM-1, P12).
 *
 * Why two VPCs rather than two subnet tiers of one VPC: inside one VPC every subnet shares the
 * implicit `local` route, which no route table can remove, so isolation would rest entirely on
 * security groups and NACLs, where one mistaken rule joins the environments. Separate VPCs with no
 * peering, transit gateway or shared security group have no route between them at all: a training
 * job holding sensitive data cannot reach a serving endpoint, and a compromised endpoint cannot
 * reach training data or pipelines. Each VPC also gets its own endpoints, endpoint policies, flow
 * log and blast radius.
 *
 * Secure defaults (each relaxation is a named option):
 *  - private subnets only (`mapPublicIpOnLaunch: false`) over >= 2 zones; no internet gateway, NAT
 *    gateway, egress-only gateway, peering or transit gateway in either network; no default route;
 *  - the default security group of each VPC emptied;
 *  - interface endpoints (private DNS) for sagemaker.api, sagemaker.runtime, ecr.api, ecr.dkr, kms,
 *    sts and logs, plus the S3 gateway endpoint, each with a policy admitting only this account's
 *    principals (and, for S3, only this account's buckets);
 *  - workload security groups with no ingress and HTTPS egress only to the endpoints and S3;
 *  - inference reachable only through what the caller asks for: a load-balancer security group
 *    admitting listed client CIDRs (`inferenceIngressCidrs`, never /0), and/or a PrivateLink service
 *    with acceptance required for listed principals (`inferencePrivateLink`);
 *  - flow logs (ALL traffic) of both VPCs to a KMS-encrypted log group kept 365 days.
 *
 * Deliberately no option adds an internet route: a workload that needs another AWS API adds its
 * endpoint through `additionalInterfaceEndpoints`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { aiNetworksArgsProblem, DEFAULT_INFERENCE_CIDR, DEFAULT_TRAINING_CIDR } from "./network-args";
import { carveSubnets, validateClientCidrs } from "./network-cidr";
import { buildFlowLogs } from "./network-flow-logs";
import { type InterfaceEndpointSpec, REQUIRED_INTERFACE_ENDPOINTS } from "./network-policies";
import { buildSegment, networkTags, type AwsContext, type NetworkSegment } from "./network-segment";
import { type AssetTags, NetworkRoles } from "./tags";

export { aiNetworksArgsProblem } from "./network-args";
export type { InterfaceEndpointSpec } from "./network-policies";

/** A PrivateLink path into inference. */
export interface InferencePrivateLinkArgs {
    /** Network load balancers (internal) that front the inference workloads. At least one. */
    readonly networkLoadBalancerArns: readonly pulumi.Input<string>[];
    /** IAM principal ARNs (accounts, roles) allowed to create endpoints to the service. At least one; never `*`. */
    readonly allowedPrincipalArns: readonly pulumi.Input<string>[];
}

export interface AiNetworksArgs {
    /** Inventory tags stamped on every resource. Required. */
    readonly assetTags: AssetTags;
    /** Number of availability zones (one private subnet each per network). Default 2; at least 2. */
    readonly availabilityZoneCount?: number;
    /** Explicit zone names. Default: the first `availabilityZoneCount` available zones of the region. */
    readonly availabilityZoneNames?: readonly string[];
    /** Training VPC CIDR, /16 to /24. Default `10.20.0.0/16`. Must not overlap `inferenceCidr`. */
    readonly trainingCidr?: string;
    /** Inference VPC CIDR, /16 to /24. Default `10.30.0.0/16`. */
    readonly inferenceCidr?: string;
    /**
     * Relaxation: client CIDRs (IPv4 or IPv6) admitted to the inference load-balancer security group
     * on `inferenceListenerPort`. Default none (no client ingress). `0.0.0.0/0`, `::/0` and blocks
     * overlapping the training network are rejected. Attach the group to an internal load balancer.
     */
    readonly inferenceIngressCidrs?: readonly string[];
    /** Port the inference load balancer listens on. Default 443. */
    readonly inferenceListenerPort?: number;
    /** Port inference containers serve on (SageMaker containers: 8080). Default 8080. */
    readonly inferenceServingPort?: number;
    /** Relaxation: expose inference as a PrivateLink endpoint service (acceptance required). Default none. */
    readonly inferencePrivateLink?: InferencePrivateLinkArgs;
    /** Relaxation: let training instances of one job talk to each other (distributed training). Default false. */
    readonly allowInterNodeTrafficForDistributedTraining?: boolean;
    /** More interface endpoints for both networks, each with the actions its policy admits. Default none. */
    readonly additionalInterfaceEndpoints?: readonly InterfaceEndpointSpec[];
    /** Relaxation: buckets outside this account both networks may read through the S3 endpoint. Default none. */
    readonly s3EndpointAdditionalReadBucketArns?: readonly pulumi.Input<string>[];
    /** Customer-managed KMS key for the flow-log group. Default: a key is created (needs `logKeyAdministratorArns`). */
    readonly logKmsKeyArn?: pulumi.Input<string>;
    /** Administrators of the created flow-log key. Required unless `logKmsKeyArn` is given. */
    readonly logKeyAdministratorArns?: readonly pulumi.Input<string>[];
    /** Flow-log retention in days: a CloudWatch value >= 90, or 0 to never expire. Default 365. */
    readonly flowLogRetentionInDays?: number;
}

export class AiNetworks extends pulumi.ComponentResource {
    readonly training: NetworkSegment;
    readonly inference: NetworkSegment;
    readonly trainingVpcId: pulumi.Output<string>;
    readonly inferenceVpcId: pulumi.Output<string>;
    readonly trainingSubnetIds: pulumi.Output<string[]>;
    readonly inferenceSubnetIds: pulumi.Output<string[]>;
    /** Attach to training jobs: no ingress, HTTPS egress to endpoints and S3 only. */
    readonly trainingSecurityGroupId: pulumi.Output<string>;
    /** Attach to inference endpoints/models: HTTPS egress to endpoints and S3; ingress only from the load-balancer group. */
    readonly inferenceSecurityGroupId: pulumi.Output<string>;
    /** Attach to the internal inference load balancer; present when ingress CIDRs or PrivateLink were asked for. */
    readonly inferenceLoadBalancerSecurityGroupId: pulumi.Output<string> | undefined;
    readonly trainingRouteTableIds: pulumi.Output<string[]>;
    readonly inferenceRouteTableIds: pulumi.Output<string[]>;
    readonly flowLogGroupName: pulumi.Output<string>;
    readonly flowLogKeyArn: pulumi.Output<string>;
    /** Service name consumers use for the PrivateLink path, when asked for. */
    readonly inferencePrivateLinkServiceName: pulumi.Output<string> | undefined;

    constructor(name: string, args: AiNetworksArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aiguard:aws:AiNetworks", name, {}, opts);
        const problem = aiNetworksArgsProblem(args);
        if (problem !== undefined) throw new pulumi.ResourceError(problem, this);
        const trainingCidr = args.trainingCidr ?? DEFAULT_TRAINING_CIDR;
        const inferenceCidr = args.inferenceCidr ?? DEFAULT_INFERENCE_CIDR;
        const names = args.availabilityZoneNames;
        const zoneCount = names?.length ?? args.availabilityZoneCount ?? 2;
        const retention = args.flowLogRetentionInDays ?? 365;
        const listenerPort = args.inferenceListenerPort ?? 443;
        const servingPort = args.inferenceServingPort ?? 8080;
        const clientCidrs = validateClientCidrs(args.inferenceIngressCidrs ?? [], trainingCidr);
        const privateLink = args.inferencePrivateLink;
        const trainingSubnets = carveSubnets(trainingCidr, zoneCount);
        const inferenceSubnets = carveSubnets(inferenceCidr, zoneCount);

        const identity = aws.getCallerIdentityOutput({}, { parent: this });
        const region = aws.getRegionOutput({}, { parent: this });
        const partition = aws.getPartitionOutput({}, { parent: this });
        const ctx: pulumi.Output<AwsContext> = pulumi
            .all([identity.accountId, region.region, partition.partition, partition.reverseDnsPrefix])
            .apply(([accountId, regionName, partitionName, reverseDnsPrefix]) => ({ accountId, region: regionName, partition: partitionName, reverseDnsPrefix }));
        const zones: pulumi.Output<readonly string[]> = names !== undefined
            ? pulumi.output([...names])
            // Regular zones only: Local and Wavelength Zones lack most of the endpoints used here.
            : aws.getAvailabilityZonesOutput({ state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] }, { parent: this }).names;

        const endpoints = [...REQUIRED_INTERFACE_ENDPOINTS, ...(args.additionalInterfaceEndpoints ?? [])];
        const common = {
            availabilityZones: zones,
            interfaceEndpoints: endpoints,
            additionalReadBucketArns: args.s3EndpointAdditionalReadBucketArns ?? [],
            assetTags: args.assetTags,
            aws: ctx,
        };
        this.training = buildSegment(this, `${name}-${NetworkRoles.training}`, {
            ...common,
            role: NetworkRoles.training,
            cidr: trainingCidr,
            subnetCidrs: trainingSubnets,
            allowInterNodeTraffic: args.allowInterNodeTrafficForDistributedTraining ?? false,
        });
        this.inference = buildSegment(this, `${name}-${NetworkRoles.inference}`, {
            ...common,
            role: NetworkRoles.inference,
            cidr: inferenceCidr,
            subnetCidrs: inferenceSubnets,
            allowInterNodeTraffic: false,
        });

        this.inferenceLoadBalancerSecurityGroupId = undefined;
        if (clientCidrs.ipv4.length + clientCidrs.ipv6.length > 0 || privateLink !== undefined) {
            this.inferenceLoadBalancerSecurityGroupId = this.inferenceEntry(name, args.assetTags, clientCidrs, listenerPort, servingPort);
        }
        this.inferencePrivateLinkServiceName = undefined;
        if (privateLink !== undefined) {
            const service = new aws.ec2.VpcEndpointService(`${name}-inference-privatelink`, {
                acceptanceRequired: true,
                networkLoadBalancerArns: [...privateLink.networkLoadBalancerArns],
                allowedPrincipals: [...privateLink.allowedPrincipalArns],
                supportedIpAddressTypes: ["ipv4"],
                tags: networkTags(args.assetTags, NetworkRoles.inference, `${name}-inference-privatelink`),
            }, { parent: this });
            this.inferencePrivateLinkServiceName = service.serviceName;
        }

        const logs = buildFlowLogs(this, name, {
            assetTags: args.assetTags,
            retentionInDays: retention,
            kmsKeyArn: args.logKmsKeyArn,
            keyAdministratorArns: args.logKeyAdministratorArns,
            aws: ctx,
            vpcs: [
                { role: NetworkRoles.training, vpcId: this.training.vpc.id },
                { role: NetworkRoles.inference, vpcId: this.inference.vpc.id },
            ],
        });

        this.trainingVpcId = this.training.vpc.id;
        this.inferenceVpcId = this.inference.vpc.id;
        this.trainingSubnetIds = pulumi.all(this.training.subnets.map((s) => s.id));
        this.inferenceSubnetIds = pulumi.all(this.inference.subnets.map((s) => s.id));
        this.trainingSecurityGroupId = this.training.workloadSecurityGroup.id;
        this.inferenceSecurityGroupId = this.inference.workloadSecurityGroup.id;
        this.trainingRouteTableIds = pulumi.all([this.training.routeTable.id]);
        this.inferenceRouteTableIds = pulumi.all([this.inference.routeTable.id]);
        this.flowLogGroupName = logs.logGroup.name;
        this.flowLogKeyArn = logs.keyArn;
        this.registerOutputs({
            trainingVpcId: this.trainingVpcId,
            inferenceVpcId: this.inferenceVpcId,
            trainingSubnetIds: this.trainingSubnetIds,
            inferenceSubnetIds: this.inferenceSubnetIds,
            trainingSecurityGroupId: this.trainingSecurityGroupId,
            inferenceSecurityGroupId: this.inferenceSecurityGroupId,
            inferenceLoadBalancerSecurityGroupId: this.inferenceLoadBalancerSecurityGroupId,
            trainingRouteTableIds: this.trainingRouteTableIds,
            inferenceRouteTableIds: this.inferenceRouteTableIds,
            flowLogGroupName: this.flowLogGroupName,
            flowLogKeyArn: this.flowLogKeyArn,
            inferencePrivateLinkServiceName: this.inferencePrivateLinkServiceName,
        });
    }

    /** The inference load-balancer group: listed clients in, serving port out to the workloads only. */
    private inferenceEntry(
        name: string,
        tagsIn: AssetTags,
        clients: { ipv4: string[]; ipv6: string[] },
        listenerPort: number,
        servingPort: number,
    ): pulumi.Output<string> {
        const prefix = `${name}-inference`;
        const opts = { parent: this };
        const tags = (suffix: string) => networkTags(tagsIn, NetworkRoles.inference, `${prefix}-${suffix}`);
        const lb = new aws.ec2.SecurityGroup(`${prefix}-lb-sg`, {
            vpcId: this.inference.vpc.id,
            description: "Internal inference load balancer: listed client CIDRs in, serving port to inference workloads out",
            tags: tags("lb-sg"),
        }, opts);
        const rule = (family: "cidrIpv4" | "cidrIpv6") => (cidr: string, i: number) => {
            const suffix = `lb-in-${family === "cidrIpv4" ? "v4" : "v6"}-${i}`;
            return new aws.vpc.SecurityGroupIngressRule(`${prefix}-${suffix}`, {
                securityGroupId: lb.id,
                description: `Inference clients ${cidr}`,
                ipProtocol: "tcp",
                fromPort: listenerPort,
                toPort: listenerPort,
                [family]: cidr,
                tags: tags(suffix),
            }, opts);
        };
        clients.ipv4.forEach(rule("cidrIpv4"));
        clients.ipv6.forEach(rule("cidrIpv6"));
        new aws.vpc.SecurityGroupEgressRule(`${prefix}-lb-to-workload`, {
            securityGroupId: lb.id,
            description: "To inference workloads on the serving port",
            ipProtocol: "tcp",
            fromPort: servingPort,
            toPort: servingPort,
            referencedSecurityGroupId: this.inference.workloadSecurityGroup.id,
            tags: tags("lb-to-workload"),
        }, opts);
        new aws.vpc.SecurityGroupIngressRule(`${prefix}-workload-from-lb`, {
            securityGroupId: this.inference.workloadSecurityGroup.id,
            description: "From the inference load balancer on the serving port",
            ipProtocol: "tcp",
            fromPort: servingPort,
            toPort: servingPort,
            referencedSecurityGroupId: lb.id,
            tags: tags("workload-from-lb"),
        }, opts);
        return lb.id;
    }
}
