import * as aws from "@pulumi/aws";
import { UNKNOWN, resourceRule } from "../../../framework/rule";

/**
 * Minimum deletion window. Hard-coded: 30 days is the longest AWS allows (7-30), so the rule asks
 * for the maximum time to notice and cancel an accidental or malicious key deletion, which would
 * otherwise make every model and dataset encrypted under the key unrecoverable.
 */
export const MINIMUM_KMS_DELETION_WINDOW_DAYS = 30;

export const kmsKeyConfigureDeletionWindow = resourceRule({
    name: "aws-kms-key-configure-deletion-window",
    description:
        "KMS keys must keep the maximum deletion window of 30 days. Deleting a key destroys every model and dataset encrypted under it, so the owner needs the longest possible time to notice and cancel a deletion.",
    clauses: ["DP-3", "DV-2", "P5", "P13"],
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `deletionWindowInDays: 30` on the `aws.kms.Key`, or leave it unset (AWS defaults to 30).",
    url: "https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html#deleting-keys-how-it-works",
    classes: [aws.kms.Key],
    onUnknown: "Skips the check when deletionWindowInDays is unknown; the pack re-runs at update time when the value is known.",
    check: (r) => {
        const days = r.props.deletionWindowInDays;
        if (days === UNKNOWN || days === undefined || days === null) return [];
        if (typeof days === "number" && days >= MINIMUM_KMS_DELETION_WINDOW_DAYS) return [];
        return [{ message: `KMS key "${r.name}" has a deletion window of ${String(days)} days; at least ${MINIMUM_KMS_DELETION_WINDOW_DAYS} are required` }];
    },
});
