import * as aws from "@pulumi/aws";
import { type Finding, stackRule } from "../../../framework/rule";
import { byType, isAiResource } from "../../../framework/values";
import { attachmentsByRole, roleLabel, uniqueAttachments } from "./attachments";
import { IamTypes, principalNames } from "./documents";

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

/** The policy's name if the ARN is an AWS-managed admin or full-access policy. */
export function adminPolicyName(arn: string): string | undefined {
    const m = AWS_MANAGED.exec(arn);
    return m && ADMIN_MANAGED_POLICIES.has(m[1]!) ? m[1] : undefined;
}

export const iamRoleDisallowAdminPolicies = stackRule({
    judges: [aws.iam.Role],
    name: "aws-iam-role-disallow-admin-policies",
    description:
        "AI roles must not have AWS-managed administrator, power-user or service-wide full-access policies attached (AdministratorAccess, PowerUserAccess, IAMFullAccess, AmazonS3FullAccess, AmazonSageMakerFullAccess and similar). A training job or endpoint holding such a policy can read every model and dataset in the account or escalate its own privileges.",
    clauses: ["DP-1", "P6"],
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Detach the managed policy (remove it from `managedPolicyArns` or delete the `aws.iam.RolePolicyAttachment`) and grant a customer-managed policy listing only the actions and resource ARNs the role needs.",
    url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html",
    settings: ["assetKindTagKey"],
    onUnknown: "Skips roles whose tags or names are unknown and attachments whose role or policy ARN is unknown; the pack re-runs at update time when the values are known.",
    check: (resources, { settings }) => {
        const index = byType(resources);
        const byRole = attachmentsByRole(index);
        const findings: Finding[] = [];
        for (const role of index.get(IamTypes.role) ?? []) {
            if (isAiResource(role.props, settings) !== true) continue;
            const attached = uniqueAttachments(principalNames(role).flatMap((n) => byRole.get(n) ?? []));
            for (const a of attached) {
                const admin = adminPolicyName(a.policyArn);
                if (admin) findings.push({ message: `AI role "${roleLabel(role)}" has the AWS-managed policy ${admin} attached (${a.policyArn})`, urn: a.urn });
            }
        }
        return findings;
    },
});
