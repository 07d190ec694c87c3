/**
 * Which segregated network (training or inference) each network resource belongs to, and the
 * type tokens the network rules read. A resource's own network-role tag decides; otherwise the
 * tag of the VPC named by its `vpcId`. Built once per stack check.
 */
import * as aws from "@pulumi/aws";
import { UNKNOWN, type Maybe, type RuleResource, typeToken } from "../../../framework/rule";
import { hasTag } from "../../../framework/values";
import type { Settings } from "../../../../common/settings";

export type NetworkRole = "training" | "inference";

export const Ec2Types = {
    vpc: typeToken(aws.ec2.Vpc),
    subnet: typeToken(aws.ec2.Subnet),
    routeTable: typeToken(aws.ec2.RouteTable),
    defaultRouteTable: typeToken(aws.ec2.DefaultRouteTable),
    route: typeToken(aws.ec2.Route),
    internetGateway: typeToken(aws.ec2.InternetGateway),
    peering: typeToken(aws.ec2.VpcPeeringConnection),
    tgwAttachment: typeToken(aws.ec2transitgateway.VpcAttachment),
    securityGroup: typeToken(aws.ec2.SecurityGroup),
    defaultSecurityGroup: typeToken(aws.ec2.DefaultSecurityGroup),
    securityGroupRule: typeToken(aws.ec2.SecurityGroupRule),
    ingressRule: typeToken(aws.vpc.SecurityGroupIngressRule),
    egressRule: typeToken(aws.vpc.SecurityGroupEgressRule),
    flowLog: typeToken(aws.ec2.FlowLog),
} as const;

/** The role a resource's own tags give it; undefined if neither tag matches; UNKNOWN if the tags are unknown. */
export function taggedRole(props: Readonly<Record<string, unknown>>, settings: Settings): Maybe<NetworkRole | undefined> {
    const training = hasTag(props, settings.trainingNetworkTag);
    const inference = hasTag(props, settings.inferenceNetworkTag);
    if (training === true) return "training";
    if (inference === true) return "inference";
    if (training === UNKNOWN || inference === UNKNOWN) return UNKNOWN;
    return undefined;
}

/** The other role. */
export function opposite(role: NetworkRole): NetworkRole {
    return role === "training" ? "inference" : "training";
}

/** A string id, or undefined if absent or unknown. */
export function knownId(v: unknown): string | undefined {
    return typeof v === "string" && v.length > 0 ? v : undefined;
}

/** Roles of VPCs (by id) and of other network resources. */
export class Network {
    private readonly vpcRoles = new Map<string, Maybe<NetworkRole | undefined>>();

    constructor(
        index: ReadonlyMap<string, readonly RuleResource[]>,
        private readonly settings: Settings,
    ) {
        for (const vpc of index.get(Ec2Types.vpc) ?? []) {
            const id = knownId(vpc.props.id);
            if (id) this.vpcRoles.set(id, taggedRole(vpc.props, settings));
        }
    }

    /** The role of the VPC with this id (undefined for VPCs outside the stack or untagged). */
    vpcRole(vpcId: unknown): Maybe<NetworkRole | undefined> {
        if (vpcId === UNKNOWN) return UNKNOWN;
        const id = knownId(vpcId);
        return id ? this.vpcRoles.get(id) : undefined;
    }

    /** The resource's own tagged role, else the role of its VPC. */
    roleOf(r: RuleResource): Maybe<NetworkRole | undefined> {
        const own = taggedRole(r.props, this.settings);
        if (own !== undefined) return own;
        return this.vpcRole(r.props.vpcId);
    }
}

/** Ids of resources (by `id` output), mapped to the resource. */
export function byId(resources: readonly RuleResource[] | undefined): Map<string, RuleResource> {
    const m = new Map<string, RuleResource>();
    for (const r of resources ?? []) {
        const id = knownId(r.props.id);
        if (id) m.set(id, r);
    }
    return m;
}
