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
        "Reports nothing for a bucket whose ARN or tags are unknown at preview, nor for any bucket when a selection has unknown parts (it might select the bucket). Checked again at update.",
    check(resources: readonly RuleResource[], { settings }): Finding[] {
        const scope = backupScope(resources, settings);
        // A selection with unknown parts might select any bucket: nothing is reported until it is known.
        if (scope.selectionUnknown) return [];
        const findings: Finding[] = [];
        for (const bucket of scope.buckets) {
            if (scope.coveredBuckets.has(bucket)) continue;
            findings.push({ urn: bucket.resource.urn, message: `AI data store "${bucket.arn}" is not selected by any AWS Backup selection` });
        }
        return findings;
    },
});
