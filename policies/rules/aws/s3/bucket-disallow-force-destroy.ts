import * as aws from "@pulumi/aws";
import { UNKNOWN, resourceRule } from "../../../framework/rule";
import { isAiDataStore } from "../../../framework/values";

export const s3BucketDisallowForceDestroy = resourceRule({
    name: "aws-s3-bucket-disallow-force-destroy",
    description:
        "S3 buckets holding models, datasets or captured inference data must not set forceDestroy. With forceDestroy a stack deletion silently erases every object and version, bypassing the owner's disposal process.",
    clauses: ["DV-2", "DP-3", "P5", "P13"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Remove `forceDestroy: true` from the bucket (the default is `false`). Dispose of AI data deliberately: empty the bucket with a reviewed procedure, or schedule deletion of its KMS key.",
    url: "https://www.pulumi.com/registry/packages/aws/api-docs/s3/bucket/#forcedestroy_nodejs",
    settings: ["assetKindTagKey", "aiDataStoreKinds"],
    classes: [aws.s3.Bucket, aws.s3.BucketV2],
    onUnknown: "Skips the check when the bucket's tags or forceDestroy are unknown; the pack re-runs at update time when the values are known.",
    check: (r, { settings }) => {
        if (isAiDataStore(r.props, settings) !== true) return [];
        const force = r.props.forceDestroy;
        if (force === UNKNOWN || force !== true) return [];
        return [{ message: `AI data store bucket "${r.name}" sets forceDestroy: true` }];
    },
});
