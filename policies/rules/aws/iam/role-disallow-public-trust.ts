import * as aws from "@pulumi/aws";
import { type Finding, resourceRule, UNKNOWN } from "../../../framework/rule";
import { parsePolicy } from "../../../framework/values";
import { exposureText, statementExposure, statementLabel } from "../principals";

export const iamRoleDisallowPublicTrust = resourceRule({
    name: "aws-iam-role-disallow-public-trust",
    description:
        "IAM role trust policies must not let everyone (Principal \"*\", {\"AWS\": \"*\"} or an Allow with NotPrincipal) assume the role unless a Condition restricts the statement to an account, organisation, network or principal ARN. Such a role can be assumed from any AWS account in the world.",
    clauses: ["DP-1", "P6"],
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Name the trusted account, role or service in `Principal`, or restrict the statement with a Condition such as `aws:PrincipalOrgID`, `aws:PrincipalAccount` or `aws:PrincipalArn` (with specific values). `sts:ExternalId` alone does not restrict who may assume a role trusted to everyone.",
    url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#term_trust-policy",
    classes: [aws.iam.Role],
    onUnknown: "A trust policy that is unknown at preview, or a statement whose Effect, Principal or restricting Condition is unknown, is reported as decided at update (advisory aiguard-undecided-at-preview), never passed silently.",
    check: (r) => {
        const parsed = parsePolicy(r.props.assumeRolePolicy);
        if (!parsed.ok) return parsed.unknown ? [{ undecided: true, message: `trust policy of role "${r.name}" is not known yet` }] : [{ message: `trust policy of role "${r.name}" cannot be read: ${parsed.error}` }];
        const findings: Finding[] = [];
        parsed.statements.forEach((s, i) => {
            const e = statementExposure(s);
            if (e === UNKNOWN) findings.push({ undecided: true, message: `trust policy of role "${r.name}": whether ${statementLabel(s, i)} lets everyone assume it depends on values not known yet` });
            else if (e.public) findings.push({ message: `trust policy of role "${r.name}" ${exposureText(e, "lets", "assume it")} (${statementLabel(s, i)})` });
        });
        return findings;
    },
});
