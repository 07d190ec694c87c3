/** EKS clusters must run a supported Kubernetes version. */
import * as aws from "@pulumi/aws";
import { resourceRule } from "../../../framework/rule";
import { knownString, skipsWhenUnknown } from "../../../framework/values";

/*
 * The oldest accepted minor version is the `minimumEksVersion` setting, default 1.32: per the Amazon
 * EKS release calendar, 1.32 (released January 2025) is in extended support until March 2027, while
 * 1.31 and older reach the end of all support by late 2026. Raise the default as the calendar moves.
 */

/** Parses `"1.32"` (or `"1.32.x"`); `undefined` if not a version. */
export function parseVersion(v: string): { major: number; minor: number } | undefined {
    const m = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(v.trim());
    return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

export const eksClusterEnforceSupportedVersion = resourceRule({
    name: "aws-eks-cluster-enforce-supported-version",
    description: `EKS clusters must run Kubernetes at or above the configured minimum version (setting \`minimumEksVersion\`, default 1.32), a version that still receives security patches. Omitting \`version\` is accepted: EKS then creates the cluster with its current default version.`,
    clauses: ["OM-3", "P11"],
    severity: "medium",
    enforcementLevel: "mandatory",
    classes: [aws.eks.Cluster],
    remediationSteps: `Upgrade the cluster one minor version at a time to the configured minimum version or newer (\`version\`), upgrading add-ons and node groups after each step.`,
    url: "https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html",
    onUnknown: skipsWhenUnknown("`version`"),
    settings: ["minimumEksVersion"],
    check({ props }, { settings }) {
        const v = knownString(props.version);
        if (typeof v !== "string") return [];
        const parsed = parseVersion(v);
        if (!parsed) return [{ message: `version "${v}" is not a Kubernetes version (expected e.g. "1.33")` }];
        const min = parseVersion(settings.minimumEksVersion);
        if (!min) return [{ message: `setting minimumEksVersion "${settings.minimumEksVersion}" is not a major.minor version; fix the policy config` }];
        const { major, minor } = min;
        if (parsed.major > major || (parsed.major === major && parsed.minor >= minor)) return [];
        return [{ message: `version ${v} is older than the minimum supported ${major}.${minor}` }];
    },
});
