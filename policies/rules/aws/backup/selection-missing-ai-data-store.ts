/** Every AI data store must be selected by a backup plan. */
import * as aws from "@pulumi/aws";
import { type Finding, type RuleResource, stackRule } from "../../../framework/rule";
import { backupScope } from "./scope";

export const backupSelectionMissingAiDataStore = stackRule({
    judges: [aws.s3.Bucket, aws.s3.BucketV2],
    name: "aws-backup-selection-missing-ai-data-store",
    description:
        "Every AI data store bucket (asset-kind tag in `aiDataStoreKinds`: models, datasets, captured inference data) must be selected by an AWS Backup selection, by ARN (wildcards allowed), or by a `selectionTags` entry, after `conditions` and `notResources` are applied. A backup plan that does not select the model and data stores gives no recovery from ransomware or deletion.",
    clauses: ["DP-3", "DV-2", "P5", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    settings: ["assetKindTagKey", "aiDataStoreKinds"],
    remediationSteps:
        'Add `new aws.backup.Selection(..., { planId: plan.id, iamRoleArn, resources: [bucket.arn] })`, or select by tag: `selectionTags: [{ type: "STRINGEQUALS", key: "aiguard:asset-kind", value: "model-store" }]`. S3 backups also need versioning on the bucket.',
    url: "https://docs.aws.amazon.com/aws-backup/latest/devguide/assigning-resources.html",
    onUnknown:
        "Selections are joined to buckets by ARN or tag when known and, at a first preview, by the engine's dependency URNs; when a selection has unknown parts and no dependency information, an unselected bucket is reported as decided at update (advisory aiguard-undecided-at-preview).",
    check(resources: readonly RuleResource[], { settings }): Finding[] {
        const scope = backupScope(resources, settings);
        const findings: Finding[] = [];
        for (const bucket of scope.buckets) {
            if (scope.coveredBuckets.has(bucket)) continue;
            const label = bucket.arn || bucket.resource.name;
            // A selection with unknown parts and no dependency information might select the bucket, and an
            // ARN pattern might match a bucket whose ARN is not known yet: decided at update.
            if (scope.selectionUnknown || bucket.arn === "") findings.push({ undecided: true, urn: bucket.resource.urn, message: `AI data store "${label}" may not be selected by any AWS Backup selection: a selection has parts not known yet` });
            else findings.push({ urn: bucket.resource.urn, message: `AI data store "${label}" is not selected by any AWS Backup selection` });
        }
        return findings;
    },
});
