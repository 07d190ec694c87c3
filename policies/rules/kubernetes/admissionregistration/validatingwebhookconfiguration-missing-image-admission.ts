/** Model namespaces must be covered by a fail-closed validating admission webhook for pods. */
import * as k8s from "@pulumi/kubernetes";
import { UNKNOWN, type Finding, type Maybe, type RuleResource, typeToken, stackRule } from "../../../framework/rule";
import { asList, byType, containsUnknown, get } from "../../../framework/values";
import { isEmptySelector, selectorMatches } from "../../../../common/label-selector";
import { modelNamespaces } from "../model-workloads";

export const VALIDATING_WEBHOOK_TYPE = typeToken(k8s.admissionregistration.v1.ValidatingWebhookConfiguration);

const anyOf = (list: unknown, ...wanted: string[]): boolean => Array.isArray(list) && list.some((x) => wanted.includes(x as string));

/** True when an admission rule intercepts pod creation (core group, v1, `pods`, CREATE, namespaced scope). */
export function coversPodCreate(rule: unknown): boolean {
    return (
        anyOf(get(rule, "operations"), "CREATE", "*") &&
        anyOf(get(rule, "apiGroups"), "", "*") &&
        anyOf(get(rule, "apiVersions"), "v1", "*") &&
        anyOf(get(rule, "resources"), "pods", "*", "*/*") &&
        [undefined, null, "*", "Namespaced"].includes(get(rule, "scope") as string)
    );
}

/**
 * Whether a webhook enforces on pod creation in the namespace: a rule covers pod CREATE, the
 * failure policy is `Fail` (the admissionregistration/v1 default when absent), there is no
 * `objectSelector` a workload could opt out with, and the `namespaceSelector` selects the namespace
 * (whose labels include the automatic `kubernetes.io/metadata.name`).
 */
export function webhookCovers(webhook: unknown, labels: Readonly<Record<string, string>>): Maybe<boolean> {
    return webhookCoverage(webhook)(labels);
}

/**
 * {@link webhookCovers} for one webhook and any namespace: the parts that do not depend on the
 * namespace are judged once, so checking many namespaces costs one selector match each.
 */
export function webhookCoverage(webhook: unknown): (labels: Readonly<Record<string, string>>) => Maybe<boolean> {
    if (containsUnknown(webhook)) return () => UNKNOWN;
    const failurePolicy = get(webhook, "failurePolicy");
    if (failurePolicy !== undefined && failurePolicy !== null && failurePolicy !== "Fail") return () => false;
    if (isEmptySelector(get(webhook, "objectSelector")) !== true) return () => false;
    const rules = asList(get(webhook, "rules"));
    if (rules === UNKNOWN || !rules.some(coversPodCreate)) return () => false;
    const namespaceSelector = get(webhook, "namespaceSelector");
    return (labels) => selectorMatches(namespaceSelector, labels);
}

function stringLabels(v: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) if (typeof x === "string") out[k] = x;
    return out;
}

export const kubernetesValidatingWebhookMissingImageAdmission = stackRule({
    judges: [k8s.core.v1.Namespace],
    name: "kubernetes-admissionregistration-validatingwebhookconfiguration-missing-image-admission",
    description:
        "When the stack declares model namespaces, a ValidatingWebhookConfiguration must cover each of them: a webhook whose rules intercept pod CREATE, whose failurePolicy is Fail, with no objectSelector and a namespaceSelector that selects the namespace. This is the admission point that rejects model images whose signature does not verify, and it must fail closed.",
    clauses: ["DP-2", "DV-1", "DP-4", "P7", "P8", "P9"],
    severity: "critical",
    enforcementLevel: "mandatory",
    settings: ["modelNamespaceLabel"],
    remediationSteps:
        'Deploy aiguard\'s image admission webhook and register it with a ValidatingWebhookConfiguration: `rules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods", "pods/ephemeralcontainers"] }]`, `failurePolicy: "Fail"`, `namespaceSelector: { matchLabels: { "<modelNamespaceLabel.key>": "<value>" } }`, and no `objectSelector`.',
    url: "https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/",
    onUnknown:
        "A model namespace that no known webhook covers is skipped (no finding) when any webhook configuration is unknown at preview, since it might cover it; namespaces with unknown names or labels are skipped too.",
    check(resources: readonly RuleResource[], { settings }): Finding[] {
        const index = byType(resources);
        const namespaces = modelNamespaces(index, settings);
        if (namespaces.size === 0) return [];
        const webhooks: unknown[] = [];
        let undecidable = false;
        for (const cfg of index.get(VALIDATING_WEBHOOK_TYPE) ?? []) {
            const list = asList(get(cfg.props, "webhooks"));
            if (list === UNKNOWN) undecidable = true;
            else webhooks.push(...list);
        }
        const coverage = webhooks.map(webhookCoverage);
        const findings: Finding[] = [];
        for (const [name, ns] of namespaces) {
            const labels = { ...stringLabels(get(ns.props, "metadata", "labels")), "kubernetes.io/metadata.name": name };
            const results = coverage.map((covers) => covers(labels));
            if (results.includes(true) || undecidable || results.includes(UNKNOWN)) continue;
            findings.push({
                urn: ns.urn,
                message: `model namespace "${name}" is not covered by any ValidatingWebhookConfiguration that intercepts pod CREATE with failurePolicy Fail, no objectSelector and a namespaceSelector selecting it`,
            });
        }
        return findings;
    },
});
