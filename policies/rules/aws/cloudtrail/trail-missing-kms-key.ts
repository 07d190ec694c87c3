import * as aws from "@pulumi/aws";
import { UNKNOWN, resourceRule } from "../../../framework/rule";
import { isAwsManagedKey } from "../../../framework/values";

export const cloudtrailTrailMissingKmsKey = resourceRule({
    name: "aws-cloudtrail-trail-missing-kms-key",
    description:
        "CloudTrail trails must encrypt their log files with a customer-managed KMS key. The audit trail names every principal and object that touched the AI assets, and the key policy decides who may read it.",
    clauses: ["OM-1", "DV-2", "P5", "P12"],
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Set `kmsKeyId` on the `aws.cloudtrail.Trail` to the ARN of a customer-managed key whose policy allows `cloudtrail.amazonaws.com` to `kms:GenerateDataKey*` with an `aws:SourceArn` condition.",
    url: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html",
    classes: [aws.cloudtrail.Trail],
    onUnknown: "An unknown kmsKeyId (a key created in the same update) counts as set; the pack re-runs at update time when it is known.",
    check: (r) => {
        const key = r.props.kmsKeyId;
        return key === UNKNOWN || (typeof key === "string" && key.length > 0 && !isAwsManagedKey(key)) ? [] : [{ message: `CloudTrail trail "${r.name}" is not encrypted with a customer-managed KMS key (kmsKeyId)` }];
    },
});
