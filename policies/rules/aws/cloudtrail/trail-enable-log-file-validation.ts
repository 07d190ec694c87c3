import * as aws from "@pulumi/aws";
import { UNKNOWN, resourceRule } from "../../../framework/rule";

export const cloudtrailTrailEnableLogFileValidation = resourceRule({
    name: "aws-cloudtrail-trail-enable-log-file-validation",
    description:
        "CloudTrail trails must enable log file integrity validation. Signed digest files prove that the audit trail of access to models and data was not altered or deleted after delivery.",
    clauses: ["OM-1", "DV-2", "P5", "P12"],
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `enableLogFileValidation: true` on the `aws.cloudtrail.Trail`.",
    url: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html",
    classes: [aws.cloudtrail.Trail],
    onUnknown: "Skips the check when enableLogFileValidation is unknown; the pack re-runs at update time when the value is known.",
    check: (r) => {
        const v = r.props.enableLogFileValidation;
        return v === UNKNOWN || v === true ? [] : [{ message: `CloudTrail trail "${r.name}" does not validate log files (enableLogFileValidation: true)` }];
    },
});
