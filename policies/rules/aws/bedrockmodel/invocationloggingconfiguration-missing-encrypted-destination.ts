/** Bedrock invocation logs must land in KMS-encrypted destinations. */
import * as aws from "@pulumi/aws";
import { UNKNOWN, type Finding, type RuleResource, stackRule } from "../../../framework/rule";
import { asList, byType, get } from "../../../framework/values";
import { isKnownMissing, knownString } from "../../../framework/values";
import { BUCKET_SSE_TYPES, BUCKET_TYPES, INVOCATION_LOGGING_TYPE, LOG_GROUP_TYPE } from "../bedrock/types";

const KMS_ALGORITHMS = new Set(["aws:kms", "aws:kms:dsse"]);

function indexBy(resources: readonly RuleResource[], field: string): Map<string, RuleResource[]> {
    const m = new Map<string, RuleResource[]>();
    for (const r of resources) {
        const key = knownString(r.props[field]);
        if (typeof key !== "string") continue;
        m.set(key, [...(m.get(key) ?? []), r]);
    }
    return m;
}

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
            if (KMS_ALGORITHMS.has(algo as string) && !isKnownMissing(key)) return true;
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
        const logGroups = indexBy(index.get(LOG_GROUP_TYPE) ?? [], "name");
        const buckets = indexBy(BUCKET_TYPES.flatMap((t) => index.get(t) ?? []), "bucket");
        const sseConfigs = BUCKET_SSE_TYPES.flatMap((t) => index.get(t) ?? []);
        const sse = indexBy(sseConfigs, "bucket");
        // An encryption configuration whose bucket is unknown may belong to any bucket: no bucket finding then.
        const sseUndecidable = sseConfigs.some((c) => typeof knownString(c.props.bucket) !== "string");
        const findings: Finding[] = [];
        for (const cfg of index.get(INVOCATION_LOGGING_TYPE) ?? []) {
            const lc = cfg.props.loggingConfig;
            const groupName = knownString(get(lc, "cloudwatchConfig", "logGroupName"));
            if (typeof groupName === "string") {
                for (const g of logGroups.get(groupName) ?? []) {
                    if (isKnownMissing(g.props.kmsKeyId)) findings.push({ urn: cfg.urn, message: `log group "${groupName}" receives invocation logs but has no kmsKeyId` });
                }
            }
            const bucketNames = [get(lc, "s3Config", "bucketName"), get(lc, "cloudwatchConfig", "largeDataDeliveryS3Config", "bucketName")].map(knownString);
            for (const name of new Set(bucketNames)) {
                if (typeof name !== "string" || !buckets.has(name) || sseUndecidable) continue;
                if (bucketUsesKms(sse.get(name) ?? []) === false) {
                    findings.push({ urn: cfg.urn, message: `bucket "${name}" receives invocation logs but has no server-side encryption configuration defaulting to aws:kms with a kmsMasterKeyId` });
                }
            }
        }
        return findings;
    },
});
