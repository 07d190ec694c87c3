/** Model workload containers must declare CPU and memory limits. */
import { UNKNOWN } from "../../../framework/rule";
import { get } from "../../../framework/values";
import { podRule, POD_FIELD_HINT, POD_RULE_ON_UNKNOWN, type PodIssue } from "../model-workloads";

const LIMITS = ["cpu", "memory"] as const;

export const kubernetesPodMissingResourceLimits = podRule(
    {
        name: "kubernetes-core-pod-missing-resource-limits",
        description:
            "Every container and init container of a workload in a model namespace must set `resources.limits.cpu` and `resources.limits.memory`. Inference is easy to flood with expensive requests; limits keep one abused model server from starving its neighbours and the node. Ephemeral containers are exempt because the API forbids resources on them.",
        clauses: ["DP-5", "DP-1", "P6", "P2"],
        severity: "medium",
        enforcementLevel: "advisory",
        remediationSteps: `Add \`resources: { limits: { cpu: "<n>", memory: "<n>Gi" } }\` to every container and init container (GPUs: add \`nvidia.com/gpu\` too). ${POD_FIELD_HINT}`,
        url: "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
        onUnknown: POD_RULE_ON_UNKNOWN,
    },
    (pod) => {
        const issues: PodIssue[] = [];
        for (const c of pod.containers) {
            if (c.kind === "ephemeralContainers") continue;
            const limits = get(c.container, "resources", "limits");
            if (limits === UNKNOWN) continue;
            for (const l of LIMITS) {
                const v = get(limits, l);
                if (v === UNKNOWN || (typeof v === "string" && v.length > 0) || typeof v === "number") continue;
                issues.push({ path: `${c.path}.resources.limits.${l}`, message: `no ${l} limit is set` });
            }
        }
        return issues;
    },
);
