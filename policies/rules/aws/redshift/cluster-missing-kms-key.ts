/** Redshift clusters must be encrypted with a customer-managed KMS key. */
import * as aws from "@pulumi/aws";
import { UNKNOWN, stackRule } from "../../../framework/rule";
import { customerKeyFindings, judgeEach, KEY_ON_UNKNOWN, STORE_SETTINGS } from "../datastores/stores";

/** `encrypted` is a string in @pulumi/aws v7 (`"true"`/`"false"`), and defaults to true. */
function encryptedFlag(v: unknown): unknown {
    if (v === undefined || v === null || v === true || v === "true") return true;
    return v === UNKNOWN ? UNKNOWN : v;
}

export const redshiftClusterMissingKmsKey = stackRule({
    judges: [aws.redshift.Cluster],
    name: "aws-redshift-cluster-missing-kms-key",
    description:
        "Redshift clusters in scope (warehouses of training and evaluation data) must be encrypted (`encrypted`, default true) with `kmsKeyId` naming a customer-managed KMS key; without it Redshift uses a key the owner cannot restrict, audit on its own terms or destroy.",
    clauses: ["DV-2", "P5", "P13"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: 'Set `encrypted: "true"` and `kmsKeyId: key.arn` (an `aws.kms.Key` with rotation enabled).',
    url: "https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html",
    settings: STORE_SETTINGS,
    onUnknown: KEY_ON_UNKNOWN,
    check: (resources, { settings }) =>
        judgeEach(resources, settings, aws.redshift.Cluster, (r) =>
            customerKeyFindings(resources, r, `Redshift cluster "${r.name}"`,
                { value: encryptedFlag(r.props.encrypted), field: "encrypted", absent: "" },
                { prop: "kmsKeyId", field: "kmsKeyId", fallback: "an AWS-owned or AWS-managed key" })),
});
