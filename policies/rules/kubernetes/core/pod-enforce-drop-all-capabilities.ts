/** Model workload containers must drop all Linux capabilities. */
import { UNKNOWN } from "../../../framework/rule";
import { get } from "../../../framework/values";
import { podRule, POD_FIELD_HINT, POD_RULE_ON_UNKNOWN, type PodIssue } from "../model-workloads";

/** The only capability Pod Security "restricted" lets a container add back. */
const ALLOWED_ADD = "NET_BIND_SERVICE";

export const kubernetesPodEnforceDropAllCapabilities = podRule(
    {
        name: "kubernetes-core-pod-enforce-drop-all-capabilities",
        description:
            "Every container of a workload in a model namespace must drop all Linux capabilities (`securityContext.capabilities.drop` contains `ALL`) and may add back only `NET_BIND_SERVICE`, as Pod Security \"restricted\" requires; default capabilities such as NET_RAW let a compromised model server attack its neighbours.",
        clauses: ["DP-1", "SD-3", "P6", "P2"],
        severity: "medium",
        enforcementLevel: "mandatory",
        remediationSteps: `Add \`securityContext: { capabilities: { drop: ["ALL"] } }\` to every container, and remove every \`capabilities.add\` entry other than \`NET_BIND_SERVICE\`. ${POD_FIELD_HINT}`,
        url: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
        onUnknown: POD_RULE_ON_UNKNOWN,
    },
    (pod) => {
        const issues: PodIssue[] = [];
        for (const c of pod.containers) {
            const base = `${c.path}.securityContext.capabilities`;
            const drop = get(c.container, "securityContext", "capabilities", "drop");
            if (drop !== UNKNOWN && !(Array.isArray(drop) && (drop.includes("ALL") || drop.includes(UNKNOWN)))) {
                issues.push({ path: `${base}.drop`, message: 'does not contain "ALL"; the container keeps the runtime\'s default capabilities' });
            }
            const add = get(c.container, "securityContext", "capabilities", "add");
            if (Array.isArray(add)) {
                add.forEach((cap, i) => {
                    if (cap !== UNKNOWN && cap !== ALLOWED_ADD) issues.push({ path: `${base}.add[${i}]`, message: `adds capability ${String(cap)}; only ${ALLOWED_ADD} may be added` });
                });
            }
        }
        return issues;
    },
);
