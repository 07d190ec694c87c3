/**
 * The audit trail of an AI platform (OM-1, OM-2, P12, DV-2).
 *
 * Secure defaults: one multi-region CloudTrail trail with global service events and log-file
 * validation, encrypted with its own customer key; S3 data events (reads and writes) on the
 * caller's model and dataset buckets; delivery to a hardened bucket of its own and to an encrypted
 * CloudWatch log group (365 days, deletion protection); and alarms, to an encrypted SNS topic, on
 * the changes an attacker makes to tamper with models or cover their tracks: bucket policy/ACL/
 * public-access changes, object deletes in the AI stores, KMS key disable or deletion, and trail
 * stop/delete/reconfiguration.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createTrailBucket } from "./audit-bucket";
import {
    alarmTopicPolicy,
    auditTrailArgsProblem,
    DEFAULT_ALARM_NAMESPACE,
    DEFAULT_BUCKET_RETENTION_DAYS,
    DEFAULT_LOG_GROUP_RETENTION_DAYS,
    deliveryRolePolicy,
    deliveryTrustPolicy,
    logGroupArn,
    tamperAlarms,
    trailArn,
    type TrailContext,
} from "./audit-policies";
import { EncryptionKey, type ServiceKeyAccess } from "./encryption-key";
import { AssetKinds, assetTags, type AssetTags } from "./tags";

export * from "./audit-policies";

export interface AuditTrailArgs {
    /** Inventory tags. */
    readonly assetTags: AssetTags;
    /** Administrators of the audit key (must include the identity running `pulumi up`). Required. */
    readonly keyAdministratorArns: readonly pulumi.Input<string>[];
    /** Principals that may decrypt and read the logs (auditors, SIEM ingestion). Default none. */
    readonly logReaderArns?: readonly pulumi.Input<string>[];
    /** Model and dataset bucket ARNs whose object-level API calls are recorded as data events. Required, non-empty. */
    readonly dataEventBucketArns: readonly pulumi.Input<string>[];
    /** Record only write data events (no GetObject): a relaxation that hides model exfiltration. Default false. */
    readonly excludeReadDataEvents?: boolean;
    /** Trail name. Default: the component name. */
    readonly trailName?: string;
    /** Log group name. Default `/aiguard/cloudtrail/<trailName>`. */
    readonly logGroupName?: string;
    /** Log group retention, one of CloudWatch's values, at least 90. Default 365. */
    readonly logGroupRetentionDays?: number;
    /** Days the bucket keeps every log file version, at least 365. Default 365. */
    readonly bucketRetentionDays?: number;
    /** Bucket for S3 server access logs of the trail bucket. Default: a hardened access-log bucket is created. */
    readonly accessLogsBucket?: pulumi.Input<string>;
    /**
     * Existing SNS topic for the alarms. Default: a topic encrypted with the audit key is created.
     * The topic's policy and key must admit `cloudwatch.amazonaws.com`.
     */
    readonly alarmTopicArn?: pulumi.Input<string>;
    /** CloudWatch namespace of the tamper metrics. Default `aiguard/Audit`. */
    readonly alarmNamespace?: string;
}

/**
 * What the audit key admits: CloudTrail for this trail only, CloudWatch Logs for this log group
 * only, and (when the component creates the alarm topic) CloudWatch alarms of this account.
 */
