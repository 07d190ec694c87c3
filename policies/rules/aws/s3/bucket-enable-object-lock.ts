import * as aws from "@pulumi/aws";
import { UNKNOWN, type Finding, type RuleResource, typeToken, stackRule } from "../../../framework/rule";
import { get } from "../../../framework/values";
import { BUCKET_CONFIG_ON_UNKNOWN, BUCKET_SCOPE_SETTINGS, checkBucketConfig, judgedBuckets, type Verdict } from "./buckets";
import type { AwsAssetFacts } from "../ai-assets";

const LOCK_MODES: ReadonlySet<string> = new Set(["COMPLIANCE", "GOVERNANCE"]);

/** Compliant when the lock configuration is enabled with a default retention (mode plus days or years). */
export function judgeObjectLock(config: RuleResource): Verdict {
    const enabled = config.props.objectLockEnabled;
    const mode = get(config.props, "rule", "defaultRetention", "mode");
    const days = get(config.props, "rule", "defaultRetention", "days");
    const years = get(config.props, "rule", "defaultRetention", "years");
    if ([enabled, mode, days, years].includes(UNKNOWN)) return UNKNOWN;
    if (enabled !== undefined && enabled !== "Enabled") return `object lock configuration has objectLockEnabled ${JSON.stringify(enabled)}`;
    if (typeof mode !== "string" || !LOCK_MODES.has(mode)) return "object lock configuration has no default retention mode (COMPLIANCE or GOVERNANCE)";
    const period = (typeof days === "number" && days > 0) || (typeof years === "number" && years > 0);
    return period ? undefined : "object lock default retention has no positive days or years";
}

/** Released-model stores: tagged so, or serving a SageMaker model's artifacts. */
const released = (b: RuleResource, facts: AwsAssetFacts) => facts.releasedModelStores.has(b.urn);

/** v7 `Bucket`'s inline `objectLockConfiguration`, judged like the separate resource. */
function inlineObjectLock(bucket: RuleResource): Verdict | "absent" {
    const inline = bucket.props.objectLockConfiguration;
    if (inline === undefined || inline === null) return "absent";
    if (inline === UNKNOWN) return UNKNOWN;
    return judgeObjectLock({ ...bucket, props: inline as Readonly<Record<string, unknown>> });
}

export const s3BucketEnableObjectLock = stackRule({
    judges: [aws.s3.Bucket, aws.s3.BucketV2],
    name: "aws-s3-bucket-enable-object-lock",
    description:
        "S3 buckets that hold released models (tagged `aiguard:released-models=true`, or serving a SageMaker model's artifacts) must be created with object lock enabled and have an object lock configuration with a default retention. Released model versions then cannot be overwritten or deleted, so what was evaluated and signed is what is served.",
    clauses: ["DV-2", "DP-2", "DP-3", "P5"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Create the bucket with `objectLockEnabled: true` (this cannot be changed later: create a new bucket and copy the objects) and add an `aws.s3.BucketObjectLockConfiguration` with `rule: { defaultRetention: { mode: \"COMPLIANCE\", days: 365 } }`.",
    url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html",
    settings: [...BUCKET_SCOPE_SETTINGS],
    onUnknown: BUCKET_CONFIG_ON_UNKNOWN,
    check: (resources, { settings }) => {
        const findings: Finding[] = [];
        for (const b of judgedBuckets(resources, settings, released)) {
            const enabled = b.resource.props.objectLockEnabled;
            if (enabled !== UNKNOWN && enabled !== true) {
                findings.push({ message: `S3 bucket "${b.name}" holds released models but was not created with objectLockEnabled: true`, urn: b.resource.urn });
            }
        }
        return findings.concat(
            checkBucketConfig(resources, settings, {
                types: [typeToken(aws.s3.BucketObjectLockConfiguration), typeToken(aws.s3.BucketObjectLockConfigurationV2)],
                missing: "holds released models but has no object lock configuration (aws.s3.BucketObjectLockConfiguration)",
                judge: judgeObjectLock,
                inline: inlineObjectLock,
                applies: released,
            }),
        );
    },
});
