/** Model workload containers must run as a non-root user. */
import { effectiveSecurityField } from "../pod-spec";
import { podRule, POD_FIELD_HINT, POD_RULE_ON_UNKNOWN, type PodIssue } from "../model-workloads";

export const kubernetesPodEnforceRunAsNonRoot = podRule(
    {
        name: "kubernetes-core-pod-enforce-run-as-non-root",
        description:
            "Every container of a workload in a model namespace must run with `runAsNonRoot: true`, set on the container or inherited from the pod's `securityContext` (a container's own value overrides the pod's), and must not set `runAsUser: 0`. Root in a container is one kernel bug away from root on the node.",
        clauses: ["DP-1", "SD-3", "P6", "P2"],
        severity: "high",
        enforcementLevel: "mandatory",
        remediationSteps: `Set \`securityContext: { runAsNonRoot: true, runAsUser: <non-zero uid> }\` on the pod spec (or on each container), and build images with a non-root \`USER\`. ${POD_FIELD_HINT}`,
        url: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
        onUnknown: POD_RULE_ON_UNKNOWN,
    },
    (pod) => {
        const issues: PodIssue[] = [];
        for (const c of pod.containers) {
            const nonRoot = effectiveSecurityField(pod, c, "runAsNonRoot");
            // An UNKNOWN value (or any other non-boolean) is neither false nor unset: no finding.
            if (nonRoot.value === false) {
                issues.push({ path: nonRoot.path!, message: "runAsNonRoot is false; the container may run as root" });
            } else if (nonRoot.value === undefined) {
                issues.push({ path: `${c.path}.securityContext.runAsNonRoot`, message: "runAsNonRoot is set neither on the container nor on the pod; set it to true" });
            }
            const user = effectiveSecurityField(pod, c, "runAsUser");
            if (user.value === 0) issues.push({ path: user.path!, message: "runAsUser is 0 (root)" });
        }
        return issues;
    },
);
