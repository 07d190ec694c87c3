/**
 * Routes of training route tables, from inline `routes` of `RouteTable`/`DefaultRouteTable` and from
 * separate `aws.ec2.Route` resources (joined to their table by `routeTableId`).
 */
import { UNKNOWN, type RuleResource } from "../../../framework/rule";
import { asList } from "../../../framework/values";
import { ReferenceIndex } from "../../../framework/references";
import { Ec2Types, type Network } from "./network";

/** One route, normalised across the inline and separate-resource forms. */
export interface TrainingRoute {
    /** `destinationCidrBlock`/`cidrBlock` or the IPv6 equivalents (UNKNOWN when not known). */
    readonly destinations: readonly unknown[];
    readonly props: Readonly<Record<string, unknown>>;
    /** The resource to report: the route table for inline routes, the Route otherwise. */
    readonly urn: string;
    /** The route table's logical name. */
    readonly table: string;
    /** The resource that declares the route (the table for inline routes), and the property its targets' dependencies are recorded under. */
    readonly from: RuleResource;
    readonly dependencyProp: (key: string) => string;
}

/**
 * The resources of `candidates` a route's target property (`gatewayId`, `vpcPeeringConnectionId`,
 * ...) points at: by id when known, else by the engine's dependency URNs (for inline routes, those
 * of the table's `routes`, so only when the table's routes name one such resource).
 */
export function routeTargets(route: TrainingRoute, key: string, candidates: ReferenceIndex): readonly RuleResource[] {
    return candidates.resolve(route.from, route.dependencyProp(key), route.props[key]).targets;
}

export function trainingRoutes(index: ReadonlyMap<string, readonly RuleResource[]>, net: Network): TrainingRoute[] {
    const tables = [...(index.get(Ec2Types.routeTable) ?? []), ...(index.get(Ec2Types.defaultRouteTable) ?? [])];
    const training = tables.filter((t) => net.roleOf(t) === "training");
    const out: TrainingRoute[] = [];
    for (const t of training) {
        const routes = asList(t.props.routes);
        if (routes === UNKNOWN) continue;
        for (const r of routes) {
            if (!r || typeof r !== "object") continue;
            const o = r as Record<string, unknown>;
            out.push({ destinations: [o.cidrBlock, o.ipv6CidrBlock], props: o, urn: t.urn, table: t.name, from: t, dependencyProp: () => "routes" });
        }
    }
    const tables2 = new ReferenceIndex(training, ["id"]);
    for (const r of index.get(Ec2Types.route) ?? []) {
        for (const table of tables2.resolve(r, "routeTableId").targets) {
            out.push({ destinations: [r.props.destinationCidrBlock, r.props.destinationIpv6CidrBlock], props: r.props, urn: r.urn, table: table.name, from: r, dependencyProp: (key) => key });
        }
    }
    return out;
}
