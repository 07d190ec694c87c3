import * as aws from "@pulumi/aws";
import { type Finding, stackRule } from "../../../framework/rule";
import { byType, containsUnknown } from "../../../framework/values";
import { aiBuckets } from "../s3/buckets";
import { trailCoverage } from "./data-events";
import { TRAIL_TYPE } from "./trail";

export const cloudtrailTrailMissingDataEvents = stackRule({
    judges: [aws.s3.Bucket, aws.s3.BucketV2],
    name: "aws-cloudtrail-trail-missing-data-events",
    description:
        "Every S3 bucket holding models, datasets or captured inference data must be covered by a CloudTrail trail in the stack that records its object-level data events, reads and writes. Management events alone do not show who downloaded a model or altered a training set. The rule is advisory by default because an organisation trail may live in another stack; say so with an exemption.",
    clauses: ["OM-1", "OM-2", "P12"],
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps:
        "Add to a trail an advanced event selector with field selectors `eventCategory` equals `Data`, `resources.type` equals `AWS::S3::Object` and `resources.ARN` startsWith `arn:aws:s3:::<bucket>/` (or a basic `eventSelectors` entry with `readWriteType: \"All\"` and `dataResources: [{ type: \"AWS::S3::Object\", values: [\"arn:aws:s3:::<bucket>/\"] }]`).",
    url: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html",
    settings: ["assetKindTagKey", "aiDataStoreKinds"],
    onUnknown:
        "Skips buckets whose tags or names are unknown, and reports nothing while any trail's event selectors are unknown; the pack re-runs at update time when the values are known.",
    check: (resources, { settings }) => {
        const index = byType(resources);
        const trails = index.get(TRAIL_TYPE) ?? [];
        // A trail whose selectors are unknown might cover any bucket: nothing is reported until they are known.
        if (trails.some((t) => containsUnknown(t.props.eventSelectors) || containsUnknown(t.props.advancedEventSelectors))) return [];
        const coverage = trails.map((t) => trailCoverage(t.props));
        const findings: Finding[] = [];
        for (const bucket of aiBuckets(index, settings)) {
            if (coverage.some((covers) => covers(bucket.name) === true)) continue;
            findings.push({
                message: `S3 bucket "${bucket.name}" is not covered by the S3 data events of any CloudTrail trail in the stack (${trails.length} trail(s) checked)`,
                urn: bucket.resource.urn,
            });
        }
        return findings;
    },
});
