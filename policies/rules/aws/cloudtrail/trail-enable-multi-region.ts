import * as aws from "@pulumi/aws";
import { UNKNOWN, resourceRule } from "../../../framework/rule";

export const cloudtrailTrailEnableMultiRegion = resourceRule({
    name: "aws-cloudtrail-trail-enable-multi-region",
    description:
        "CloudTrail trails must record events from all regions. An attacker who uses stolen AI credentials in a region the trail does not cover leaves no audit record.",
    clauses: ["OM-1", "P12"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `isMultiRegionTrail: true` on the `aws.cloudtrail.Trail` (and keep `includeGlobalServiceEvents: true`).",
    url: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html",
    classes: [aws.cloudtrail.Trail],
    onUnknown: "Skips the check when isMultiRegionTrail is unknown; the pack re-runs at update time when the value is known.",
    check: (r) => {
        const v = r.props.isMultiRegionTrail;
        return v === UNKNOWN || v === true ? [] : [{ message: `CloudTrail trail "${r.name}" is not multi-region (isMultiRegionTrail: true)` }];
    },
});
