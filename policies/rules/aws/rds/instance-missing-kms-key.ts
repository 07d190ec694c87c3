/** RDS instances must encrypt storage with a customer-managed KMS key. */
import * as aws from "@pulumi/aws";
import { stackRule } from "../../../framework/rule";
import { customerKeyFindings, judgeEach, KEY_ON_UNKNOWN, STORE_SETTINGS } from "../datastores/stores";

function isReplicaWithoutFlag(props: { readonly replicateSourceDb?: unknown; readonly storageEncrypted?: unknown }): boolean {
    return props.storageEncrypted === undefined && props.replicateSourceDb !== undefined && props.replicateSourceDb !== null && props.replicateSourceDb !== "";
}

export const rdsInstanceMissingKmsKey = stackRule({
    judges: [aws.rds.Instance],
    name: "aws-rds-instance-missing-kms-key",
    description:
        "RDS DB instances in scope (by default every instance: application data, features, prompts and training data end up in them) must set `storageEncrypted: true` with `kmsKeyId` naming a customer-managed KMS key, so the database, its snapshots, replicas and logs are encrypted under a key the owner controls and can revoke to crypto-shred the data.",
    clauses: ["DV-2", "P5", "P13"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `storageEncrypted: true` and `kmsKeyId: key.arn` (an `aws.kms.Key` with rotation enabled); a read replica (`replicateSourceDb`) inherits encryption from its source and needs `kmsKeyId` only (the source's key, or a key in the replica's region). Encryption cannot be added to an existing instance: restore an encrypted copy of a snapshot and switch over.",
    url: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
    settings: STORE_SETTINGS,
    onUnknown: KEY_ON_UNKNOWN,
    check: (resources, { settings }) =>
        judgeEach(resources, settings, aws.rds.Instance, (r) =>
            customerKeyFindings(resources, r, `RDS instance "${r.name}"`,
                // A read replica inherits encryption from its source: an unset flag is not a finding there, an explicit false still is.
                isReplicaWithoutFlag(r.props) ? undefined : { value: r.props.storageEncrypted, field: "storageEncrypted", absent: "the default is false" },
                { prop: "kmsKeyId", field: "kmsKeyId", fallback: "the AWS-managed aws/rds key" })),
});
