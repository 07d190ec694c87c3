/** Every model namespace needs a default-deny NetworkPolicy for ingress and egress. */
import * as k8s from "@pulumi/kubernetes";
import { UNKNOWN, type Finding, type Maybe, type RuleResource, typeToken, stackRule } from "../../../framework/rule";
import { byType, get } from "../../../framework/values";
import { isEmptySelector } from "../../../../common/label-selector";
import { modelNamespaces, namespaceOf } from "../model-workloads";

export const NETWORK_POLICY_TYPE = typeToken(k8s.networking.v1.NetworkPolicy);

type Direction = "Ingress" | "Egress";

function isEmptyRuleList(v: unknown): Maybe<boolean> {
    if (v === UNKNOWN) return UNKNOWN;
    return v === undefined || v === null || (Array.isArray(v) && v.length === 0);
}

/**
 * The directions a NetworkPolicy denies for every pod of its namespace: it selects all pods
 * (`podSelector: {}`), lists the direction in `policyTypes` (absent `policyTypes` means Ingress,
 * plus Egress when egress rules exist) and has no allow rule for it. `UNKNOWN` if undecidable.
 */
export function deniedDirections(np: RuleResource): Maybe<Set<Direction>> {
    const spec = get(np.props, "spec");
    if (spec === UNKNOWN) return UNKNOWN;
    const all = isEmptySelector(get(spec, "podSelector"));
    if (all === UNKNOWN) return UNKNOWN;
    const out = new Set<Direction>();
    if (!all) return out;
    const ingressEmpty = isEmptyRuleList(get(spec, "ingress"));
    const egressEmpty = isEmptyRuleList(get(spec, "egress"));
    let types = get(spec, "policyTypes");
    if (types === UNKNOWN || ingressEmpty === UNKNOWN || egressEmpty === UNKNOWN) return UNKNOWN;
    if (types === undefined || types === null) types = egressEmpty ? ["Ingress"] : ["Ingress", "Egress"];
    if (!Array.isArray(types)) return out;
    if (types.includes(UNKNOWN)) return UNKNOWN;
    if (types.includes("Ingress") && ingressEmpty) out.add("Ingress");
    if (types.includes("Egress") && egressEmpty) out.add("Egress");
    return out;
}

export const kubernetesNetworkPolicyMissingDefaultDeny = stackRule({
    judges: [k8s.core.v1.Namespace],
    name: "kubernetes-networking-networkpolicy-missing-default-deny",
    description:
        "Every model namespace must contain a default-deny NetworkPolicy: one (or two) policies in that namespace selecting all pods (`podSelector: {}`) with `policyTypes` Ingress and Egress and no allow rules. Model servers then talk only to what a further policy explicitly allows, which contains a compromised workload and blocks exfiltration of model weights.",
    clauses: ["DP-1", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    settings: ["modelNamespaceLabel"],
    remediationSteps:
        'Create `new k8s.networking.v1.NetworkPolicy("default-deny", { metadata: { namespace: <ns> }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } })` in each model namespace, then add narrow allow policies (e.g. DNS egress, ingress from the gateway).',
    url: "https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies",
    onUnknown:
        "A namespace with no known default-deny is skipped (no finding) when any NetworkPolicy's namespace or spec is unknown at preview, since that policy may be the default-deny; namespaces with unknown names or labels are skipped too.",
    check(resources: readonly RuleResource[], { settings }): Finding[] {
        const index = byType(resources);
        const namespaces = modelNamespaces(index, settings);
        if (namespaces.size === 0) return [];
        const denied = new Map<string, Set<Direction>>();
        let undecidable = false;
        for (const np of index.get(NETWORK_POLICY_TYPE) ?? []) {
            const ns = namespaceOf(np);
            const dirs = deniedDirections(np);
            if (ns === undefined || dirs === UNKNOWN) {
                undecidable = true;
                continue;
            }
            const set = denied.get(ns) ?? new Set<Direction>();
            for (const d of dirs) set.add(d);
            denied.set(ns, set);
        }
        const findings: Finding[] = [];
        for (const [name, ns] of namespaces) {
            const set = denied.get(name) ?? new Set<Direction>();
            const missing = (["Ingress", "Egress"] as const).filter((d) => !set.has(d));
            if (missing.length === 0 || undecidable) continue;
            findings.push({
                urn: ns.urn,
                message: `model namespace "${name}" has no default-deny NetworkPolicy for ${missing.join(" and ")} (podSelector {}, policyTypes ${missing.join(", ")}, no allow rules)`,
            });
        }
        return findings;
    },
});
