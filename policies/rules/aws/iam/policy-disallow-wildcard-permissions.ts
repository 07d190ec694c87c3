import * as aws from "@pulumi/aws";
import { type Finding, isOf, resourceRule } from "../../../framework/rule";
import { isAiResource } from "../../../framework/values";
import { grantFindings, inlinePolicies } from "./documents";

export const iamPolicyDisallowWildcardPermissions = resourceRule({
    name: "aws-iam-policy-disallow-wildcard-permissions",
    description:
        "IAM policies and inline role policies of AI resources must not allow every action, a whole service's actions on every resource, or everything except a list (NotAction/NotResource with Allow). Least privilege keeps a compromised training job or endpoint from reaching other models, data or accounts.",
    clauses: ["DP-1", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "List the specific actions the workload needs (e.g. `s3:GetObject`, `s3:PutObject`) and scope `Resource` to the ARNs of its buckets, keys and models; replace NotAction/NotResource with explicit lists. Specific actions that only support `Resource: \"*\"` (such as `ecr:GetAuthorizationToken`) are allowed.",
    url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
    settings: ["assetKindTagKey"],
    classes: [aws.iam.Policy, aws.iam.Role],
    onUnknown:
        "Skips the check when the resource's tags are unknown, and skips each statement whose Effect, Action or Resource is unknown (a document that is unknown as a whole is skipped); the pack re-runs at update time when the values are known.",
    check: (r, { settings }) => {
        if (isAiResource(r.props, settings) !== true) return [];
        if (isOf(r, aws.iam.Policy)) return grantFindings(r.props.policy, `IAM policy "${r.name}"`);
        const findings: Finding[] = [];
        for (const p of inlinePolicies(r.props)) findings.push(...grantFindings(p.policy, `inline policy "${p.name}" of role "${r.name}"`));
        return findings;
    },
});
