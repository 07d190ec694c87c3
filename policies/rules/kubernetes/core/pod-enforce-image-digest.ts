/** Model workloads must reference every container image by digest. */
import { digestProblem } from "../../../framework/images";
import { podRule, POD_FIELD_HINT, POD_RULE_ON_UNKNOWN, type PodIssue } from "../model-workloads";

export const kubernetesPodEnforceImageDigest = podRule(
    {
        name: "kubernetes-core-pod-enforce-image-digest",
        description:
            "Every container, init container and ephemeral container of a workload in a model namespace must reference its image by SHA-256 digest (`name@sha256:<64 hex>`). Tags are mutable, so only a digest ties the running code to the image that was scanned and signed.",
        clauses: ["DP-2", "DV-3", "DV-1", "P8", "P7"],
        severity: "high",
        enforcementLevel: "mandatory",
        remediationSteps: `Replace each \`image: repo:tag\` with \`image: repo@sha256:<digest>\` (resolve it with \`crane digest repo:tag\` or from the ECR push output). ${POD_FIELD_HINT}`,
        url: "https://kubernetes.io/docs/concepts/containers/images/#image-names",
        onUnknown: POD_RULE_ON_UNKNOWN,
    },
    (pod) => {
        const issues: PodIssue[] = [];
        for (const c of pod.containers) {
            const problem = digestProblem(c.container.image);
            if (problem) issues.push({ path: `${c.path}.image`, message: problem });
        }
        return issues;
    },
);