function auditKeyServices(context: pulumi.Output<TrailContext>, admitCloudWatch: boolean): ServiceKeyAccess[] {
    const accountId = context.accountId;
    const services: ServiceKeyAccess[] = [
        {
            service: "cloudtrail.amazonaws.com",
            actions: ["kms:GenerateDataKey*"],
            conditions: {
                StringEquals: { "aws:SourceArn": context.apply(trailArn) },
                StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": pulumi.interpolate`arn:${context.partition}:cloudtrail:*:${accountId}:trail/*` },
            },
        },
        {
            service: "cloudtrail.amazonaws.com",
            actions: ["kms:DescribeKey"],
            conditions: { StringEquals: { "aws:SourceArn": context.apply(trailArn) } },
        },
        {
            service: pulumi.interpolate`logs.${context.region}.amazonaws.com`,
            actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            conditions: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": context.apply(logGroupArn) } },
        },
    ];
    if (admitCloudWatch) {
        services.push({
            service: "cloudwatch.amazonaws.com",
            actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
            conditions: {
                StringEquals: { "aws:SourceAccount": accountId },
                ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:${context.partition}:cloudwatch:${context.region}:${accountId}:alarm:*` },
            },
        });
    }
    return services;
}

export class AuditTrail extends pulumi.ComponentResource {
    readonly key: EncryptionKey;
    readonly bucket: aws.s3.Bucket;
    readonly logGroup: aws.cloudwatch.LogGroup;
    readonly deliveryRole: aws.iam.Role;
    readonly trail: aws.cloudtrail.Trail;
    readonly topic: aws.sns.Topic | undefined;

    readonly trailArn: pulumi.Output<string>;
    readonly trailName: pulumi.Output<string>;
    readonly bucketName: pulumi.Output<string>;
    readonly bucketArn: pulumi.Output<string>;
    readonly logGroupName: pulumi.Output<string>;
    readonly logGroupArn: pulumi.Output<string>;
    readonly alarmTopicArn: pulumi.Output<string>;
    readonly keyArn: pulumi.Output<string>;

    constructor(name: string, args: AuditTrailArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aiguard:aws:AuditTrail", name, {}, opts);
        const problem = auditTrailArgsProblem(args);
        if (problem !== undefined) throw new pulumi.ResourceError(problem, this);
        const trailName = args.trailName ?? name;
        const groupName = args.logGroupName ?? `/aiguard/cloudtrail/${trailName}`;
        const auditTags = assetTags(args.assetTags, AssetKinds.auditLogs);
        const monitoringTags = assetTags(args.assetTags, AssetKinds.monitoring);
        const invoke = { parent: this };
        const context: pulumi.Output<TrailContext> = pulumi.all([
            aws.getPartitionOutput({}, invoke).partition,
            aws.getRegionOutput({}, invoke).region,
            aws.getCallerIdentityOutput({}, invoke).accountId,
        ]).apply(([partition, region, accountId]) => ({ partition, region, accountId, trailName, logGroupName: groupName }));
        const createTopic = args.alarmTopicArn === undefined;

        const services = auditKeyServices(context, createTopic);
        this.key = new EncryptionKey(`${name}-key`, {
            description: `Audit trail ${trailName}: log files, log group and alarm topic`,
            assetTags: args.assetTags,
            administratorArns: args.keyAdministratorArns,
            userArns: args.logReaderArns,
            services,
        }, { parent: this });

        const trailBucket = createTrailBucket(name, this, {
            keyArn: this.key.arn,
            retentionDays: args.bucketRetentionDays ?? DEFAULT_BUCKET_RETENTION_DAYS,
            tags: auditTags,
            context,
            accessLogsBucket: args.accessLogsBucket,
            assetTags: args.assetTags,
        });
        this.bucket = trailBucket.bucket;

        this.logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, {
            name: groupName,
            kmsKeyId: this.key.arn,
            retentionInDays: args.logGroupRetentionDays ?? DEFAULT_LOG_GROUP_RETENTION_DAYS,
            deletionProtectionEnabled: true,
            tags: auditTags,
        }, { parent: this });
        this.deliveryRole = new aws.iam.Role(`${name}-delivery-role`, {
            description: `CloudTrail delivery of trail ${trailName} to CloudWatch Logs`,
            assumeRolePolicy: pulumi.jsonStringify(context.apply(deliveryTrustPolicy)),
            tags: assetTags(args.assetTags, AssetKinds.role),
        }, { parent: this });
        const deliveryPolicy = new aws.iam.RolePolicy(`${name}-delivery-policy`, {
            role: this.deliveryRole.name,
            policy: pulumi.jsonStringify(context.apply(deliveryRolePolicy)),
        }, { parent: this });

        const selectors: pulumi.Input<aws.types.input.cloudtrail.TrailAdvancedEventSelectorFieldSelector>[] = [
            { field: "eventCategory", equals: ["Data"] },
            { field: "resources.type", equals: ["AWS::S3::Object"] },
            { field: "resources.ARN", startsWiths: args.dataEventBucketArns.map((arn) => pulumi.interpolate`${arn}/`) },
        ];
        if (args.excludeReadDataEvents === true) {
            selectors.push({ field: "readOnly", equals: ["false"] });
        }
        this.trail = new aws.cloudtrail.Trail(`${name}-trail`, {
            name: trailName,
            s3BucketName: this.bucket.id,
            kmsKeyId: this.key.arn,
            isMultiRegionTrail: true,
            includeGlobalServiceEvents: true,
            enableLogFileValidation: true,
            enableLogging: true,
            isOrganizationTrail: false,
            cloudWatchLogsGroupArn: pulumi.interpolate`${this.logGroup.arn}:*`,
            cloudWatchLogsRoleArn: this.deliveryRole.arn,
            advancedEventSelectors: [
                { name: "All management events", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
                { name: "AI store object events", fieldSelectors: selectors },
            ],
            tags: auditTags,
        }, { parent: this, dependsOn: [...trailBucket.readiness, deliveryPolicy] });

        let topicArn: pulumi.Output<string>;
        if (createTopic) {
            this.topic = new aws.sns.Topic(`${name}-alarms`, {
                kmsMasterKeyId: this.key.arn,
                tags: monitoringTags,
            }, { parent: this });
            new aws.sns.TopicPolicy(`${name}-alarms-policy`, {
                arn: this.topic.arn,
                policy: pulumi.jsonStringify(pulumi.all([this.topic.arn, context]).apply(([arn, c]) => alarmTopicPolicy(arn, c))),
            }, { parent: this });
            topicArn = this.topic.arn;
        } else {
            topicArn = pulumi.output(args.alarmTopicArn!);
        }

        this.buildTamperAlarms(name, trailName, args.alarmNamespace ?? DEFAULT_ALARM_NAMESPACE, topicArn, monitoringTags);

        this.trailArn = this.trail.arn;
        this.trailName = this.trail.name;
        this.bucketName = this.bucket.bucket;
        this.bucketArn = this.bucket.arn;
        this.logGroupName = this.logGroup.name;
        this.logGroupArn = this.logGroup.arn;
        this.alarmTopicArn = topicArn;
        this.keyArn = this.key.arn;
        this.registerOutputs({
            trailArn: this.trailArn,
            trailName: this.trailName,
            bucketName: this.bucketName,
            bucketArn: this.bucketArn,
            logGroupName: this.logGroupName,
            logGroupArn: this.logGroupArn,
            alarmTopicArn: this.alarmTopicArn,
            keyArn: this.keyArn,
        });
    }

    /** One metric filter on the trail's log group and one alarm to the topic per tamper signal. */
    private buildTamperAlarms(name: string, trailName: string, namespace: string, topicArn: pulumi.Output<string>, monitoringTags: Record<string, string>): void {
        for (const alarm of tamperAlarms()) {
            const filter = new aws.cloudwatch.LogMetricFilter(`${name}-${alarm.id}-filter`, {
                logGroupName: this.logGroup.name,
                pattern: alarm.pattern,
                metricTransformation: { name: alarm.metricName, namespace, value: "1", defaultValue: "0" },
            }, { parent: this });
            new aws.cloudwatch.MetricAlarm(`${name}-${alarm.id}-alarm`, {
                alarmDescription: `${alarm.description} Trail: ${trailName}.`,
                namespace,
                metricName: alarm.metricName,
                statistic: "Sum",
                period: 300,
                evaluationPeriods: 1,
                threshold: 1,
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                treatMissingData: "notBreaching",
                actionsEnabled: true,
                alarmActions: [topicArn],
                tags: monitoringTags,
            }, { parent: this, dependsOn: [filter] });
        }
    }
}
