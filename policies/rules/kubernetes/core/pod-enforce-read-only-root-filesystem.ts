/** Model workload containers must have a read-only root file system. */
import { UNKNOWN } from "../../../framework/rule";
import { get } from "../../../framework/values";
import { podRule, POD_FIELD_HINT, POD_RULE_ON_UNKNOWN, type PodIssue } from "../model-workloads";

export const kubernetesPodEnforceReadOnlyRootFilesystem = podRule(
    {
        name: "kubernetes-core-pod-enforce-read-only-root-filesystem",
        description:
            "Every container of a workload in a model namespace must set `securityContext.readOnlyRootFilesystem: true`, so an attacker who gains code execution cannot replace the model server, its libraries or the loaded model files on disk.",
        clauses: ["DP-2", "DP-1", "P6", "P5"],
        severity: "medium",
        enforcementLevel: "mandatory",
        remediationSteps: `Add \`securityContext: { readOnlyRootFilesystem: true }\` to every container and mount an \`emptyDir\` for paths that need writing (e.g. /tmp, caches). ${POD_FIELD_HINT}`,
        url: "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
        onUnknown: POD_RULE_ON_UNKNOWN,
    },
    (pod) => {
        const issues: PodIssue[] = [];
        for (const c of pod.containers) {
            const v = get(c.container, "securityContext", "readOnlyRootFilesystem");
            if (v === true || v === UNKNOWN) continue;
            issues.push({
                path: `${c.path}.securityContext.readOnlyRootFilesystem`,
                message: v === false ? "the root file system is writable; set it to true" : "is not set (the root file system is writable); set it to true",
            });
        }
        return issues;
    },
);
