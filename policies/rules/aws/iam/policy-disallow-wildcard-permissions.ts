import * as aws from "@pulumi/aws";
import { eachInScope } from "../ai-assets";
import { type Finding, isOf, stackRule } from "../../../framework/rule";
import { grantFindings, inlinePolicies } from "./documents";

export const iamPolicyDisallowWildcardPermissions = stackRule({
    name: "aws-iam-policy-disallow-wildcard-permissions",
    description:
        "IAM policies and inline role policies in scope (by default all of them) must not allow every action, a whole service's actions on every resource, or everything except a list (NotAction/NotResource with Allow). Least privilege keeps a compromised training job or endpoint from reaching other models, data or accounts.",
    clauses: ["DP-1", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "List the specific actions the workload needs (e.g. `s3:GetObject`, `s3:PutObject`) and scope `Resource` to the ARNs of its buckets, keys and models; replace NotAction/NotResource with explicit lists. Specific actions that only support `Resource: \"*\"` (such as `ecr:GetAuthorizationToken`) are allowed.",
    url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
    settings: ["scope", "assetKindTagKey"],
    judges: [aws.iam.Policy, aws.iam.Role],
    onUnknown:
        "Skips each statement whose Effect, Action or Resource is unknown (a document that is unknown as a whole is skipped); the pack re-runs at update time when the values are known.",
    check: (resources, { settings }) =>
        eachInScope(resources, settings, [aws.iam.Policy, aws.iam.Role], (r) => {
        if (isOf(r, aws.iam.Policy)) return grantFindings(r.props.policy, `IAM policy "${r.name}"`);
        const findings: Finding[] = [];
        for (const p of inlinePolicies(r.props)) findings.push(...grantFindings(p.policy, `inline policy "${p.name}" of role "${r.name}"`));
        return findings;
        }),
});
