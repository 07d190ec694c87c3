/** EFS file systems must be encrypted with a customer-managed KMS key. */
import * as aws from "@pulumi/aws";
import { stackRule } from "../../../framework/rule";
import { customerKeyFindings, judgeEach, KEY_ON_UNKNOWN, STORE_SETTINGS } from "../datastores/stores";

export const efsFileSystemMissingKmsKey = stackRule({
    judges: [aws.efs.FileSystem],
    name: "aws-efs-filesystem-missing-kms-key",
    description:
        "EFS file systems in scope (shared model weights, checkpoints and datasets mounted by training and serving hosts) must set `encrypted: true` with `kmsKeyId` naming a customer-managed KMS key, so the weights are encrypted under a key the owner controls and can revoke.",
    clauses: ["DV-2", "P5", "P13"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `encrypted: true` and `kmsKeyId: key.arn` (an `aws.kms.Key` with rotation enabled). Encryption is chosen at creation: create a new file system and copy the data (e.g. with AWS DataSync).",
    url: "https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html",
    settings: STORE_SETTINGS,
    onUnknown: KEY_ON_UNKNOWN,
    check: (resources, { settings }) =>
        judgeEach(resources, settings, aws.efs.FileSystem, (r) =>
            customerKeyFindings(resources, r, `EFS file system "${r.name}"`,
                { value: r.props.encrypted, field: "encrypted", absent: "the default is false" },
                { prop: "kmsKeyId", field: "kmsKeyId", fallback: "the AWS-managed aws/elasticfilesystem key" })),
});
