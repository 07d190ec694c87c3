import * as aws from "@pulumi/aws";
import { type Finding, resourceRule } from "../../../framework/rule";
import { parsePolicy } from "../../../framework/values";
import { isConditioned, isEveryone } from "../principals";

export const iamRoleDisallowPublicTrust = resourceRule({
    name: "aws-iam-role-disallow-public-trust",
    description:
        "IAM role trust policies must not let everyone (Principal \"*\" or {\"AWS\": \"*\"}) assume the role without a Condition. Such a role can be assumed from any AWS account in the world.",
    clauses: ["DP-1", "P6"],
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Name the trusted account, role or service in `Principal`, or restrict the statement with a Condition such as `aws:PrincipalOrgID`, `aws:PrincipalAccount` or `sts:ExternalId`.",
    url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#term_trust-policy",
    classes: [aws.iam.Role],
    onUnknown: "Skips the trust policy when it is unknown, and any statement whose Effect, Principal or Condition is unknown; the pack re-runs at update time when the values are known.",
    check: (r) => {
        const parsed = parsePolicy(r.props.assumeRolePolicy);
        if (!parsed.ok) return parsed.unknown ? [] : [{ message: `trust policy of role "${r.name}" cannot be read: ${parsed.error}` }];
        const findings: Finding[] = [];
        parsed.statements.forEach((s, i) => {
            if (s.effectUnknown || s.effect !== "Allow") return;
            if (isEveryone(s.principal) === true && !isConditioned(s.condition)) {
                findings.push({ message: `trust policy of role "${r.name}" lets everyone assume it without a Condition (${s.sid ? `statement "${s.sid}"` : `statement #${i + 1}`})` });
            }
        });
        return findings;
    },
});
