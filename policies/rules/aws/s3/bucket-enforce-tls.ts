import * as aws from "@pulumi/aws";
import { UNKNOWN, typeToken, stackRule } from "../../../framework/rule";
import { containsUnknown, parsePolicy, type Statement } from "../../../framework/values";
import { isEveryone } from "../principals";
import { BUCKET_CONFIG_ON_UNKNOWN, BUCKET_SCOPE_SETTINGS, checkBucketConfig, inlineSetting, type Verdict } from "./buckets";
import type { RuleResource } from "../../../framework/rule";

/** True if the statement denies every S3 action to everyone when the request is not over TLS. */
export function deniesInsecureTransport(s: Statement): boolean {
    if (s.effect !== "Deny" || isEveryone(s.principal) !== true) return false;
    if (s.action === UNKNOWN || !s.action || !s.action.some((a) => a === "s3:*" || a === "*")) return false;
    const condition = s.condition;
    if (!condition || condition === UNKNOWN || typeof condition !== "object") return false;
    for (const [operator, block] of Object.entries(condition)) {
        if (operator !== "Bool" && operator !== "BoolIfExists") continue;
        if (!block || typeof block !== "object") continue;
        for (const [key, value] of Object.entries(block)) {
            if (key.toLowerCase() !== "aws:securetransport") continue;
            const values = Array.isArray(value) ? value : [value];
            if (values.some((v) => v === false || v === "false")) return true;
        }
    }
    return false;
}

export function judgeTlsPolicy(config: RuleResource): Verdict {
    const parsed = parsePolicy(config.props.policy);
    if (!parsed.ok) return parsed.unknown ? UNKNOWN : `bucket policy cannot be read: ${parsed.error}`;
    if (parsed.statements.some(deniesInsecureTransport)) return undefined;
    if (parsed.statements.some((s) => s.effectUnknown || containsUnknown(s))) return UNKNOWN;
    return 'bucket policy has no statement denying s3:* to "*" when aws:SecureTransport is false';
}

export const s3BucketEnforceTls = stackRule({
    judges: [aws.s3.Bucket, aws.s3.BucketV2],
    name: "aws-s3-bucket-enforce-tls",
    description:
        "S3 buckets in scope (by default every bucket: models, datasets and captured inference data land in buckets that no tag announces) must have a bucket policy that denies every request not made over TLS. Models and training data must not cross any network in clear text.",
    clauses: ["DP-1", "DV-2", "P5", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Add an `aws.s3.BucketPolicy` for the bucket with the statement `{ Sid: \"DenyInsecureTransport\", Effect: \"Deny\", Principal: \"*\", Action: \"s3:*\", Resource: [bucketArn, `${bucketArn}/*`], Condition: { Bool: { \"aws:SecureTransport\": \"false\" } } }`.",
    url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit",
    settings: [...BUCKET_SCOPE_SETTINGS],
    onUnknown: BUCKET_CONFIG_ON_UNKNOWN,
    check: (resources, { settings }) =>
        checkBucketConfig(resources, settings, {
            types: [typeToken(aws.s3.BucketPolicy)],
            missing: "has no bucket policy denying non-TLS requests (aws.s3.BucketPolicy with aws:SecureTransport false)",
            judge: judgeTlsPolicy,
            inline: inlineSetting("policy", (b) => judgeTlsPolicy({ ...b, props: { policy: b.props } })),
        }),
});
