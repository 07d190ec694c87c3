/** Redshift Serverless namespaces must be encrypted with a customer-managed KMS key. */
import * as aws from "@pulumi/aws";
import { stackRule } from "../../../framework/rule";
import { customerKeyFindings, judgeEach, KEY_ON_UNKNOWN, STORE_SETTINGS } from "../datastores/stores";

export const redshiftServerlessNamespaceMissingKmsKey = stackRule({
    judges: [aws.redshiftserverless.Namespace],
    name: "aws-redshiftserverless-namespace-missing-kms-key",
    description:
        "Redshift Serverless namespaces in scope must set `kmsKeyId` to a customer-managed KMS key; a namespace is always encrypted, by default with an AWS-owned key the owner can neither audit nor revoke.",
    clauses: ["DV-2", "P5", "P13"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `kmsKeyId: key.arn` (an `aws.kms.Key` with rotation enabled) on the `aws.redshiftserverless.Namespace`.",
    url: "https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-workgroups-and-namespaces.html",
    settings: STORE_SETTINGS,
    onUnknown: KEY_ON_UNKNOWN,
    check: (resources, { settings }) =>
        judgeEach(resources, settings, aws.redshiftserverless.Namespace, (r) =>
            customerKeyFindings(resources, r, `Redshift Serverless namespace "${r.name}"`, undefined,
                { prop: "kmsKeyId", field: "kmsKeyId", fallback: "an AWS-owned key" })),
});
