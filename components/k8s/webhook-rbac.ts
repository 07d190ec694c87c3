/**
 * What the image admission webhook may read from the Kubernetes API (its ClusterRole's rules),
 * in one place for the component and for the test that holds it equal to the operator guide's
 * ClusterRole (admission-webhook/README.md, "Registering the webhook").
 *
 * - namespaces, serviceaccounts: get, list, watch. The webhook watches both and keeps only
 *   namespace labels (the trust policy's namespace selector) and service accounts' pull-secret
 *   names; `get` serves reads before the watches sync and for objects not yet delivered.
 * - secrets: get only. Pull secrets are read on demand by name; watching them would put every
 *   secret of the cluster (tokens, keys) in the webhook's memory.
 */
export const WEBHOOK_RBAC_RULES = [
    { apiGroups: [""], resources: ["namespaces", "serviceaccounts"], verbs: ["get", "list", "watch"] },
    { apiGroups: [""], resources: ["secrets"], verbs: ["get"] },
] as const;

/** The rules as mutable plain objects (what `k8s.rbac.v1.ClusterRole` takes). */
export function webhookRbacRules(): Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }> {
    return WEBHOOK_RBAC_RULES.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] }));
}
