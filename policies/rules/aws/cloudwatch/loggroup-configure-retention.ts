import * as aws from "@pulumi/aws";
import { eachInScope } from "../ai-assets";
import { UNKNOWN, stackRule } from "../../../framework/rule";

export const cloudwatchLogGroupConfigureRetention = stackRule({
    name: "aws-cloudwatch-loggroup-configure-retention",
    description:
        "CloudWatch log groups in scope (by default every log group) must keep logs for at least the configured minimum retention (default 365 days). Never-expire (retention 0 or unset) satisfies the minimum, since it keeps logs longer; a shorter retention destroys the evidence an investigation needs.",
    clauses: ["OM-1", "OM-2", "P12"],
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Set `retentionInDays` on the `aws.cloudwatch.LogGroup` to a supported value at or above the minimum (e.g. 365, 400, 545, 731, 1827, 3653), or leave it unset to keep logs indefinitely.",
    url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention",
    settings: ["scope", "assetKindTagKey", "minimumLogRetentionDays"],
    judges: [aws.cloudwatch.LogGroup],
    onUnknown: "Skips the check when retentionInDays is unknown; the pack re-runs at update time when the values are known.",
    check: (resources, { settings }) =>
        eachInScope(resources, settings, [aws.cloudwatch.LogGroup], (r, ai) => {
        const days = r.props.retentionInDays;
        if (days === UNKNOWN || days === undefined || days === null || days === 0) return [];
        if (typeof days === "number" && days >= settings.minimumLogRetentionDays) return [];
        return [{ message: `${ai ? "AI " : ""}log group "${r.name}" keeps logs for ${String(days)} days; the minimum is ${settings.minimumLogRetentionDays}` }];
        }),
});
