/** Kendra indexes must be encrypted with a customer-managed KMS key. */
import * as aws from "@pulumi/aws";
import { stackRule } from "../../../framework/rule";
import { get } from "../../../framework/values";
import { customerKeyFindings, judgeEach, KEY_ON_UNKNOWN, STORE_SETTINGS } from "../datastores/stores";

export const kendraIndexMissingKmsKey = stackRule({
    judges: [aws.kendra.Index],
    name: "aws-kendra-index-missing-kms-key",
    description:
        "Kendra indexes in scope (the retrieval corpus of RAG applications: every document indexed, with its text) must set `serverSideEncryptionConfiguration.kmsKeyId` to a customer-managed KMS key; the default is an AWS-owned key the owner can neither audit nor revoke.",
    clauses: ["DV-2", "P5", "P13"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `serverSideEncryptionConfiguration: { kmsKeyId: key.arn }` (a symmetric `aws.kms.Key` with rotation enabled); it can only be set when the index is created.",
    url: "https://docs.aws.amazon.com/kendra/latest/dg/encryption-at-rest.html",
    settings: STORE_SETTINGS,
    onUnknown: KEY_ON_UNKNOWN,
    check: (resources, { settings }) =>
        judgeEach(resources, settings, aws.kendra.Index, (r) =>
            customerKeyFindings(resources, r, `Kendra index "${r.name}"`, undefined,
                { prop: "serverSideEncryptionConfiguration", value: get(r.props, "serverSideEncryptionConfiguration", "kmsKeyId"), field: "serverSideEncryptionConfiguration.kmsKeyId", fallback: "an AWS-owned key" })),
});
