import * as aws from "@pulumi/aws";
import { UNKNOWN, resourceRule } from "../../../framework/rule";
import { isAiResource } from "../../../framework/values";

export const cloudwatchLogGroupConfigureRetention = resourceRule({
    name: "aws-cloudwatch-loggroup-configure-retention",
    description:
        "CloudWatch log groups of AI resources must keep logs for at least the configured minimum retention (default 365 days). Never-expire (retention 0 or unset) satisfies the minimum, since it keeps logs longer; a shorter retention destroys the evidence an investigation needs.",
    clauses: ["OM-1", "OM-2", "P12"],
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Set `retentionInDays` on the `aws.cloudwatch.LogGroup` to a supported value at or above the minimum (e.g. 365, 400, 545, 731, 1827, 3653), or leave it unset to keep logs indefinitely.",
    url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention",
    settings: ["assetKindTagKey", "minimumLogRetentionDays"],
    classes: [aws.cloudwatch.LogGroup],
    onUnknown: "Skips the check when the log group's tags or retentionInDays are unknown; the pack re-runs at update time when the values are known.",
    check: (r, { settings }) => {
        if (isAiResource(r.props, settings) !== true) return [];
        const days = r.props.retentionInDays;
        if (days === UNKNOWN || days === undefined || days === null || days === 0) return [];
        if (typeof days === "number" && days >= settings.minimumLogRetentionDays) return [];
        return [{ message: `AI log group "${r.name}" keeps logs for ${String(days)} days; the minimum is ${settings.minimumLogRetentionDays}` }];
    },
});
