import * as aws from "@pulumi/aws";
import { UNKNOWN, type Finding, type RuleResource, stackRule } from "../../../framework/rule";
import { byType, isAiResource } from "../../../framework/values";
import { attachmentsByRole, roleLabel } from "./attachments";
import { grantFindings, IamTypes, principalNames } from "./documents";

function names(resources: readonly RuleResource[] | undefined, ai: (r: RuleResource) => boolean): Map<string, RuleResource> {
    const m = new Map<string, RuleResource>();
    for (const r of resources ?? []) if (ai(r)) for (const n of principalNames(r)) m.set(n, r);
    return m;
}

export const iamRoleDisallowWildcardPermissions = stackRule({
    judges: [aws.iam.Role, aws.iam.User],
    name: "aws-iam-role-disallow-wildcard-permissions",
    description:
        "Policies given to AI roles and users through separate resources (RolePolicy, UserPolicy, or a customer-managed Policy attached to them) must not allow every action, a whole service's actions on every resource, or NotAction/NotResource with Allow. The AI principal's tags decide, because those policy resources carry none of their own.",
    clauses: ["DP-1", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Scope each statement to the specific actions and resource ARNs the AI workload needs; replace NotAction/NotResource with explicit lists. Specific actions that only support `Resource: \"*\"` (such as `ecr:GetAuthorizationToken`) are allowed.",
    url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
    settings: ["assetKindTagKey"],
    onUnknown:
        "Skips principals whose tags or names are unknown, policy resources whose role, user or policy ARN is unknown, and statements whose Effect, Action or Resource is unknown; the pack re-runs at update time when the values are known.",
    check: (resources, { settings }) => {
        const index = byType(resources);
        const ai = (r: RuleResource) => isAiResource(r.props, settings) === true;
        const roles = names(index.get(IamTypes.role), ai);
        const users = names(index.get(IamTypes.user), ai);
        const findings: Finding[] = [];
        for (const p of index.get(IamTypes.rolePolicy) ?? []) {
            const role = typeof p.props.role === "string" ? roles.get(p.props.role) : undefined;
            if (role) findings.push(...grantFindings(p.props.policy, `role policy "${p.name}" of AI role "${roleLabel(role)}"`, p.urn));
        }
        for (const p of index.get(IamTypes.userPolicy) ?? []) {
            const user = typeof p.props.user === "string" ? users.get(p.props.user) : undefined;
            if (user) findings.push(...grantFindings(p.props.policy, `user policy "${p.name}" of AI user "${roleLabel(user)}"`, p.urn));
        }
        // Customer-managed policies by ARN; tagged AI policies are judged by aws-iam-policy-disallow-wildcard-permissions.
        const policies = new Map<string, RuleResource>();
        for (const p of index.get(IamTypes.policy) ?? []) {
            if (typeof p.props.arn === "string" && isAiResource(p.props, settings) === false) policies.set(p.props.arn, p);
        }
        const reported = new Set<string>();
        const judge = (policyArn: string, holder: string) => {
            const policy = policies.get(policyArn);
            const key = `${policyArn}|${holder}`;
            if (!policy || reported.has(key)) return;
            reported.add(key);
            findings.push(...grantFindings(policy.props.policy, `IAM policy "${policy.name}" attached to ${holder}`, policy.urn));
        };
        const byRole = attachmentsByRole(index);
        for (const [name, role] of roles) for (const a of byRole.get(name) ?? []) judge(a.policyArn, `AI role "${roleLabel(role)}"`);
        for (const a of index.get(IamTypes.userPolicyAttachment) ?? []) {
            const user = typeof a.props.user === "string" ? users.get(a.props.user) : undefined;
            if (user && a.props.policyArn !== UNKNOWN && typeof a.props.policyArn === "string") judge(a.props.policyArn, `AI user "${roleLabel(user)}"`);
        }
        return findings;
    },
});
