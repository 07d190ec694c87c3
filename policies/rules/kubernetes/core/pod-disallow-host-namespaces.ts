/** Model workloads must not share the node's network, PID or IPC namespaces. */
import { podRule, POD_FIELD_HINT, POD_RULE_ON_UNKNOWN, type PodIssue } from "../model-workloads";

const HOST_FIELDS = ["hostNetwork", "hostPID", "hostIPC"] as const;

export const kubernetesPodDisallowHostNamespaces = podRule(
    {
        name: "kubernetes-core-pod-disallow-host-namespaces",
        description:
            "A workload in a model namespace must not set `hostNetwork`, `hostPID` or `hostIPC` to true. Sharing the node's namespaces bypasses NetworkPolicies and exposes other pods' processes and memory, breaking the segregation model workloads rely on.",
        clauses: ["DP-1", "P6"],
        severity: "critical",
        enforcementLevel: "mandatory",
        remediationSteps: `Remove \`hostNetwork\`, \`hostPID\` and \`hostIPC\` from the pod spec (they default to false); expose ports through a Service instead. ${POD_FIELD_HINT}`,
        url: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
        onUnknown: POD_RULE_ON_UNKNOWN,
    },
    (pod) => {
        const issues: PodIssue[] = [];
        for (const f of HOST_FIELDS) {
            if (pod.spec[f] === true) issues.push({ path: `${pod.path}.${f}`, message: `${f} is true; the pod shares the node's namespace` });
        }
        return issues;
    },
);
