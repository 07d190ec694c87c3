/**
 * Pure helpers of {@link AuditTrail}: argument checks, the policy documents (key, bucket, role,
 * topic) and the tamper-detection metric filters. Exported so that tests and the policy pack can
 * reason about exactly what the component deploys.
 */

import { type AssetTags, assetTagsProblem } from "./tags";

/** Where the trail lives; everything the policies need to name it before it exists. */
export interface TrailContext {
    readonly partition: string;
    readonly region: string;
    readonly accountId: string;
    readonly trailName: string;
    readonly logGroupName: string;
}

/** Retention values CloudWatch Logs accepts. */
export const LOG_GROUP_RETENTION_VALUES = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
/** The log group is the search/alerting copy; it keeps at least this many days. */
export const MIN_LOG_GROUP_RETENTION_DAYS = 90;
/** The bucket is the record of what happened; it keeps at least a year. */
export const MIN_BUCKET_RETENTION_DAYS = 365;
export const DEFAULT_LOG_GROUP_RETENTION_DAYS = 365;
export const DEFAULT_BUCKET_RETENTION_DAYS = 365;
export const DEFAULT_ALARM_NAMESPACE = "aiguard/Audit";

const BUCKET_ARN = /^arn:aws(-[a-z]+)*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const TRAIL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/;
const LOG_GROUP_NAME = /^[A-Za-z0-9_\-/.#]{1,512}$/;

/** The arguments the checks look at. */
export interface AuditArgsInput {
    readonly assetTags: AssetTags;
    readonly dataEventBucketArns: readonly unknown[];
    readonly trailName?: string;
    readonly logGroupName?: string;
    readonly logGroupRetentionDays?: number;
    readonly bucketRetentionDays?: number;
    readonly alarmNamespace?: string;
}

/** The first problem with the arguments, or `undefined`. */
export function auditTrailArgsProblem(args: AuditArgsInput): string | undefined {
    const tagsProblem = assetTagsProblem(args.assetTags);
    if (tagsProblem !== undefined) return tagsProblem;
    if (!Array.isArray(args.dataEventBucketArns) || args.dataEventBucketArns.length === 0) {
        return "dataEventBucketArns must list the model and dataset bucket ARNs whose object reads and writes are audited (OM-1, DV-2); at least one is required";
    }
    for (const arn of args.dataEventBucketArns) {
        if (typeof arn === "string" && !BUCKET_ARN.test(arn)) {
            return `dataEventBucketArns entries must be S3 bucket ARNs such as arn:aws:s3:::models-bucket (no key or wildcard); got ${JSON.stringify(arn)}`;
        }
    }
    if (args.trailName !== undefined && !TRAIL_NAME.test(args.trailName)) {
        return `trailName must be 3-128 letters, digits, '.', '_' or '-', starting with a letter or digit; got ${JSON.stringify(args.trailName)}`;
    }
    if (args.logGroupName !== undefined && !LOG_GROUP_NAME.test(args.logGroupName)) {
        return `logGroupName must be 1-512 characters from [A-Za-z0-9_-/.#]; got ${JSON.stringify(args.logGroupName)}`;
    }
    const lg = args.logGroupRetentionDays ?? DEFAULT_LOG_GROUP_RETENTION_DAYS;
    if (!(LOG_GROUP_RETENTION_VALUES as readonly number[]).includes(lg) || lg < MIN_LOG_GROUP_RETENTION_DAYS) {
        const allowed = LOG_GROUP_RETENTION_VALUES.filter((v) => v >= MIN_LOG_GROUP_RETENTION_DAYS).join(", ");
        return `logGroupRetentionDays must be one of CloudWatch's retention values of at least ${MIN_LOG_GROUP_RETENTION_DAYS} days (${allowed}); got ${lg}`;
    }
    const b = args.bucketRetentionDays ?? DEFAULT_BUCKET_RETENTION_DAYS;
    if (!Number.isInteger(b) || b < MIN_BUCKET_RETENTION_DAYS) {
        return `bucketRetentionDays must be a whole number of at least ${MIN_BUCKET_RETENTION_DAYS} days: audit records outlive the incidents they explain; got ${b}`;
    }
    if (args.alarmNamespace !== undefined && (args.alarmNamespace.trim() === "" || args.alarmNamespace.startsWith("AWS/"))) {
        return `alarmNamespace must be non-empty and must not start with "AWS/" (reserved); got ${JSON.stringify(args.alarmNamespace)}`;
    }
    return undefined;
}

export function trailArn(c: TrailContext): string {
    return `arn:${c.partition}:cloudtrail:${c.region}:${c.accountId}:trail/${c.trailName}`;
}

export function logGroupArn(c: TrailContext): string {
    return `arn:${c.partition}:logs:${c.region}:${c.accountId}:log-group:${c.logGroupName}`;
}

/** Bucket policy: TLS only, and CloudTrail may check the ACL and write under AWSLogs/<account>/ for this trail only. */
export function trailBucketPolicy(bucketArn: string, c: TrailContext): Record<string, unknown> {
    const source = { "aws:SourceArn": trailArn(c) };
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [bucketArn, `${bucketArn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
            {
                Sid: "CloudTrailAclCheck",
                Effect: "Allow",
                Principal: { Service: "cloudtrail.amazonaws.com" },
                Action: "s3:GetBucketAcl",
                Resource: bucketArn,
                Condition: { StringEquals: source },
            },
            {
                Sid: "CloudTrailWrite",
                Effect: "Allow",
                Principal: { Service: "cloudtrail.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: `${bucketArn}/AWSLogs/${c.accountId}/*`,
                Condition: { StringEquals: { ...source, "s3:x-amz-acl": "bucket-owner-full-control" } },
            },
        ],
    };
}

/** Trust policy of the CloudWatch Logs delivery role: only CloudTrail, only for this trail. */
export function deliveryTrustPolicy(c: TrailContext): Record<string, unknown> {
    return {
        Version: "2012-10-17",
        Statement: [{
            Sid: "CloudTrailForThisTrail",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": c.accountId, "aws:SourceArn": trailArn(c) } },
        }],
    };
}

/** Permissions of the delivery role: write streams of this log group only. */
export function deliveryRolePolicy(c: TrailContext): Record<string, unknown> {
    return {
        Version: "2012-10-17",
        Statement: [{
            Sid: "WriteTrailLogStreams",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: `${logGroupArn(c)}:log-stream:*`,
        }],
    };
}

/** Topic policy: CloudWatch alarms of this account may publish; nothing is accepted without TLS. */
export function alarmTopicPolicy(topicArn: string, c: Pick<TrailContext, "partition" | "region" | "accountId">): Record<string, unknown> {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "CloudWatchAlarmsOfThisAccount",
                Effect: "Allow",
                Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: "sns:Publish",
                Resource: topicArn,
                Condition: {
                    StringEquals: { "aws:SourceAccount": c.accountId },
                    ArnLike: { "aws:SourceArn": `arn:${c.partition}:cloudwatch:${c.region}:${c.accountId}:alarm:*` },
                },
            },
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "sns:Publish",
                Resource: topicArn,
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    };
}

/** One tamper-detection alarm. */
export interface TamperAlarm {
    /** Stable suffix of the filter and alarm names. */
    readonly id: string;
    readonly metricName: string;
    readonly description: string;
    readonly pattern: string;
}

function anyEvent(source: string, names: readonly string[]): string {
    return `{ ($.eventSource = ${source}) && (${names.map((n) => `($.eventName = ${n})`).join(" || ")}) }`;
}

/** S3 control-plane events that weaken a bucket's protection. */
export const BUCKET_POLICY_EVENTS = [
    "PutBucketPolicy", "DeleteBucketPolicy", "PutBucketAcl",
    "PutBucketPublicAccessBlock", "DeleteBucketPublicAccessBlock", "PutPublicAccessBlock", "DeletePublicAccessBlock",
    "PutBucketVersioning",
] as const;
export const OBJECT_DELETE_EVENTS = ["DeleteObject", "DeleteObjects"] as const;
export const KMS_KEY_EVENTS = ["DisableKey", "ScheduleKeyDeletion"] as const;
export const TRAIL_EVENTS = ["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors"] as const;

/**
 * The alarms. Bucket control-plane changes are watched account-wide (management events cover every
 * bucket, so a new public model bucket is caught too); object deletes come from the data events,
 * which the trail records only for the AI stores.
 */
export function tamperAlarms(): TamperAlarm[] {
    return [
        { id: "bucket-policy-changes", metricName: "BucketPolicyChanges", description: "An S3 bucket policy, ACL, public access block or versioning setting changed (model-store tampering).", pattern: anyEvent("s3.amazonaws.com", BUCKET_POLICY_EVENTS) },
        { id: "ai-store-object-deletes", metricName: "AiStoreObjectDeletes", description: "Objects were deleted from a model or dataset bucket.", pattern: anyEvent("s3.amazonaws.com", OBJECT_DELETE_EVENTS) },
        { id: "kms-key-disable", metricName: "KmsKeyDisableOrDeletion", description: "A KMS key was disabled or scheduled for deletion.", pattern: anyEvent("kms.amazonaws.com", KMS_KEY_EVENTS) },
        { id: "trail-tampering", metricName: "CloudTrailTampering", description: "A CloudTrail trail was stopped, deleted or reconfigured.", pattern: anyEvent("cloudtrail.amazonaws.com", TRAIL_EVENTS) },
    ];
}
