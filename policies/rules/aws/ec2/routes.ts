/**
 * Routes of training route tables, from inline `routes` of `RouteTable`/`DefaultRouteTable` and from
 * separate `aws.ec2.Route` resources (joined to their table by `routeTableId`).
 */
import { UNKNOWN, type RuleResource } from "../../../framework/rule";
import { asList } from "../../../framework/values";
import { byId, Ec2Types, knownId, type Network } from "./network";

/** One route, normalised across the inline and separate-resource forms. */
export interface TrainingRoute {
    /** `destinationCidrBlock`/`cidrBlock` or the IPv6 equivalents (UNKNOWN when not known). */
    readonly destinations: readonly unknown[];
    readonly props: Readonly<Record<string, unknown>>;
    /** The resource to report: the route table for inline routes, the Route otherwise. */
    readonly urn: string;
    /** The route table's logical name. */
    readonly table: string;
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
            out.push({ destinations: [o.cidrBlock, o.ipv6CidrBlock], props: o, urn: t.urn, table: t.name });
        }
    }
    const tableIds = byId(training);
    for (const r of index.get(Ec2Types.route) ?? []) {
        const id = knownId(r.props.routeTableId);
        const table = id ? tableIds.get(id) : undefined;
        if (table) out.push({ destinations: [r.props.destinationCidrBlock, r.props.destinationIpv6CidrBlock], props: r.props, urn: r.urn, table: table.name });
    }
    return out;
}
