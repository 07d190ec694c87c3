import * as aws from "@pulumi/aws";
import { type Finding, type RuleResource, stackRule } from "../../../framework/rule";
import { ReferenceIndex } from "../../../framework/references";
import { byType } from "../../../framework/values";
import { awsAssetFacts } from "../ai-assets";
import { attachmentsByRole, roleLabel } from "./attachments";
import { grantFindings, IamTypes } from "./documents";

export const iamRoleDisallowWildcardPermissions = stackRule({
    judges: [aws.iam.Role, aws.iam.User],
    name: "aws-iam-role-disallow-wildcard-permissions",
    description:
        "Policies given to roles and users in scope (by default every role and user) through separate resources (RolePolicy, UserPolicy, or a customer-managed Policy attached to them) must not allow every action, a whole service's actions on every resource, or NotAction/NotResource with Allow. The principal decides, because those policy resources carry no tags of their own.",
    clauses: ["DP-1", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Scope each statement to the specific actions and resource ARNs the AI workload needs; replace NotAction/NotResource with explicit lists. Specific actions that only support `Resource: \"*\"` (such as `ecr:GetAuthorizationToken`) are allowed.",
    url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
    settings: ["scope", "assetKindTagKey"],
    onUnknown:
        "Joins policy resources to their role, user and policy by value or, at a first preview, by the engine's dependency URNs; statements whose Effect, Action or Resource is unknown are skipped (the pack re-runs at update time when the values are known).",
    check: (resources, { settings }) => {
        const index = byType(resources);
        const facts = awsAssetFacts(resources, settings);
        const label = (r: RuleResource, kind: string) => `${facts.assets.has(r.urn) ? "AI " : ""}${kind} "${roleLabel(r)}"`;
        const roles = new ReferenceIndex((index.get(IamTypes.role) ?? []).filter(facts.inScope), ["name", "id", "arn"]);
        const users = new ReferenceIndex((index.get(IamTypes.user) ?? []).filter(facts.inScope), ["name", "id", "arn"]);
        const findings: Finding[] = [];
        for (const p of index.get(IamTypes.rolePolicy) ?? []) {
            for (const role of roles.resolve(p, "role").targets) findings.push(...grantFindings(p.props.policy, `role policy "${p.name}" of ${label(role, "role")}`, p.urn));
        }
        for (const p of index.get(IamTypes.userPolicy) ?? []) {
            for (const user of users.resolve(p, "user").targets) findings.push(...grantFindings(p.props.policy, `user policy "${p.name}" of ${label(user, "user")}`, p.urn));
        }
        // Customer-managed policies attached to principals in scope; a policy that is itself an AI
        // asset by tag is judged by aws-iam-policy-disallow-wildcard-permissions.
        const reported = new Set<string>();
        const judge = (policy: RuleResource | undefined, holder: string) => {
            if (!policy || facts.assets.get(policy.urn)?.how === "tag") return;
            const key = `${policy.urn}|${holder}`;
            if (reported.has(key)) return;
            reported.add(key);
            findings.push(...grantFindings(policy.props.policy, `IAM policy "${policy.name}" attached to ${holder}`, policy.urn));
        };
        const byRole = attachmentsByRole(index);
        for (const role of roles.candidates) for (const a of byRole.get(role.urn) ?? []) judge(a.policy, label(role, "role"));
        const policies = new ReferenceIndex(index.get(IamTypes.policy) ?? [], ["arn", "id"]);
        for (const a of index.get(IamTypes.userPolicyAttachment) ?? []) {
            for (const user of users.resolve(a, "user").targets) for (const policy of policies.resolve(a, "policyArn").targets) judge(policy, label(user, "user"));
        }
        return findings;
    },
});
