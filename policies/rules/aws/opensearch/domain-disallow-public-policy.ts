import * as aws from "@pulumi/aws";
import { stackRule, UNKNOWN, type RuleResource } from "../../../framework/rule";
import { asList, get } from "../../../framework/values";
import { checkResourcePolicies, labelBy, RESOURCE_POLICY_ON_UNKNOWN } from "../resource-policies";

/** A domain inside a VPC is reached only through its VPC and security groups, whatever its access policy says. */
function insideVpc(domain: RuleResource) {
    const subnets = asList(get(domain.props, "vpcOptions", "subnetIds"));
    if (subnets === UNKNOWN) return UNKNOWN;
    return subnets.length > 0 ? "inside a VPC" : undefined;
}

export const opensearchDomainDisallowPublicPolicy = stackRule({
    judges: [aws.opensearch.Domain, aws.opensearch.DomainPolicy],
    name: "aws-opensearch-domain-disallow-public-policy",
    description:
        "OpenSearch domains with a public endpoint (not inside a VPC) must not have an access policy that allows everyone (Principal \"*\", {\"AWS\": \"*\"} or an Allow with NotPrincipal) unless a Condition restricts the statement to an account, organisation or IP ranges other than the whole internet. Such a domain, often the vector store of a RAG application, serves its embeddings and documents to anyone on the internet.",
    clauses: ["DP-1", "DV-2", "P5", "P6"],
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Put the domain in a VPC (`vpcOptions: { subnetIds, securityGroupIds }`), or name the roles that query it in the access policy's `Principal`, or restrict the statement with `IpAddress: { \"aws:SourceIp\": [\"<office CIDR>\"] }` or `aws:PrincipalOrgID`.",
    url: "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html",
    settings: ["scope", "assetKindTagKey"],
    onUnknown: `${RESOURCE_POLICY_ON_UNKNOWN} A public statement on a domain whose VPC placement is unknown is reported as undecided.`,
    check: (resources, { settings }) =>
        checkResourcePolicies(resources, settings, {
            noun: "OpenSearch domain",
            holders: [aws.opensearch.Domain],
            holderKeys: ["domainName", "id", "arn"],
            label: labelBy("domainName"),
            inlineProp: "accessPolicies",
            policyClass: aws.opensearch.DomainPolicy,
            policyRef: "domainName",
            policyProp: "accessPolicies",
            shielded: insideVpc,
        }),
});
