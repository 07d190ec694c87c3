/** Model namespaces must enforce the Pod Security "restricted" profile. */
import * as k8s from "@pulumi/kubernetes";
import { type Finding, type RuleResource, stackRule } from "../../../framework/rule";
import { UNKNOWN } from "../../../framework/rule";
import { get } from "../../../framework/values";
import { NAMESPACE_TYPE } from "../model-workloads";

export const ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";

export const kubernetesNamespaceEnforcePodSecurityRestricted = stackRule({
    judges: [k8s.core.v1.Namespace],
    name: "kubernetes-core-namespace-enforce-pod-security-restricted",
    description:
        "Every model namespace (a Namespace carrying the `modelNamespaceLabel` label) must carry the label `pod-security.kubernetes.io/enforce: restricted`, so the API server itself rejects privileged, root or host-sharing pods there, whatever created them.",
    clauses: ["DP-1", "SD-3", "DP-5", "P6", "P2"],
    severity: "high",
    enforcementLevel: "mandatory",
    settings: ["modelNamespaceLabel"],
    remediationSteps:
        'Add `"pod-security.kubernetes.io/enforce": "restricted"` (and optionally `enforce-version`, `warn`, `audit`) to the namespace\'s `metadata.labels`.',
    url: "https://kubernetes.io/docs/concepts/security/pod-security-admission/",
    onUnknown: "Skips a namespace whose labels (the model label or the enforce label) are unknown at preview; checked again at update.",
    check(resources: readonly RuleResource[], { settings }): Finding[] {
        const findings: Finding[] = [];
        for (const ns of resources) {
            if (ns.type !== NAMESPACE_TYPE) continue;
            const labels = get(ns.props, "metadata", "labels");
            if (labels === UNKNOWN) continue;
            if (get(labels, settings.modelNamespaceLabel.key) !== settings.modelNamespaceLabel.value) continue;
            const level = get(labels, ENFORCE_LABEL);
            if (level === "restricted" || level === UNKNOWN) continue;
            findings.push({
                urn: ns.urn,
                message: `model namespace "${ns.name}" has ${level === undefined ? "no" : `"${String(level)}" as its`} ${ENFORCE_LABEL} label; it must be "restricted"`,
            });
        }
        return findings;
    },
});
