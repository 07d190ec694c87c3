/**
 * FSx for Lustre file systems must be encrypted with a customer-managed KMS key.
 *
 * Only persistent deployment types take a key (`kmsKeyId`); scratch file systems (`SCRATCH_1`, the
 * default, and `SCRATCH_2`) are always encrypted with keys FSx manages and cannot use one. A scratch
 * file system holding training data is therefore reported too, with the choice spelled out: move to
 * a persistent type with a key, or declare an exemption with a justification (data that is copied
 * from an encrypted S3 store, transient and not sensitive), which every report then lists.
 */
import * as aws from "@pulumi/aws";
import { type Finding, UNKNOWN, stackRule } from "../../../framework/rule";
import { customerKeyFindings, judgeEach, KEY_ON_UNKNOWN, STORE_SETTINGS } from "../datastores/stores";

const PERSISTENT = new Set(["PERSISTENT_1", "PERSISTENT_2"]);

export const fsxLustreFileSystemMissingKmsKey = stackRule({
    judges: [aws.fsx.LustreFileSystem],
    name: "aws-fsx-lustrefilesystem-missing-kms-key",
    description:
        "FSx for Lustre file systems in scope (training data and checkpoints on GPU clusters) must use a persistent deployment type (`PERSISTENT_1` or `PERSISTENT_2`) with `kmsKeyId` naming a customer-managed KMS key. Scratch file systems (`SCRATCH_1`, the default, and `SCRATCH_2`) cannot use a customer-managed key; keeping one requires an exemption that says why its data needs no key of its own.",
    clauses: ["DV-2", "P5", "P13"],
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: 'Set `deploymentType: "PERSISTENT_2"` and `kmsKeyId: key.arn` (an `aws.kms.Key` with rotation enabled). For a scratch file system that only caches data from an encrypted S3 store, add an exemption for this rule with that justification.',
    url: "https://docs.aws.amazon.com/fsx/latest/LustreGuide/encryption-at-rest.html",
    settings: STORE_SETTINGS,
    onUnknown: `${KEY_ON_UNKNOWN} An unknown deploymentType is undecided.`,
    check: (resources, { settings }) =>
        judgeEach(resources, settings, aws.fsx.LustreFileSystem, (r): readonly Finding[] => {
            const what = `FSx for Lustre file system "${r.name}"`;
            const type = r.props.deploymentType ?? "SCRATCH_1";
            if (type === UNKNOWN) return [{ undecided: true, message: `${what}: deploymentType is unknown at preview; decided at update` }];
            if (typeof type !== "string" || !PERSISTENT.has(type)) {
                return [{ message: `${what}: deploymentType ${JSON.stringify(type)}${r.props.deploymentType === undefined ? " (the default)" : ""} is a scratch type, which cannot use a customer-managed key; use PERSISTENT_2 with kmsKeyId, or exempt it with a justification` }];
            }
            return customerKeyFindings(resources, r, what, undefined, { prop: "kmsKeyId", field: "kmsKeyId", fallback: "the AWS-managed aws/fsx key" });
        }),
});
