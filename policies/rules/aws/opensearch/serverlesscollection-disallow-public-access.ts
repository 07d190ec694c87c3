/**
 * OpenSearch Serverless collections must not be reachable from the internet. Network policies
 * grant access additively: any network policy rule that matches a collection (or its Dashboards
 * endpoint) with `AllowFromPublic: true` makes that endpoint public.
 */
import * as aws from "@pulumi/aws";
import { type Finding, UNKNOWN, stackRule } from "../../../framework/rule";
import { judgeEach, STORE_SETTINGS } from "../datastores/stores";
import { matchEntry, securityPolicies } from "./serverless-policies";

const ENDPOINTS = [["collection", "collection endpoint"], ["dashboard", "OpenSearch Dashboards endpoint"]] as const;

export const opensearchServerlessCollectionDisallowPublicAccess = stackRule({
    judges: [aws.opensearch.ServerlessCollection],
    name: "aws-opensearch-serverlesscollection-disallow-public-access",
    description:
        "OpenSearch Serverless collections in scope must not be public: no `aws.opensearch.ServerlessSecurityPolicy` of type \"network\" may match the collection or its Dashboards endpoint with `AllowFromPublic: true`. Reach collections through VPC endpoints (`SourceVPCEs`) or, for Bedrock, `SourceServices: [\"bedrock.amazonaws.com\"]`; then the data access policy is no longer the only control between the internet and the vector store.",
    clauses: ["DP-1", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: 'In the network policy set `AllowFromPublic: false` with `SourceVPCEs: [<aws.opensearch.ServerlessVpcEndpoint id>]` (and `SourceServices: ["bedrock.amazonaws.com"]` for a knowledge base), for both the "collection" and "dashboard" resource types.',
    url: "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-network.html",
    settings: STORE_SETTINGS,
    onUnknown: "A network policy whose type, document, resource patterns or AllowFromPublic are unknown and that may apply to the collection is reported as undecided in aiguard-undecided-at-preview (decided at update), never as a pass.",
    check: (resources, { settings }) => {
        const policies = securityPolicies(resources, "network");
        return judgeEach(resources, settings, aws.opensearch.ServerlessCollection, (c): Finding[] => {
            const what = `OpenSearch Serverless collection "${c.name}"`;
            const findings: Finding[] = policies.unreadable.map((u) => ({ undecided: true, message: `${what}: network policy "${u.policy.name}" may apply (${u.why}); decided at update` }));
            for (const e of policies.entries) {
                const pub = e.body.AllowFromPublic;
                if (pub !== true && pub !== UNKNOWN) continue;
                const matches = ENDPOINTS.map(([type, endpoint]) => [matchEntry(e, c.props.name, [type]).kind, endpoint] as const).filter(([m]) => m !== "no");
                if (matches.length === 0) continue;
                const endpoints = matches.map(([, endpoint]) => endpoint).join(" and ");
                if (pub === UNKNOWN || matches.some(([m]) => m === "unknown")) findings.push({ undecided: true, message: `${what}: network policy "${e.policy.name}" may make its ${endpoints} public (its rules, the collection name or AllowFromPublic are unknown); decided at update` });
                else findings.push({ message: `${what}: network policy "${e.policy.name}" sets AllowFromPublic: true for its ${endpoints}, reachable from the internet` });
            }
            return findings;
        });
    },
});
