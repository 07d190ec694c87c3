/** OpenSearch domains must be deployed in a VPC, not behind a public endpoint. */
import * as aws from "@pulumi/aws";
import { type Finding, UNKNOWN, stackRule } from "../../../framework/rule";
import { get } from "../../../framework/values";
import { FLAGS_ON_UNKNOWN, judgeEach, STORE_SETTINGS } from "../datastores/stores";

export const opensearchDomainDisallowPublicEndpoint = stackRule({
    judges: [aws.opensearch.Domain],
    name: "aws-opensearch-domain-disallow-public-endpoint",
    description:
        "OpenSearch domains in scope must be placed in a VPC (`vpcOptions.subnetIds`). Without `vpcOptions` the domain gets a public endpoint on the internet, guarded only by its access policy: one permissive statement exposes the indexed documents and embeddings of a RAG application to anyone.",
    clauses: ["DP-1", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `vpcOptions: { subnetIds: [<private subnets>], securityGroupIds: [<a group allowing 443 from the application only>] }`. A domain cannot move from a public endpoint into a VPC: create a new domain and reindex or restore a snapshot.",
    url: "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/vpc.html",
    settings: STORE_SETTINGS,
    onUnknown: FLAGS_ON_UNKNOWN,
    check: (resources, { settings }) =>
        judgeEach(resources, settings, aws.opensearch.Domain, (r): Finding[] => {
            const subnets = get(r.props, "vpcOptions", "subnetIds");
            if (subnets === UNKNOWN) return [{ undecided: true, message: `OpenSearch domain "${r.name}": vpcOptions.subnetIds is unknown at preview; decided at update` }];
            if (Array.isArray(subnets) && subnets.length > 0) return [];
            return [{ message: `OpenSearch domain "${r.name}" has no vpcOptions.subnetIds, so it is served from a public internet endpoint` }];
        }),
});
