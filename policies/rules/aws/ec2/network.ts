/**
 * Which segregated network (training or inference) each network resource belongs to, and the
 * type tokens the network rules read. A resource's own network-role tag or its use by an AI service
 * decides (`ai-assets.ts`); otherwise the role of the VPC named by its `vpcId`.
 */
import * as aws from "@pulumi/aws";
import { type RuleResource, typeToken } from "../../../framework/rule";
import { byType } from "../../../framework/values";
import { ReferenceIndex } from "../../../framework/references";
import { awsAssetFacts } from "../ai-assets";
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
    transitGateway: typeToken(aws.ec2transitgateway.TransitGateway),
    natGateway: typeToken(aws.ec2.NatGateway),
    egressOnlyGateway: typeToken(aws.ec2.EgressOnlyInternetGateway),
    securityGroup: typeToken(aws.ec2.SecurityGroup),
    defaultSecurityGroup: typeToken(aws.ec2.DefaultSecurityGroup),
    securityGroupRule: typeToken(aws.ec2.SecurityGroupRule),
    ingressRule: typeToken(aws.vpc.SecurityGroupIngressRule),
    egressRule: typeToken(aws.vpc.SecurityGroupEgressRule),
    flowLog: typeToken(aws.ec2.FlowLog),
} as const;

/** The other role. */
export function opposite(role: NetworkRole): NetworkRole {
    return role === "training" ? "inference" : "training";
}

/** A string id, or undefined if absent or unknown. */
export function knownId(v: unknown): string | undefined {
    return typeof v === "string" && v.length > 0 ? v : undefined;
}

/**
 * Roles of network resources: their own tag, how AI services use them (a training job's subnets, a
 * model's security groups; `ai-assets.ts`), else the role of the VPC they are in. VPCs and other
 * resources are joined by value or, at a first preview, by the engine's dependency URNs.
 */
export class Network {
    private readonly roles: ReadonlyMap<string, NetworkRole>;
    readonly vpcs: ReferenceIndex;

    constructor(resources: readonly RuleResource[], settings: Settings) {
        this.roles = awsAssetFacts(resources, settings).networkRoles;
        this.vpcs = new ReferenceIndex(byType(resources).get(Ec2Types.vpc) ?? [], ["id", "arn"]);
    }

    /** The role of the VPCs `from`'s property names (undefined when none has one). */
    vpcRoleAt(from: RuleResource, prop: string): NetworkRole | undefined {
        for (const vpc of this.vpcs.resolve(from, prop).targets) {
            const role = this.roles.get(vpc.urn);
            if (role) return role;
        }
        return undefined;
    }

    /** The resource's own role (tag or use), else the role of its VPC (`vpcId`). */
    roleOf(r: RuleResource): NetworkRole | undefined {
        return this.roles.get(r.urn) ?? this.vpcRoleAt(r, "vpcId");
    }
}

