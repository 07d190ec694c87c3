/** Model workloads may only run images from the allowed registries. */
import { registryProblem } from "../../../framework/images";
import { podRule, POD_FIELD_HINT, POD_RULE_ON_UNKNOWN, type PodIssue } from "../model-workloads";

export const kubernetesPodDisallowUnapprovedRegistry = podRule(
    {
        name: "kubernetes-core-pod-disallow-unapproved-registry",
        description:
            "Every container, init container and ephemeral container of a workload in a model namespace must pull its image from a registry listed in `allowedRegistries`. Matching is anchored and `*` never crosses a `.` in the host or a `/` in the path, so a look-alike such as `evil.com/123.dkr.ecr...` is rejected.",
        clauses: ["DV-1", "P7"],
        severity: "high",
        enforcementLevel: "mandatory",
        settings: ["allowedRegistries"],
        remediationSteps: `Mirror the image into an approved registry (by default a private ECR registry, \`*.dkr.ecr.*.amazonaws.com\`) and reference it there, or add the registry host (optionally with a path prefix) to the rule's \`allowedRegistries\` after vetting it. ${POD_FIELD_HINT}`,
        url: "https://kubernetes.io/docs/concepts/containers/images/#image-names",
        onUnknown: POD_RULE_ON_UNKNOWN,
    },
    (pod, ctx) => {
        const issues: PodIssue[] = [];
        for (const c of pod.containers) {
            const problem = registryProblem(c.container.image, ctx.settings.allowedRegistries);
            if (problem) issues.push({ path: `${c.path}.image`, message: problem });
        }
        return issues;
    },
);
