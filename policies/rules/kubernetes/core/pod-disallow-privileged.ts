/** No privileged containers in model workloads. */
import { get } from "../../../framework/values";
import { podRule, POD_FIELD_HINT, POD_RULE_ON_UNKNOWN, type PodIssue } from "../model-workloads";

export const kubernetesPodDisallowPrivileged = podRule(
    {
        name: "kubernetes-core-pod-disallow-privileged",
        description:
            "No container of a workload in a model namespace may run privileged (`securityContext.privileged: true`). A privileged container has every host device and capability, so a compromised model server would own the node and every model and credential on it.",
        clauses: ["DP-1", "SD-3", "P6", "P2"],
        severity: "critical",
        enforcementLevel: "mandatory",
        remediationSteps: `Remove \`securityContext.privileged\` (or set it to \`false\`) on each container; grant a single capability instead if one is truly needed. ${POD_FIELD_HINT}`,
        url: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
        onUnknown: POD_RULE_ON_UNKNOWN,
    },
    (pod) => {
        const issues: PodIssue[] = [];
        for (const c of pod.containers) {
            if (get(c.container, "securityContext", "privileged") === true) {
                issues.push({ path: `${c.path}.securityContext.privileged`, message: "the container runs privileged; set it to false" });
            }
        }
        return issues;
    },
);
