/** SageMaker domain users' apps must run with explicit security groups. */
import * as aws from "@pulumi/aws";
import { UNKNOWN, resourceRule } from "../../../framework/rule";
import { get } from "../../../framework/values";
import { skipsWhenUnknown } from "../../../framework/values";

export const sagemakerDomainMissingSecurityGroups = resourceRule({
    name: "aws-sagemaker-domain-missing-security-groups",
    description:
        "SageMaker domains must list at least one security group in `defaultUserSettings.securityGroups`, so every user's Studio apps in the VPC get a group that limits what they can reach instead of the VPC's default security group.",
    clauses: ["DP-1", "P6"],
    severity: "medium",
    enforcementLevel: "mandatory",
    classes: [aws.sagemaker.Domain],
    remediationSteps: "Set `defaultUserSettings.securityGroups` to a security group that allows only the egress Studio needs (VPC endpoints, package mirror).",
    url: "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UserSettings.html#sagemaker-Type-UserSettings-SecurityGroups",
    onUnknown: skipsWhenUnknown("`defaultUserSettings.securityGroups`"),
    check({ props }) {
        const groups = get(props, "defaultUserSettings", "securityGroups");
        if (groups === UNKNOWN || (Array.isArray(groups) && groups.length > 0)) return [];
        return [{ message: "defaultUserSettings.securityGroups is empty; users' apps get the VPC's default security group" }];
    },
});
