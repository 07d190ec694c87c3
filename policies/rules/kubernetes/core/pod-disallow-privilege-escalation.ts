/** Model workloads must forbid privilege escalation explicitly. */
import { UNKNOWN } from "../../../framework/rule";
import { get } from "../../../framework/values";
import { podRule, POD_FIELD_HINT, POD_RULE_ON_UNKNOWN, type PodIssue } from "../model-workloads";

export const kubernetesPodDisallowPrivilegeEscalation = podRule(
    {
        name: "kubernetes-core-pod-disallow-privilege-escalation",
        description:
            "Every container of a workload in a model namespace must set `securityContext.allowPrivilegeEscalation: false`. Left unset it defaults to true, letting setuid binaries gain more privileges than the process started with; Pod Security \"restricted\" requires the explicit false.",
        clauses: ["DP-1", "SD-3", "P6", "P2"],
        severity: "high",
        enforcementLevel: "mandatory",
        remediationSteps: `Add \`securityContext: { allowPrivilegeEscalation: false }\` to every container, init container and ephemeral container. ${POD_FIELD_HINT}`,
        url: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
        onUnknown: POD_RULE_ON_UNKNOWN,
    },
    (pod) => {
        const issues: PodIssue[] = [];
        for (const c of pod.containers) {
            const v = get(c.container, "securityContext", "allowPrivilegeEscalation");
            if (v === false || v === UNKNOWN) continue;
            issues.push({
                path: `${c.path}.securityContext.allowPrivilegeEscalation`,
                message: v === true ? "privilege escalation is allowed; set it to false" : "is not set (it defaults to true); set it to false",
            });
        }
        return issues;
    },
);
