import * as aws from "@pulumi/aws";
import { UNKNOWN, resourceRule } from "../../../framework/rule";

export const kmsKeyEnableRotation = resourceRule({
    name: "aws-kms-key-enable-rotation",
    description:
        "Symmetric customer-managed KMS keys must have automatic key rotation enabled. Rotation limits how much data one key version protects and is the default a key for AI assets should have.",
    clauses: ["DV-2", "DP-5", "P5", "P11"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `enableKeyRotation: true` on the `aws.kms.Key` (optionally `rotationPeriodInDays`, 90-2560, default 365).",
    url: "https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
    classes: [aws.kms.Key],
    onUnknown:
        "Skips the check when the key spec or enableKeyRotation is unknown; the pack re-runs at update time when the values are known. Asymmetric and HMAC keys (which AWS cannot rotate) are out of scope.",
    check: (r) => {
        const spec = r.props.customerMasterKeySpec;
        const rotation = r.props.enableKeyRotation;
        if (spec === UNKNOWN || rotation === UNKNOWN) return [];
        if (spec !== undefined && spec !== "SYMMETRIC_DEFAULT") return [];
        return rotation === true ? [] : [{ message: `KMS key "${r.name}" does not enable automatic key rotation (enableKeyRotation: true)` }];
    },
});
