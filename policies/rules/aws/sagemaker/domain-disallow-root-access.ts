/** SageMaker domain users must not get root-equivalent access. */
import * as aws from "@pulumi/aws";
import { type Finding, UNKNOWN, resourceRule } from "../../../framework/rule";
import { get } from "../../../framework/values";

export const sagemakerDomainDisallowRootAccess = resourceRule({
    name: "aws-sagemaker-domain-disallow-root-access",
    description:
        "SageMaker domains must not give users root-equivalent access: `domainSettings.dockerSettings.enableDockerAccess` must not be `ENABLED` (Docker access is root on the app host) and `defaultUserSettings.customPosixUserConfig` must not use uid or gid 0.",
    clauses: ["DP-1", "SD-3", "P6", "P2"],
    severity: "high",
    enforcementLevel: "mandatory",
    classes: [aws.sagemaker.Domain],
    remediationSteps: 'Remove `domainSettings.dockerSettings` or set `enableDockerAccess: "DISABLED"`; give `customPosixUserConfig` a non-zero `uid` and `gid` (or remove it).',
    url: "https://docs.aws.amazon.com/sagemaker/latest/dg/studio-updated-local.html",
    onUnknown: "Reports nothing for `enableDockerAccess`, `uid` or `gid` when that value is unknown at preview; the others are still checked, and all are checked again at update.",
    check({ props }): Finding[] {
        const findings: Finding[] = [];
        const docker = get(props, "domainSettings", "dockerSettings", "enableDockerAccess");
        if (docker === "ENABLED") findings.push({ message: "domainSettings.dockerSettings.enableDockerAccess is ENABLED; Docker access gives users root on the app host" });
        for (const id of ["uid", "gid"] as const) {
            const v = get(props, "defaultUserSettings", "customPosixUserConfig", id);
            if (v !== UNKNOWN && v === 0) findings.push({ message: `defaultUserSettings.customPosixUserConfig.${id} is 0 (root)` });
        }
        return findings;
    },
});
