/** ECR repositories must be encrypted with a customer-managed KMS key. */
import * as aws from "@pulumi/aws";
import { UNKNOWN, resourceRule } from "../../../framework/rule";
import { asList, get, isKnownMissingKey } from "../../../framework/values";
import { skipsWhenUnknown } from "../../../framework/values";

const KMS_TYPES = new Set(["KMS", "KMS_DSSE"]);

export const ecrRepositoryMissingKmsKey = resourceRule({
    name: "aws-ecr-repository-missing-kms-key",
    description:
        "ECR repositories must set `encryptionConfigurations` with `encryptionType` `KMS` (or `KMS_DSSE`) and an explicit customer-managed `kmsKey`. The default (AES256) and KMS without a key (the AWS-managed `aws/ecr` key) leave model images outside the owner's key policy and audit.",
    clauses: ["DV-2", "P5"],
    severity: "medium",
    enforcementLevel: "mandatory",
    classes: [aws.ecr.Repository],
    remediationSteps: 'Set `encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: <customer-managed key ARN> }]` (this forces a new repository: migrate images by digest).',
    url: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html",
    onUnknown: skipsWhenUnknown("`encryptionConfigurations` (or its type or key)"),
    check({ props }) {
        const list = asList(props.encryptionConfigurations);
        if (list === UNKNOWN) return [];
        const cfg = list[0];
        const type = get(cfg, "encryptionType");
        const key = get(cfg, "kmsKey");
        if (type === UNKNOWN || (KMS_TYPES.has(type as string) && !isKnownMissingKey(key))) return [];
        if (cfg === undefined || !KMS_TYPES.has(type as string)) {
            return [{ message: `encryptionType is ${type === undefined ? "not set (the default is AES256)" : `"${String(type)}"`}; use KMS with a customer-managed kmsKey` }];
        }
        return [{ message: "encryptionType is KMS but kmsKey is not set, so the AWS-managed aws/ecr key is used; set a customer-managed kmsKey" }];
    },
});
