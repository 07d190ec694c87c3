/** Bedrock knowledge-base data sources must encrypt transient ingestion data with a customer-managed KMS key. */
import * as aws from "@pulumi/aws";
import { stackRule } from "../../../framework/rule";
import { get } from "../../../framework/values";
import { customerKeyFindings, judgeEach, KEY_ON_UNKNOWN, STORE_SETTINGS } from "../datastores/stores";

export const bedrockAgentDataSourceMissingKmsKey = stackRule({
    judges: [aws.bedrock.AgentDataSource],
    name: "aws-bedrock-agentdatasource-missing-kms-key",
    description:
        "Bedrock knowledge-base data sources in scope must set `serverSideEncryptionConfiguration.kmsKeyArn` to a customer-managed KMS key, so the documents Bedrock stages while chunking and embedding them for retrieval are encrypted under a key the owner controls rather than an AWS-owned key. The vector store the knowledge base writes to is judged by its own rules (OpenSearch Serverless collections, RDS clusters, OpenSearch domains).",
    clauses: ["DV-2", "P5", "P13"],
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `serverSideEncryptionConfiguration: { kmsKeyArn: key.arn }` on the `aws.bedrock.AgentDataSource`, with a key policy that lets the knowledge base's role use the key.",
    url: "https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-kb.html",
    settings: STORE_SETTINGS,
    onUnknown: KEY_ON_UNKNOWN,
    check: (resources, { settings }) =>
        judgeEach(resources, settings, aws.bedrock.AgentDataSource, (r) =>
            customerKeyFindings(resources, r, `Bedrock data source "${r.name}"`, undefined,
                { prop: "serverSideEncryptionConfiguration", value: get(r.props, "serverSideEncryptionConfiguration", "kmsKeyArn"), field: "serverSideEncryptionConfiguration.kmsKeyArn", fallback: "an AWS-owned key" })),
});
