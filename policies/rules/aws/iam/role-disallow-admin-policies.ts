import * as aws from "@pulumi/aws";
import { type Finding, stackRule } from "../../../framework/rule";
import { byType } from "../../../framework/values";
import { awsAssetFacts } from "../ai-assets";
import { attachmentsByRole, roleLabel, uniqueAttachments } from "./attachments";
import { IamTypes } from "./documents";

/**
 * AWS-managed policies that grant administrative or service-wide full access. Matched by name under
 * `arn:<partition>:iam::aws:policy/` (any path), so GovCloud and China partitions are covered.
 */
export const ADMIN_MANAGED_POLICIES: ReadonlySet<string> = new Set([
    "AdministratorAccess",
    "PowerUserAccess",
    "IAMFullAccess",
    "AmazonS3FullAccess",
    "AmazonSageMakerFullAccess",
    "AmazonBedrockFullAccess",
    "AmazonEC2FullAccess",
    "AmazonEC2ContainerRegistryFullAccess",
    "AmazonElasticContainerRegistryPublicFullAccess",
    "AWSKeyManagementServicePowerUser",
    "AmazonVPCFullAccess",
    "AWSLambda_FullAccess",
    "SecretsManagerReadWrite",
    "CloudWatchLogsFullAccess",
    "AWSCloudTrail_FullAccess",
]);

const AWS_MANAGED = /^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/;

/** Every AWS-managed `...FullAccess` policy (`AmazonDynamoDBFullAccess`, `AWSLambda_FullAccess`, ...) grants a whole service. */
const FULL_ACCESS = /FullAccess$/;

/** The policy's name if the ARN is an AWS-managed admin, power-user or full-access policy. */
export function adminPolicyName(arn: string): string | undefined {
    const m = AWS_MANAGED.exec(arn);
    const name = m?.[1];
    return name !== undefined && (ADMIN_MANAGED_POLICIES.has(name) || FULL_ACCESS.test(name)) ? name : undefined;
}

export const iamRoleDisallowAdminPolicies = stackRule({
    judges: [aws.iam.Role],
    name: "aws-iam-role-disallow-admin-policies",
    description:
        "Roles in scope (by default every role; AI roles are those AI services assume or are given, including the execution roles of Lambda functions that are AI assets or serve a Bedrock agent) must not have AWS-managed administrator, power-user or service-wide full-access policies attached (AdministratorAccess, PowerUserAccess, every AWS-managed *FullAccess policy, SecretsManagerReadWrite and similar). A training job, endpoint or inference function holding such a policy can read every model and dataset in the account or escalate its own privileges.",
    clauses: ["DP-1", "P6"],
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Detach the managed policy (remove it from `managedPolicyArns` or delete the `aws.iam.RolePolicyAttachment`) and grant a customer-managed policy listing only the actions and resource ARNs the role needs.",
    url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html",
    settings: ["scope", "assetKindTagKey"],
    onUnknown: "Joins attachments to their role by name or, at a first preview, by the engine's dependency URNs; an attachment whose policy ARN is unknown is not an AWS-managed policy (those are literal ARNs).",
    check: (resources, { settings }) => {
        const index = byType(resources);
        const facts = awsAssetFacts(resources, settings);
        const byRole = attachmentsByRole(index);
        const findings: Finding[] = [];
        for (const role of index.get(IamTypes.role) ?? []) {
            if (!facts.inScope(role)) continue;
            for (const a of uniqueAttachments(byRole.get(role.urn) ?? [])) {
                const admin = a.policyArn === undefined ? undefined : adminPolicyName(a.policyArn);
                if (admin) findings.push({ message: `${facts.assets.has(role.urn) ? "AI role" : "role"} "${roleLabel(role)}" has the AWS-managed policy ${admin} attached (${a.policyArn})`, urn: a.urn });
            }
        }
        return findings;
    },
});
