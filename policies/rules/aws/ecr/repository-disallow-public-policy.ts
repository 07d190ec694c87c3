import * as aws from "@pulumi/aws";
import { stackRule } from "../../../framework/rule";
import { checkResourcePolicies, labelBy, RESOURCE_POLICY_ON_UNKNOWN } from "../resource-policies";

export const ecrRepositoryDisallowPublicPolicy = stackRule({
    judges: [aws.ecr.Repository, aws.ecr.RepositoryPolicy],
    name: "aws-ecr-repository-disallow-public-policy",
    description:
        "ECR repository policies must not allow everyone (Principal \"*\", {\"AWS\": \"*\"} or an Allow with NotPrincipal) unless a Condition restricts the statement to an account, organisation, VPC endpoint or source resource. A public pull leaks the model image and the weights baked into it; a public push (ecr:PutImage) or policy change lets anyone replace the model that runs.",
    clauses: ["DP-1", "DV-1", "P6", "P7"],
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Name the accounts or roles that pull or push in `Principal` (e.g. `{ AWS: \"arn:aws:iam::<account-id>:root\" }`), or restrict the statement with `StringEquals: { \"aws:PrincipalOrgID\": \"o-...\" }`. Never grant ecr:PutImage, ecr:BatchDeleteImage, ecr:DeleteRepository or ecr:SetRepositoryPolicy to everyone.",
    url: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policies.html",
    settings: ["scope", "assetKindTagKey"],
    onUnknown: RESOURCE_POLICY_ON_UNKNOWN,
    check: (resources, { settings }) =>
        checkResourcePolicies(resources, settings, {
            noun: "ECR repository",
            holders: [aws.ecr.Repository],
            holderKeys: ["name", "id", "arn"],
            label: labelBy("name"),
            policyClass: aws.ecr.RepositoryPolicy,
            policyRef: "repository",
            policyProp: "policy",
        }),
});
