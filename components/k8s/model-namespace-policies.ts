/**
 * Pure builders for the NetworkPolicies of {@link ModelNamespace} (DP-1 / P6): a default deny for
 * both directions, then one narrow allow policy per thing model serving needs.
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { parseIpv4Cidr } from "../aws/network-cidr";
import { NAMESPACE_NAME_LABEL } from "./labels";

/** A Kubernetes label selector. */
export interface LabelSelectorArgs {
    readonly matchLabels?: Readonly<Record<string, string>>;
    readonly matchExpressions?: readonly { readonly key: string; readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist"; readonly values?: readonly string[] }[];
}

/** One peer allowed to reach the model servers. */
export interface IngressPeerArgs {
    /** Namespaces the traffic may come from (combined with `podSelector`: pods in those namespaces). */
    readonly namespaceSelector?: LabelSelectorArgs;
    /** Pods the traffic may come from (in this namespace unless `namespaceSelector` is set). */
    readonly podSelector?: LabelSelectorArgs;
}

export type NetworkPolicySpec = k8s.types.input.networking.v1.NetworkPolicySpec;

/** A mutable copy of a selector, in the SDK's input type (only the parts that are set). */
export function toSelector(s: LabelSelectorArgs): k8s.types.input.meta.v1.LabelSelector {
    return {
        ...(s.matchLabels !== undefined ? { matchLabels: { ...s.matchLabels } } : {}),
        ...(s.matchExpressions !== undefined
            ? { matchExpressions: s.matchExpressions.map((e) => ({ key: e.key, operator: e.operator, ...(e.values !== undefined ? { values: [...e.values] } : {}) })) }
            : {}),
    };
}

/** Deny every ingress and egress of every pod in the namespace: the baseline the allows build on. */
export function defaultDenySpec(): NetworkPolicySpec {
    return { podSelector: {}, policyTypes: ["Ingress", "Egress"] };
}

/** DNS lookups to the cluster DNS (kube-system, `k8s-app: kube-dns`, which CoreDNS keeps on EKS), UDP and TCP 53. */
export function dnsEgressSpec(): NetworkPolicySpec {
    return {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [{
            to: [{
                namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: "kube-system" } },
                podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
            }],
            ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }],
        }],
    };
}

/** Ingress to the serving pods on the serving ports from the declared peers and CIDRs only. */
export function servingIngressSpec(
    podSelector: LabelSelectorArgs,
    peers: readonly IngressPeerArgs[],
    cidrs: readonly pulumi.Input<string>[],
    ports: readonly number[],
): NetworkPolicySpec {
    const from = [
        ...peers.map((p) => ({
            ...(p.namespaceSelector ? { namespaceSelector: toSelector(p.namespaceSelector) } : {}),
            ...(p.podSelector ? { podSelector: toSelector(p.podSelector) } : {}),
        })),
        ...cidrs.map((cidr) => ({ ipBlock: { cidr } })),
    ];
    return { podSelector: toSelector(podSelector), policyTypes: ["Ingress"], ingress: [{ from, ports: ports.map((port) => ({ protocol: "TCP", port })) }] };
}

/** Egress to the model store endpoint(s): the given CIDRs on one TCP port. */
export function modelStoreEgressSpec(cidrs: readonly pulumi.Input<string>[], port: number): NetworkPolicySpec {
    return {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [{ to: cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: "TCP", port }] }],
    };
}

/** Rejects open or malformed CIDRs given as plain strings; returns an error message or `undefined`. */
export function policyCidrError(cidrs: readonly pulumi.Input<string>[], argName: string): string | undefined {
    for (const c of cidrs) {
        if (typeof c !== "string") continue;
        if (/\/0$/.test(c)) return `${argName} must list specific networks, never ${c}: that would undo the default deny (DP-1 / P6)`;
        try {
            parseIpv4Cidr(c);
        } catch (err) {
            return `${argName}: ${(err as Error).message}`;
        }
    }
    return undefined;
}

/** True for a TCP/UDP port number. */
export function isPort(p: number): boolean {
    return Number.isInteger(p) && p >= 1 && p <= 65535;
}

/** True when a selector selects everything (`{}` or absent parts). */
export function isEmptySelector(s: LabelSelectorArgs | undefined): boolean {
    return s === undefined || (Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0);
}
