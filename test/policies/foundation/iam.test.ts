import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../../policies/framework/rule";
import { iamPolicyDisallowWildcardPermissions } from "../../../policies/rules/aws/iam/policy-disallow-wildcard-permissions";
import { iamRoleDisallowAdminPolicies } from "../../../policies/rules/aws/iam/role-disallow-admin-policies";
import { iamRoleDisallowPublicTrust } from "../../../policies/rules/aws/iam/role-disallow-public-trust";
import { iamRoleDisallowWildcardPermissions } from "../../../policies/rules/aws/iam/role-disallow-wildcard-permissions";
import { iamRoleMissingConfusedDeputyCondition } from "../../../policies/rules/aws/iam/role-missing-confused-deputy-condition";
import { TagKeys } from "../../../common/conventions";
import { DEFAULT_SETTINGS } from "../../../common/settings";
import { aiTags, expectFindings, named, res, run, urnOf, type Res } from "../support";

const T = {
    role: "aws:iam/role:Role",
    policy: "aws:iam/policy:Policy",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    policyAttachment: "aws:iam/policyAttachment:PolicyAttachment",
};
const ACCOUNT = "123456789012";
const trust = (statement: Record<string, unknown>) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
const sagemakerTrust = { Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } };
const scoped = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: "arn:aws:s3:::models-a1/*" }, { Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" }] };

/** The web tier's deploy role: declared out of scope, with its justification. */
const WEB_OUT_OF_SCOPE = { [TagKeys.scope]: "excluded", [TagKeys.scopeJustification]: "Web tier deploy role, reviewed by the web platform team (SEC-88)" };

function role(props: Record<string, unknown> = {}): Res {
    return res(T.role, "training", { name: "training-role", id: "training-role", assumeRolePolicy: trust(sagemakerTrust), tags: aiTags("role"), inlinePolicies: [{ name: "data", policy: JSON.stringify(scoped) }], ...props });
}

/** An AI role with an inline RolePolicy and an attached customer-managed policy, all least-privilege. */
function stack(): Res[] {
    return [
        role(),
        res(T.rolePolicy, "training-inline", { role: "training-role", policy: JSON.stringify(scoped) }),
        res(T.policy, "training-access", { arn: `arn:aws:iam::${ACCOUNT}:policy/training-access`, policy: JSON.stringify(scoped), tags: {} }),
        res(T.attachment, "training-access-attach", { role: "training-role", policyArn: `arn:aws:iam::${ACCOUNT}:policy/training-access` }),
        res(T.role, "web", { name: "web-role", id: "web-role", tags: WEB_OUT_OF_SCOPE, managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] }),
    ];
}
const AI_ONLY = { ...DEFAULT_SETTINGS, scope: "ai-assets" as const };
const wild = (statement: Record<string, unknown>) => JSON.stringify({ Statement: [statement] });

