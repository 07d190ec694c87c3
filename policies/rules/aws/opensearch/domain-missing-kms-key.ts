/** OpenSearch domains must encrypt at rest with a customer-managed KMS key. */
import * as aws from "@pulumi/aws";
import { stackRule } from "../../../framework/rule";
import { get } from "../../../framework/values";
import { customerKeyFindings, judgeEach, KEY_ON_UNKNOWN, STORE_SETTINGS } from "../datastores/stores";

export const opensearchDomainMissingKmsKey = stackRule({
    judges: [aws.opensearch.Domain],
    name: "aws-opensearch-domain-missing-kms-key",
    description:
        "OpenSearch domains in scope (vector stores of RAG applications and Bedrock knowledge bases, search over documents and logs) must set `encryptAtRest: { enabled: true, kmsKeyId }` with a customer-managed KMS key, so indexes, embeddings, logs and automated snapshots are encrypted under a key the owner controls.",
    clauses: ["DV-2", "P5", "P13"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `encryptAtRest: { enabled: true, kmsKeyId: key.arn }` (an `aws.kms.Key` with rotation enabled); the key of an existing domain cannot be changed, so create a new domain and reindex.",
    url: "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/encryption-at-rest.html",
    settings: STORE_SETTINGS,
    onUnknown: KEY_ON_UNKNOWN,
    check: (resources, { settings }) =>
        judgeEach(resources, settings, aws.opensearch.Domain, (r) =>
            customerKeyFindings(resources, r, `OpenSearch domain "${r.name}"`,
                { value: get(r.props, "encryptAtRest", "enabled"), field: "encryptAtRest.enabled", absent: "encryption at rest is off by default" },
                { prop: "encryptAtRest", value: get(r.props, "encryptAtRest", "kmsKeyId"), field: "encryptAtRest.kmsKeyId", fallback: "the AWS-managed aws/es key" })),
});
