/** Bedrock invocation logs must land in KMS-encrypted destinations. */
import * as aws from "@pulumi/aws";
import { UNKNOWN, type Finding, type RuleResource, stackRule } from "../../../framework/rule";
import { asList, byType, get, isKnownMissingKey } from "../../../framework/values";
import { knownString } from "../../../framework/values";
import { groupByTarget, ReferenceIndex } from "../../../framework/references";
import { BUCKET_SSE_TYPES, INVOCATION_LOGGING_TYPE, LOG_GROUP_TYPE } from "../bedrock/types";
import { bucketIndex, bucketLabel } from "../s3/buckets";

const KMS_ALGORITHMS = new Set(["aws:kms", "aws:kms:dsse"]);

/** `true` if some SSE configuration of the bucket defaults to SSE-KMS with a key, `UNKNOWN` if undecidable. */
function bucketUsesKms(configs: readonly RuleResource[]): boolean | typeof UNKNOWN {
    let unknown = false;
    for (const c of configs) {
        const rules = asList(c.props.rules);
        if (rules === UNKNOWN) { unknown = true; continue; }
        for (const rule of rules) {
            const algo = get(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm");
            const key = get(rule, "applyServerSideEncryptionByDefault", "kmsMasterKeyId");
            if (algo === UNKNOWN || knownString(key) === UNKNOWN) { unknown = true; continue; }
            if (KMS_ALGORITHMS.has(algo as string) && !isKnownMissingKey(key)) return true;
        }
    }
    return unknown ? UNKNOWN : false;
}

export const bedrockInvocationLoggingMissingEncryptedDestination = stackRule({
    judges: [aws.bedrockmodel.InvocationLoggingConfiguration],
    name: "aws-bedrockmodel-invocationloggingconfiguration-missing-encrypted-destination",
    description:
        "Bedrock model invocation logs hold every prompt and response, so each destination declared in the same stack must be encrypted with a customer-managed KMS key: the CloudWatch log group needs `kmsKeyId`, and the S3 bucket (the direct destination or the large-data bucket) needs a server-side encryption configuration defaulting to `aws:kms` with a `kmsMasterKeyId`.",
    clauses: ["DV-2", "OM-2", "P5", "P12"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        'Give the log group `kmsKeyId: <key ARN>`; give the bucket a `BucketServerSideEncryptionConfiguration` with `rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: <key ARN> }, bucketKeyEnabled: true }]`. The key policy must allow the Bedrock logging role.',
    url: "https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html#setup-s3-destination",
    onUnknown:
        "Reports nothing for a destination whose name, key or encryption rules are unknown at preview, and no bucket finding while any bucket encryption configuration's bucket is unknown (it may be this bucket's). Destinations not declared in the stack cannot be inspected and are not reported (they are checked in the stack that declares them).",
    check(resources: readonly RuleResource[]): Finding[] {
        const index = byType(resources);
        // Destinations joined by name when known, at a first preview by the engine's dependency URNs.
        const logGroups = new ReferenceIndex(index.get(LOG_GROUP_TYPE) ?? [], ["name", "arn", "id"]);
        const buckets = bucketIndex(resources);
        const sseConfigs = BUCKET_SSE_TYPES.flatMap((t) => index.get(t) ?? []);
        const { byTarget: sse, unresolved } = groupByTarget(buckets, sseConfigs, "bucket");
        const findings: Finding[] = [];
        for (const cfg of index.get(INVOCATION_LOGGING_TYPE) ?? []) {
            const lc = cfg.props.loggingConfig;
            if (lc === UNKNOWN) continue;
            for (const g of logGroups.resolve(cfg, "loggingConfig", get(lc, "cloudwatchConfig", "logGroupName")).targets) {
                if (isKnownMissingKey(g.props.kmsKeyId)) findings.push({ urn: cfg.urn, message: `log group "${bucketLabelOf(g, "name")}" receives invocation logs but has no kmsKeyId` });
            }
            const named = [get(lc, "s3Config", "bucketName"), get(lc, "cloudwatchConfig", "largeDataDeliveryS3Config", "bucketName")].filter((v) => v !== undefined && v !== null);
            for (const bucket of named.length === 0 ? [] : buckets.resolve(cfg, "loggingConfig", named).targets) {
                const uses = bucketUsesKms(sse.get(bucket.urn) ?? []);
                const name = bucketLabel(bucket);
                if (uses === false && unresolved) findings.push({ undecided: true, urn: cfg.urn, message: `bucket "${name}" receives invocation logs; whether it encrypts them with KMS depends on an encryption configuration whose bucket is not known yet` });
                else if (uses === false) findings.push({ urn: cfg.urn, message: `bucket "${name}" receives invocation logs but has no server-side encryption configuration defaulting to aws:kms with a kmsMasterKeyId` });
                else if (uses === UNKNOWN) findings.push({ undecided: true, urn: cfg.urn, message: `bucket "${name}" receives invocation logs; its encryption settings are not known yet` });
            }
        }
        return findings;
    },
});

/** A resource's known name property, else its logical name. */
function bucketLabelOf(r: RuleResource, prop: string): string {
    const v = knownString(r.props[prop]);
    return typeof v === "string" ? v : r.name;
}