describe("aws-iam-policy-disallow-wildcard-permissions", () => {
    const policy = (doc: unknown, tags: unknown = aiTags("role")) => res(T.policy, "p", { policy: doc, tags });
    it("passes scoped documents on AI policies and roles", () => {
        expect(run(iamPolicyDisallowWildcardPermissions, policy(JSON.stringify(scoped)))).toEqual([]);
        expect(run(iamPolicyDisallowWildcardPermissions, role())).toEqual([]);
    });
    it.each([
        ["Action *", { Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::x" }, 'statement #1 allows Action "*"'],
        ["service-wide on *", { Sid: "S3", Effect: "Allow", Action: ["s3:*"], Resource: "*" }, 'statement "S3" allows s3:* on Resource "*"'],
        ["NotAction with Allow", { Effect: "Allow", NotAction: "iam:*", Resource: "*" }, "statement #1 uses NotAction with Allow"],
        ["NotResource with Allow", { Effect: "Allow", Action: "s3:GetObject", NotResource: "arn:aws:s3:::x" }, "statement #1 uses NotResource with Allow"],
    ])("flags %s", (_t, statement, message) => {
        expectFindings(run(iamPolicyDisallowWildcardPermissions, policy(wild(statement))), [{ message: `IAM policy "p": ${message}` }]);
    });
    it("flags an AI role's inline policy", () => {
        const r = role({ inlinePolicies: [{ name: "admin", policy: wild({ Effect: "Allow", Action: "kms:*", Resource: "*" }) }] });
        expectFindings(run(iamPolicyDisallowWildcardPermissions, r), [{ message: 'inline policy "admin" of role "training": statement #1 allows kms:* on Resource "*"' }]);
    });
    it("allows service-wide actions on specific resources, Deny with *, and non-AI policies", () => {
        expect(run(iamPolicyDisallowWildcardPermissions, policy(wild({ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::models-a1/*" })))).toEqual([]);
        expect(run(iamPolicyDisallowWildcardPermissions, policy(wild({ Effect: "Deny", Action: "*", Resource: "*" })))).toEqual([]);
        // An untagged policy is judged by default (scope "all"), and only AI assets under scope "ai-assets".
        expectFindings(run(iamPolicyDisallowWildcardPermissions, policy(wild({ Effect: "Allow", Action: "*", Resource: "*" }), {})), [{ message: 'IAM policy "p": statement #1 allows Action "*"' }]);
        expect(run(iamPolicyDisallowWildcardPermissions, policy(wild({ Effect: "Allow", Action: "*", Resource: "*" }), {}), AI_ONLY)).toEqual([]);
    });
    it("skips unknowns", () => {
        expect(run(iamPolicyDisallowWildcardPermissions, policy(UNKNOWN))).toEqual([]);
        // Unknown tags do not hide a wildcard: the policy is judged all the same.
        expectFindings(run(iamPolicyDisallowWildcardPermissions, policy(wild({ Effect: "Allow", Action: "*" }), UNKNOWN)), [{ message: 'statement #1 allows Action "*"' }]);
        expect(run(iamPolicyDisallowWildcardPermissions, policy({ Statement: [{ Effect: "Allow", Action: "s3:*", Resource: UNKNOWN }] }))).toEqual([]);
        expect(run(iamPolicyDisallowWildcardPermissions, role({ inlinePolicies: UNKNOWN }))).toEqual([]);
    });
});

describe("aws-iam-role-disallow-wildcard-permissions", () => {
    it("passes least-privilege policies on AI roles", () => expect(run(iamRoleDisallowWildcardPermissions, stack())).toEqual([]));
    it("flags a wildcard RolePolicy of an AI role on the RolePolicy", () => {
        const s = stack();
        named(s)["training-inline"]!.props.policy = wild({ Effect: "Allow", Action: "*", Resource: "*" });
        expectFindings(run(iamRoleDisallowWildcardPermissions, s), [{ message: 'role policy "training-inline" of AI role "training-role": statement #1 allows Action "*"', urn: urnOf(T.rolePolicy, "training-inline") }]);
    });
    it("flags an untagged customer policy attached to an AI role on the policy", () => {
        const s = stack();
        named(s)["training-access"]!.props.policy = wild({ Effect: "Allow", Action: "sagemaker:*", Resource: "*" });
        expectFindings(run(iamRoleDisallowWildcardPermissions, s), [{ message: 'IAM policy "training-access" attached to AI role "training-role": statement #1 allows sagemaker:* on Resource "*"', urn: urnOf(T.policy, "training-access") }]);
    });
    it("judges untagged roles by default; under scope ai-assets only AI roles (tagged, or trusted by an AI service)", () => {
        const s = stack();
        named(s)["training-inline"]!.props.policy = wild({ Effect: "Allow", Action: "*", Resource: "*" });
        named(s).training!.props.tags = {};
        expect(run(iamRoleDisallowWildcardPermissions, s)).toHaveLength(1);
        // Still an AI role under ai-assets: SageMaker assumes it.
        expect(run(iamRoleDisallowWildcardPermissions, s, AI_ONLY)).toHaveLength(1);
        named(s).training!.props.assumeRolePolicy = trust({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" });
        expect(run(iamRoleDisallowWildcardPermissions, s, AI_ONLY)).toEqual([]);
    });
    it("joins a RolePolicy whose role is unknown at preview by the engine's dependency URNs", () => {
        const s = stack();
        const inline = named(s)["training-inline"]! as Res & { propertyDependencies?: Record<string, string[]> };
        inline.props.policy = wild({ Effect: "Allow", Action: "*", Resource: "*" });
        inline.props.role = UNKNOWN;
        inline.propertyDependencies = { role: [urnOf(T.role, "training")] };
        expectFindings(run(iamRoleDisallowWildcardPermissions, s), [{ message: 'role policy "training-inline" of AI role "training-role"', urn: urnOf(T.rolePolicy, "training-inline") }]);
    });
    it("skips unknown role names and documents", () => {
        const s = stack();
        named(s)["training-inline"]!.props.role = UNKNOWN;
        named(s)["training-access"]!.props.policy = UNKNOWN;
        expect(run(iamRoleDisallowWildcardPermissions, s)).toEqual([]);
    });
});

describe("aws-iam-role-disallow-admin-policies", () => {
    it("passes when roles in scope hold only customer policies (the web role with AdministratorAccess is declared out of scope)", () => expect(run(iamRoleDisallowAdminPolicies, stack())).toEqual([]));
    it("judges an untagged role by default", () => {
        const s = stack();
        named(s).web!.props.tags = {};
        expectFindings(run(iamRoleDisallowAdminPolicies, s), [{ message: 'role "web-role" has the AWS-managed policy AdministratorAccess attached', urn: urnOf(T.role, "web") }]);
        expect(run(iamRoleDisallowAdminPolicies, s, AI_ONLY)).toEqual([]);
    });
    it.each([
        ["RolePolicyAttachment", (s: Res[]) => { named(s)["training-access-attach"]!.props.policyArn = "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"; return urnOf(T.attachment, "training-access-attach"); }, "AmazonSageMakerFullAccess"],
        ["managedPolicyArns", (s: Res[]) => { named(s).training!.props.managedPolicyArns = ["arn:aws:iam::aws:policy/AdministratorAccess"]; return urnOf(T.role, "training"); }, "AdministratorAccess"],
        ["PolicyAttachment", (s: Res[]) => { s.push(res(T.policyAttachment, "pa", { roles: ["training-role"], policyArn: "arn:aws-us-gov:iam::aws:policy/PowerUserAccess" })); return urnOf(T.policyAttachment, "pa"); }, "PowerUserAccess"],
    ] as const)("flags an admin policy attached through %s", (_t, change, policy) => {
        const s = stack();
        const urn = change(s);
        expectFindings(run(iamRoleDisallowAdminPolicies, s), [{ message: `AI role "training-role" has the AWS-managed policy ${policy} attached`, urn }]);
    });
    it("skips unknown policy ARNs; unknown tags do not take a role out of scope", () => {
        const s = stack();
        named(s)["training-access-attach"]!.props.policyArn = UNKNOWN;
        expect(run(iamRoleDisallowAdminPolicies, s)).toEqual([]);
        named(s).web!.props.tags = UNKNOWN;
        expectFindings(run(iamRoleDisallowAdminPolicies, s), [{ message: "AdministratorAccess", urn: urnOf(T.role, "web") }]);
    });
});

describe("trust policy rules", () => {
    it("pass a service trust with aws:SourceAccount", () => {
        expect(run(iamRoleDisallowPublicTrust, role())).toEqual([]);
        expect(run(iamRoleMissingConfusedDeputyCondition, role())).toEqual([]);
    });
    it("flag a trust to everyone without a Condition", () => {
        const r = role({ assumeRolePolicy: trust({ Sid: "Any", Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }) });
        expectFindings(run(iamRoleDisallowPublicTrust, r), [{ message: 'trust policy of role "training" lets everyone (Principal "*") assume it without a Condition (statement "Any")' }]);
    });
    it("accept a trust to everyone restricted by aws:PrincipalOrgID", () => {
        const r = role({ assumeRolePolicy: trust({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-1" } } }) });
        expect(run(iamRoleDisallowPublicTrust, r)).toEqual([]);
    });
    it("flag a service trust of an AI role without confused-deputy conditions", () => {
        const r = role({ assumeRolePolicy: trust({ ...sagemakerTrust, Condition: { StringEquals: { "sts:ExternalId": "x" } } }) });
        expectFindings(run(iamRoleMissingConfusedDeputyCondition, r), [{ message: 'trust policy of AI role "training" trusts sagemaker.amazonaws.com without aws:SourceAccount, aws:SourceArn or aws:SourceOrgID (statement #1)' }]);
    });
    it("accept EC2 instance-profile trust without conditions (EC2 sends no deputy keys), but not when another service shares the statement", () => {
        const ec2 = { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" };
        expect(run(iamRoleMissingConfusedDeputyCondition, role({ assumeRolePolicy: trust(ec2) }))).toEqual([]);
        const both = { ...ec2, Principal: { Service: ["ec2.amazonaws.com", "sagemaker.amazonaws.com"] } };
        expectFindings(run(iamRoleMissingConfusedDeputyCondition, role({ assumeRolePolicy: trust(both) })), [{ message: "trusts sagemaker.amazonaws.com without" }]);
    });
    it("accept aws:SourceArn in any case, and judge untagged roles too", () => {
        expect(run(iamRoleMissingConfusedDeputyCondition, role({ assumeRolePolicy: trust({ ...sagemakerTrust, Condition: { ArnLike: { "AWS:SourceArn": "arn:aws:sagemaker:*" } } }) }))).toEqual([]);
        expectFindings(run(iamRoleMissingConfusedDeputyCondition, role({ tags: {}, assumeRolePolicy: trust({ ...sagemakerTrust, Condition: undefined }) })), [{ message: 'trust policy of AI role "training" trusts sagemaker.amazonaws.com without' }]);
    });
    it("skip unknown trust policies, principals and conditions", () => {
        expect(run(iamRoleDisallowPublicTrust, role({ assumeRolePolicy: UNKNOWN }))).toEqual([{ undecided: true, message: 'trust policy of role "training" is not known yet' }]);
        for (const assumeRolePolicy of [UNKNOWN, { Statement: [{ Effect: "Allow", Principal: UNKNOWN, Action: "sts:AssumeRole" }] }, { Statement: [{ ...sagemakerTrust, Condition: UNKNOWN }] }]) {
            // The public-trust rule says it cannot decide yet (advisory undecided notice), never a violation.
            expect(run(iamRoleDisallowPublicTrust, role({ assumeRolePolicy })).filter((f) => !f.undecided)).toEqual([]);
            expect(run(iamRoleMissingConfusedDeputyCondition, role({ assumeRolePolicy }))).toEqual([]);
        }
    });
});
