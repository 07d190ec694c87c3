import * as aws from "@pulumi/aws";
import { UNKNOWN, type Finding, type RuleResource, stackRule } from "../../../framework/rule";
import { byType, containsUnknown } from "../../../framework/values";
import { aiDataStores } from "../s3/buckets";
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
        "A trail whose event selectors are unknown at preview covers the buckets its selectors depend on (the engine's dependency URNs); for other buckets the check is reported as decided at update (advisory aiguard-undecided-at-preview), never passed silently.",
    check: (resources, { settings }) => {
        const index = byType(resources);
        const trails = index.get(TRAIL_TYPE) ?? [];
        // At a first preview a trail's selectors embed unknown bucket ARNs: it covers the buckets they were
        // built from (the engine's dependency URNs) and whatever its known parts name. Without dependency
        // information, or with selectors unknown as a whole, other buckets are decided at update.
        const partial = (t: RuleResource) => containsUnknown(t.props.eventSelectors) || containsUnknown(t.props.advancedEventSelectors);
        const decidable = (t: RuleResource) => t.propertyDependencies !== undefined && t.props.eventSelectors !== UNKNOWN && t.props.advancedEventSelectors !== UNKNOWN;
        const deps = (t: RuleResource) => [...(t.propertyDependencies?.eventSelectors ?? []), ...(t.propertyDependencies?.advancedEventSelectors ?? [])];
        const open = trails.filter((t) => partial(t) && !decidable(t));
        const coverage = trails.filter((t) => !open.includes(t)).map((t) => trailCoverage(t.props));
        const builtFrom = new Set(trails.filter(partial).flatMap(deps));
        const findings: Finding[] = [];
        for (const bucket of aiDataStores(resources, settings)) {
            if (coverage.some((covers) => covers(bucket.name) === true)) continue;
            if (builtFrom.has(bucket.resource.urn)) continue;
            if (open.length > 0) {
                findings.push({ undecided: true, urn: bucket.resource.urn, message: `whether S3 bucket "${bucket.name}" is covered by the data events of trail(s) ${open.map((t) => `"${t.name}"`).join(", ")}, whose selectors are not known yet` });
                continue;
            }
            findings.push({
                message: `S3 bucket "${bucket.name}" is not covered by the S3 data events of any CloudTrail trail in the stack (${trails.length} trail(s) checked)`,
                urn: bucket.resource.urn,
            });
        }
        return findings;
    },
});
