/** Aurora and Multi-AZ DB clusters must encrypt storage with a customer-managed KMS key. */
import * as aws from "@pulumi/aws";
import { stackRule } from "../../../framework/rule";
import { customerKeyFindings, judgeEach, KEY_ON_UNKNOWN, STORE_SETTINGS } from "../datastores/stores";

export const rdsClusterMissingKmsKey = stackRule({
    judges: [aws.rds.Cluster],
    name: "aws-rds-cluster-missing-kms-key",
    description:
        "RDS clusters (Aurora, including the pgvector stores of Bedrock knowledge bases, and Multi-AZ DB clusters) in scope must set `storageEncrypted: true` with `kmsKeyId` naming a customer-managed KMS key, so the cluster volume, its snapshots and backups are encrypted under a key the owner controls.",
    clauses: ["DV-2", "P5", "P13"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `storageEncrypted: true` and `kmsKeyId: key.arn` (an `aws.kms.Key` with rotation enabled). An existing unencrypted cluster cannot be encrypted in place: restore a snapshot with `kmsKeyId` set and switch over.",
    url: "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html",
    settings: STORE_SETTINGS,
    onUnknown: KEY_ON_UNKNOWN,
    check: (resources, { settings }) =>
        judgeEach(resources, settings, aws.rds.Cluster, (r) =>
            customerKeyFindings(resources, r, `RDS cluster "${r.name}"`,
                { value: r.props.storageEncrypted, field: "storageEncrypted", absent: "the default is false for provisioned clusters" },
                { prop: "kmsKeyId", field: "kmsKeyId", fallback: "the AWS-managed aws/rds key" })),
});
