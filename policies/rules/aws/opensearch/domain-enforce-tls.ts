/** OpenSearch domains must encrypt traffic between nodes and require HTTPS with TLS 1.2 or later. */
import * as aws from "@pulumi/aws";
import { type Finding, UNKNOWN, stackRule } from "../../../framework/rule";
import { get } from "../../../framework/values";
import { requireTrue } from "../kms/customer-key";
import { FLAGS_ON_UNKNOWN, judgeEach, STORE_SETTINGS } from "../datastores/stores";

const TLS_1_0 = "Policy-Min-TLS-1-0-2019-07";

export const opensearchDomainEnforceTls = stackRule({
    judges: [aws.opensearch.Domain],
    name: "aws-opensearch-domain-enforce-tls",
    description:
        `OpenSearch domains in scope must encrypt traffic inside the cluster (\`nodeToNodeEncryption.enabled: true\`) and require HTTPS from clients (\`domainEndpointOptions.enforceHttps: true\`) with a TLS policy that does not accept TLS 1.0/1.1 (\`${TLS_1_0}\`), so queries, documents and embeddings never cross a network in clear text.`,
    clauses: ["DV-2", "DP-1", "P5", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: 'Set `nodeToNodeEncryption: { enabled: true }` and `domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" }`.',
    url: "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ntn.html",
    settings: STORE_SETTINGS,
    onUnknown: FLAGS_ON_UNKNOWN,
    check: (resources, { settings }) =>
        judgeEach(resources, settings, aws.opensearch.Domain, (r): Finding[] => {
            const what = `OpenSearch domain "${r.name}"`;
            const findings = [
                ...requireTrue(get(r.props, "nodeToNodeEncryption", "enabled"), what, "nodeToNodeEncryption.enabled", "node-to-node traffic is not encrypted by default"),
                ...requireTrue(get(r.props, "domainEndpointOptions", "enforceHttps"), what, "domainEndpointOptions.enforceHttps", "plain HTTP is accepted by default"),
            ];
            const policy = get(r.props, "domainEndpointOptions", "tlsSecurityPolicy");
            if (policy === UNKNOWN) findings.push({ undecided: true, message: `${what}: domainEndpointOptions.tlsSecurityPolicy is unknown at preview; decided at update` });
            else if (policy === TLS_1_0) findings.push({ message: `${what}: domainEndpointOptions.tlsSecurityPolicy ${TLS_1_0} accepts TLS 1.0 and 1.1` });
            return findings;
        }),
});
