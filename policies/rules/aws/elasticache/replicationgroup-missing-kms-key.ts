/** ElastiCache replication groups must encrypt at rest with a customer-managed KMS key. */
import * as aws from "@pulumi/aws";
import { stackRule } from "../../../framework/rule";
import { customerKeyFindings, judgeEach, KEY_ON_UNKNOWN, STORE_SETTINGS } from "../datastores/stores";

export const elasticacheReplicationGroupMissingKmsKey = stackRule({
    judges: [aws.elasticache.ReplicationGroup],
    name: "aws-elasticache-replicationgroup-missing-kms-key",
    description:
        "ElastiCache (Redis OSS, Valkey) replication groups in scope, which cache prompts, sessions, embeddings and model outputs, must set `atRestEncryptionEnabled: true` with `kmsKeyId` naming a customer-managed KMS key, so disks, swap and backups are encrypted under a key the owner controls.",
    clauses: ["DV-2", "P5", "P13"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `atRestEncryptionEnabled: true` and `kmsKeyId: key.arn` (an `aws.kms.Key` with rotation enabled); at-rest encryption is chosen at creation, so create a new group and migrate.",
    url: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html",
    settings: STORE_SETTINGS,
    onUnknown: KEY_ON_UNKNOWN,
    check: (resources, { settings }) =>
        judgeEach(resources, settings, aws.elasticache.ReplicationGroup, (r) =>
            customerKeyFindings(resources, r, `ElastiCache replication group "${r.name}"`,
                { value: r.props.atRestEncryptionEnabled, field: "atRestEncryptionEnabled", absent: "the default is false for the redis engine" },
                { prop: "kmsKeyId", field: "kmsKeyId", fallback: "an AWS-managed key" })),
});
