import * as aws from "@pulumi/aws";
import { type Finding, resourceRule } from "../../../framework/rule";
import { parsePolicy } from "../../../framework/values";
import { isConditioned, isEveryone } from "../principals";

export const kmsKeyDisallowPublicPrincipal = resourceRule({
    name: "aws-kms-key-disallow-public-principal",
    description:
        "KMS key policies must not allow everyone (Principal \"*\" or {\"AWS\": \"*\"}) unless the statement is restricted by a Condition. An unconditioned wildcard grant lets any AWS account use or manage the key that protects AI assets.",
    clauses: ["DP-1", "DV-2", "P5", "P6"],
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Name the account root or specific role ARNs as principals, or add a Condition such as `StringEquals: { \"kms:CallerAccount\": \"<account-id>\" }` or `aws:PrincipalOrgID` to the statement. Deny statements with `*` are fine.",
    url: "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html",
    classes: [aws.kms.Key, aws.kms.KeyPolicy],
    onUnknown:
        "Skips the key policy when the document, or a statement's Effect, Principal or Condition, is unknown; the pack re-runs at update time when the values are known.",
    check: (r) => {
        if (r.props.policy === undefined) return [];
        const parsed = parsePolicy(r.props.policy);
        if (!parsed.ok) return parsed.unknown ? [] : [{ message: `KMS key policy of "${r.name}" cannot be read: ${parsed.error}` }];
        const findings: Finding[] = [];
        parsed.statements.forEach((s, i) => {
            if (s.effectUnknown || s.effect !== "Allow") return;
            if (isEveryone(s.principal) !== true || isConditioned(s.condition)) return;
            findings.push({ message: `KMS key policy of "${r.name}" allows everyone without a Condition in statement ${s.sid ?? `#${i + 1}`}` });
        });
        return findings;
    },
});
