import * as aws from "@pulumi/aws";
import { resourceRule } from "../../../framework/rule";
import { publicPolicyFindings } from "../principals";

/** KMS's own key that binds a caller to an account. */
const KMS_KEYS: ReadonlySet<string> = new Set(["kms:calleraccount"]);

export const kmsKeyDisallowPublicPrincipal = resourceRule({
    name: "aws-kms-key-disallow-public-principal",
    description:
        "KMS key policies must not allow everyone (Principal \"*\", {\"AWS\": \"*\"} or an Allow with NotPrincipal) unless a Condition restricts the statement to an account, organisation, VPC or endpoint (aws:PrincipalOrgID, aws:PrincipalAccount, kms:CallerAccount, aws:SourceVpce, ...). An unrestricted wildcard grant lets any AWS account use or manage the key that protects AI assets.",
    clauses: ["DP-1", "DV-2", "P5", "P6"],
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Name the account root or specific role ARNs as principals, or add a Condition such as `StringEquals: { \"kms:CallerAccount\": \"<account-id>\" }` or `StringEquals: { \"aws:PrincipalOrgID\": \"o-...\" }` to the statement. Conditions on other keys (aws:SecureTransport, kms:ViaService alone) do not restrict who calls. Deny statements with `*` are fine.",
    url: "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html",
    classes: [aws.kms.Key, aws.kms.KeyPolicy],
    onUnknown:
        "A key policy that is unknown at preview, or a statement whose Effect, Principal or restricting Condition is unknown, is reported as decided at update (advisory aiguard-undecided-at-preview), never passed silently; known statements are judged.",
    check: (r) => publicPolicyFindings(r.props.policy, `KMS key policy of "${r.name}"`, undefined, KMS_KEYS),
});
