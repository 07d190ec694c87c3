/** Model workloads must not mount host paths. */
import { UNKNOWN } from "../../../framework/rule";
import { get } from "../../../framework/values";
import { podRule, POD_FIELD_HINT, POD_RULE_ON_UNKNOWN, type PodIssue } from "../model-workloads";

export const kubernetesPodDisallowHostPath = podRule(
    {
        name: "kubernetes-core-pod-disallow-host-path",
        description:
            "A workload in a model namespace must not use `hostPath` volumes. A host path gives the pod the node's file system (kubelet credentials, other pods' volumes, the container runtime socket), so one compromised model server reaches everything on the node.",
        clauses: ["DP-1", "P6"],
        severity: "high",
        enforcementLevel: "mandatory",
        remediationSteps: `Replace each \`hostPath\` volume with a PersistentVolumeClaim, \`emptyDir\`, ConfigMap, Secret or CSI volume. ${POD_FIELD_HINT}`,
        url: "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",
        onUnknown: POD_RULE_ON_UNKNOWN,
    },
    (pod) => {
        const issues: PodIssue[] = [];
        const volumes = pod.spec.volumes;
        if (!Array.isArray(volumes)) return issues;
        volumes.forEach((v, i) => {
            const hp = get(v, "hostPath");
            if (hp !== undefined && hp !== null && hp !== UNKNOWN) {
                const path = get(hp, "path");
                issues.push({ path: `${pod.path}.volumes[${i}].hostPath`, message: `volume mounts the host path ${typeof path === "string" ? `"${path}"` : "(unspecified)"}` });
            }
        });
        return issues;
    },
);
