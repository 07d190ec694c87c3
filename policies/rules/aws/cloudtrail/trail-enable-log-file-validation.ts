import { UNKNOWN, type ResourceRule } from "../../../framework/rule";
import { TRAIL_TYPE } from "./trail";

export const cloudtrailTrailEnableLogFileValidation: ResourceRule = {
    kind: "resource",
    name: "aws-cloudtrail-trail-enable-log-file-validation",
    description:
        "CloudTrail trails must enable log file integrity validation. Signed digest files prove that the audit trail of access to models and data was not altered or deleted after delivery.",
    clauses: ["OM-1", "DV-2", "P5", "P12"],
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `enableLogFileValidation: true` on the `aws.cloudtrail.Trail`.",
    url: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html",
    resourceTypes: [TRAIL_TYPE],
    onUnknown: "Skips the check when enableLogFileValidation is unknown; the pack re-runs at update time when the value is known.",
    check: (r) => {
        const v = r.props.enableLogFileValidation;
        return v === UNKNOWN || v === true ? [] : [{ message: `CloudTrail trail "${r.name}" does not validate log files (enableLogFileValidation: true)` }];
    },
};
