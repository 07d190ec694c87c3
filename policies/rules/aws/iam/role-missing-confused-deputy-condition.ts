import * as aws from "@pulumi/aws";
import { eachInScope } from "../ai-assets";
import { type Finding, UNKNOWN, stackRule } from "../../../framework/rule";
import { parsePolicy } from "../../../framework/values";
import { conditionKeys, servicePrincipals } from "../principals";

/** Condition keys that bind a service's use of the role to this account, resource or organisation. */
export const CONFUSED_DEPUTY_KEYS: readonly string[] = ["aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID"];
const KEYS = new Set(CONFUSED_DEPUTY_KEYS.map((k) => k.toLowerCase()));

/**
 * Service principals that cannot be confused deputies for a role and do not send the keys above:
 * EC2 assumes instance-profile roles only for instances a principal of this account launched with
 * iam:PassRole, and a condition on a key EC2 does not send would stop the instances (e.g. EKS
 * nodes) from getting credentials at all.
 */
export const SERVICES_WITHOUT_DEPUTY_KEYS: ReadonlySet<string> = new Set(["ec2.amazonaws.com", "ec2.amazonaws.com.cn"]);

export const iamRoleMissingConfusedDeputyCondition = stackRule({
    name: "aws-iam-role-missing-confused-deputy-condition",
    description:
        "Trust policies of AI roles that trust an AWS service must restrict it with aws:SourceAccount, aws:SourceArn or aws:SourceOrgID. Without such a condition another customer can make the service act with this role (the confused-deputy problem). EC2 instance-profile trust (ec2.amazonaws.com) is exempt: only this account can attach the role, through iam:PassRole, and EC2 does not send these keys.",
    clauses: ["DP-1", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Add `Condition: { StringEquals: { \"aws:SourceAccount\": \"<account-id>\" } }` (and, where the service supports it, `ArnLike: { \"aws:SourceArn\": \"arn:aws:sagemaker:<region>:<account-id>:*\" }`) to every statement that trusts a service principal. For a service that does not send these keys, record an exemption with the justification.",
    url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
    settings: ["scope", "assetKindTagKey"],
    judges: [aws.iam.Role],
    onUnknown: "Skips the check when the role's tags or trust policy are unknown, and any statement whose Effect, Principal or Condition is unknown; the pack re-runs at update time when the values are known.",
    check: (resources, { settings }) =>
        eachInScope(resources, settings, [aws.iam.Role], (r, ai) => {
        const parsed = parsePolicy(r.props.assumeRolePolicy);
        if (!parsed.ok) return parsed.unknown ? [] : [{ message: `trust policy of ${ai ? "AI " : ""}role "${r.name}" cannot be read: ${parsed.error}` }];
        const findings: Finding[] = [];
        parsed.statements.forEach((s, i) => {
            if (s.effectUnknown || s.effect !== "Allow") return;
            const all = servicePrincipals(s.principal);
            if (all === UNKNOWN) return;
            const services = all.filter((p) => !SERVICES_WITHOUT_DEPUTY_KEYS.has(p));
            if (services.length === 0) return;
            const keys = conditionKeys(s.condition);
            if (keys === UNKNOWN || [...keys].some((k) => KEYS.has(k))) return;
            const where = s.sid ? `statement "${s.sid}"` : `statement #${i + 1}`;
            findings.push({ message: `trust policy of ${ai ? "AI " : ""}role "${r.name}" trusts ${services.join(", ")} without aws:SourceAccount, aws:SourceArn or aws:SourceOrgID (${where})` });
        });
        return findings;
        }),
});
