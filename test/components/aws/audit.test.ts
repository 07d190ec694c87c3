import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { AuditTrail, type AuditTrailArgs, auditTrailArgsProblem, tamperAlarms } from "../../../components/aws/audit";
import { MOCK_ACCOUNT_ID, policyDoc, record, type Recorded } from "../../harness";

const T = {
    component: "aiguard:aws:AuditTrail",
    encryptionKey: "aiguard:aws:EncryptionKey",
    kmsKey: "aws:kms/key:Key",
    bucket: "aws:s3/bucket:Bucket",
    pab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    logging: "aws:s3/bucketLogging:BucketLogging",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    trail: "aws:cloudtrail/trail:Trail",
    topic: "aws:sns/topic:Topic",
    topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    filter: "aws:cloudwatch/logMetricFilter:LogMetricFilter",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
} as const;

const ACCT = MOCK_ACCOUNT_ID;
const ADMIN = "arn:aws:iam::123456789012:role/platform-admin";
const AUDITOR = "arn:aws:iam::123456789012:role/auditor";
const MODELS = "arn:aws:s3:::acme-models";
const DATASETS = "arn:aws:s3:::acme-datasets";
const TRAIL_ARN = `arn:aws:cloudtrail:eu-west-2:${ACCT}:trail/au`;
const KEY_ARN = `arn:aws:kms:eu-west-2:${ACCT}:key/au-key-key-key-id`;
const BUCKET_ARN = "arn:aws:s3:::au-bucket-0a1b2c3";
const LOG_GROUP = "/aiguard/cloudtrail/au";
const LOG_GROUP_ARN = `arn:aws:logs:eu-west-2:${ACCT}:log-group:${LOG_GROUP}`;
const TOPIC_ARN = `arn:aws:sns:eu-west-2:${ACCT}:au-alarms-0a1b2c3`;
const OWNER = { owner: "security@example.com", dataClassification: "restricted" } as const;
const tagsOf = (kind: string) => ({ "aiguard:owner": OWNER.owner, "aiguard:data-classification": OWNER.dataClassification, "aiguard:asset-kind": kind });

function base(over: Partial<AuditTrailArgs> = {}): AuditTrailArgs {
    return { assetTags: OWNER, keyAdministratorArns: [ADMIN], logReaderArns: [AUDITOR], dataEventBucketArns: [MODELS, DATASETS], ...over };
}

async function build(args: AuditTrailArgs): Promise<Recorded<Record<string, pulumi.Output<string>>>> {
    return record(() => {
        const a = new AuditTrail("au", args);
        return { trailArn: a.trailArn, topic: a.alarmTopicArn, bucket: a.bucketName, logGroup: a.logGroupName };
    });
}

async function rejection(args: AuditTrailArgs): Promise<Error> {
    const run = await record(() => {
        try {
            new AuditTrail("au", args);
        } catch (err) {
            return { err: err as Error };
        }
        return { err: undefined };
    });
    if (!run.result.err) throw new Error("expected the component to reject its arguments");
    return run.result.err;
}

const value = <V>(o: pulumi.Output<V>): Promise<V> => new Promise((r) => o.apply((v) => r(v)));

describe("AuditTrail defaults", () => {
    it("creates exactly the hardened children, all parented to the component", async () => {
        const run = await build(base());
        const comp = run.get(T.component, "au");
        const key = run.get(T.encryptionKey, "au-key");
        const expected = [
            [T.encryptionKey, "au-key"], [T.bucket, "au-bucket"], [T.pab, "au-bucket-public-access-block"], [T.ownership, "au-bucket-ownership"],
            [T.encryption, "au-bucket-encryption"], [T.versioning, "au-bucket-versioning"], [T.lifecycle, "au-bucket-lifecycle"],
            [T.bucketPolicy, "au-bucket-policy"], [T.logGroup, "au-logs"], [T.role, "au-delivery-role"], [T.rolePolicy, "au-delivery-policy"],
            [T.trail, "au-trail"], [T.topic, "au-alarms"], [T.topicPolicy, "au-alarms-policy"],
            // Access logging of the trail bucket, to a hardened access-log bucket of its own by default.
            [T.logging, "au-bucket-logging"], [T.bucket, "au-bucket-access-logs"], [T.pab, "au-bucket-access-logs-public-access-block"],
            [T.ownership, "au-bucket-access-logs-ownership"], [T.encryption, "au-bucket-access-logs-encryption"], [T.versioning, "au-bucket-access-logs-versioning"],
            [T.bucketPolicy, "au-bucket-access-logs-policy"], [T.lifecycle, "au-bucket-access-logs-lifecycle"],
            ...tamperAlarms().flatMap((a) => [[T.filter, `au-${a.id}-filter`], [T.alarm, `au-${a.id}-alarm`]]),
        ].map(([t, n]) => `${t} ${n}`);
        expect(run.childrenOf(comp.urn).map((r) => `${r.type} ${r.name}`).sort()).toEqual(expected.sort());
        expect(run.childrenOf(key.urn).map((r) => r.type)).toEqual([T.kmsKey]);
        for (const r of run.resources) {
            if (r.urn !== comp.urn && r.urn !== key.urn) expect([comp.urn, key.urn]).toContain(r.parent);
        }
        expect(run.resources).toHaveLength(expected.length + 2);
    });

    it("records every region, global events and validated log files, encrypted with the customer key", async () => {
        const run = await build(base());
        const trail = run.inputs(T.trail, "au-trail");
        expect(trail).toMatchObject({
            name: "au",
            s3BucketName: "au-bucket-0a1b2c3",
            kmsKeyId: KEY_ARN,
            isMultiRegionTrail: true,
            includeGlobalServiceEvents: true,
            enableLogFileValidation: true,
            enableLogging: true,
            isOrganizationTrail: false,
            cloudWatchLogsGroupArn: `${LOG_GROUP_ARN}:*`,
            cloudWatchLogsRoleArn: `arn:aws:iam::${ACCT}:role/au-delivery-role-0a1b2c3`,
            tags: tagsOf("audit-logs"),
        });
        expect(await value(run.result.trailArn)).toBe(TRAIL_ARN);
        const deps = run.get(T.trail, "au-trail").dependencies;
        for (const [t, n] of [[T.bucketPolicy, "au-bucket-policy"], [T.pab, "au-bucket-public-access-block"], [T.encryption, "au-bucket-encryption"], [T.rolePolicy, "au-delivery-policy"]] as const) {
            expect(deps).toContain(run.get(t, n).urn);
        }
    });

    it("records management events and all data events on exactly the AI buckets", async () => {
        const run = await build(base());
        expect(run.inputs(T.trail, "au-trail").advancedEventSelectors).toEqual([
            { name: "All management events", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
            {
                name: "AI store object events",
                fieldSelectors: [
                    { field: "eventCategory", equals: ["Data"] },
                    { field: "resources.type", equals: ["AWS::S3::Object"] },
                    { field: "resources.ARN", startsWiths: [`${MODELS}/`, `${DATASETS}/`] },
                ],
            },
        ]);
    });

    it("admits CloudTrail, CloudWatch Logs and CloudWatch alarms to the key only for this trail, log group and account", async () => {
        const run = await build(base());
        const key = run.inputs(T.kmsKey, "au-key-key");
        expect(key.enableKeyRotation).toBe(true);
        const st = policyDoc(key.policy).Statement;
        const sid = (s: string) => st.find((x) => x.Sid === s);
        expect(sid("ServiceUse0")).toMatchObject({
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: ["kms:GenerateDataKey*"],
            Condition: {
                StringEquals: { "aws:SourceArn": TRAIL_ARN },
                StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${ACCT}:trail/*` },
            },
        });
        expect(sid("ServiceUse1")).toMatchObject({ Principal: { Service: "cloudtrail.amazonaws.com" }, Action: ["kms:DescribeKey"], Condition: { StringEquals: { "aws:SourceArn": TRAIL_ARN } } });
        expect(sid("ServiceUse2")).toMatchObject({
            Principal: { Service: "logs.eu-west-2.amazonaws.com" },
            Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": LOG_GROUP_ARN } },
        });
        expect(sid("ServiceUse3")).toMatchObject({
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
            Condition: { StringEquals: { "aws:SourceAccount": ACCT }, ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:eu-west-2:${ACCT}:alarm:*` } },
        });
        expect(sid("KeyUse").Principal).toEqual({ AWS: [AUDITOR] });
        expect(st.filter((s) => s.Principal?.AWS === "*" || s.Principal === "*")).toEqual([]);
    });

    it("hardens the log bucket: SSE-KMS, versioning, four public-access blocks, ACLs off, one-year lifecycle", async () => {
        const run = await build(base());
        expect(run.inputs(T.bucket, "au-bucket")).toEqual({ forceDestroy: false, tags: tagsOf("audit-logs") });
        expect(run.inputs(T.pab, "au-bucket-public-access-block")).toEqual({ bucket: "au-bucket-0a1b2c3", blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
        expect(run.inputs(T.ownership, "au-bucket-ownership")).toEqual({ bucket: "au-bucket-0a1b2c3", rule: { objectOwnership: "BucketOwnerEnforced" } });
        expect(run.inputs(T.encryption, "au-bucket-encryption").rules).toEqual([{
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN }, bucketKeyEnabled: true, blockedEncryptionTypes: ["SSE-C"],
        }]);
        expect(run.inputs(T.versioning, "au-bucket-versioning").versioningConfiguration).toEqual({ status: "Enabled" });
        expect(run.inputs(T.lifecycle, "au-bucket-lifecycle").rules).toEqual([{
            id: "retain-audit-logs", status: "Enabled", filter: {}, expiration: { days: 365 }, noncurrentVersionExpiration: { noncurrentDays: 365 }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        }]);
        expect(run.get(T.lifecycle, "au-bucket-lifecycle").dependencies).toContain(run.get(T.versioning, "au-bucket-versioning").urn);
        // Access logs of the trail bucket go to its own access-log bucket (SSE-S3: the only encryption S3 log delivery supports).
        expect(run.inputs(T.logging, "au-bucket-logging")).toEqual({ bucket: "au-bucket-0a1b2c3", targetBucket: "au-bucket-access-logs-0a1b2c3", targetPrefix: "au-bucket-0a1b2c3/" });
        expect(run.inputs(T.encryption, "au-bucket-access-logs-encryption").rules[0].applyServerSideEncryptionByDefault).toEqual({ sseAlgorithm: "AES256" });
    });

    it("bucket policy: TLS only; CloudTrail may read the ACL and write AWSLogs/<account>/ for this trail only", async () => {
        const run = await build(base());
        expect(policyDoc(run.inputs(T.bucketPolicy, "au-bucket-policy").policy).Statement).toEqual([
            { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
            { Sid: "CloudTrailAclCheck", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "s3:GetBucketAcl", Resource: BUCKET_ARN, Condition: { StringEquals: { "aws:SourceArn": TRAIL_ARN } } },
            {
                Sid: "CloudTrailWrite", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "s3:PutObject", Resource: `${BUCKET_ARN}/AWSLogs/${ACCT}/*`,
                Condition: { StringEquals: { "aws:SourceArn": TRAIL_ARN, "s3:x-amz-acl": "bucket-owner-full-control" } },
            },
        ]);
    });

    it("delivers to an encrypted, protected log group through a role only this trail can assume", async () => {
        const run = await build(base());
        expect(run.inputs(T.logGroup, "au-logs")).toEqual({ name: LOG_GROUP, kmsKeyId: KEY_ARN, retentionInDays: 365, deletionProtectionEnabled: true, tags: tagsOf("audit-logs") });
        expect(await value(run.result.logGroup)).toBe(LOG_GROUP);
        const role = run.inputs(T.role, "au-delivery-role");
        expect(role.tags).toEqual(tagsOf("role"));
        expect(policyDoc(role.assumeRolePolicy).Statement).toEqual([{
            Sid: "CloudTrailForThisTrail", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": ACCT, "aws:SourceArn": TRAIL_ARN } },
        }]);
        const rp = run.inputs(T.rolePolicy, "au-delivery-policy");
        expect(rp.role).toBe("au-delivery-role-0a1b2c3");
        expect(policyDoc(rp.policy).Statement).toEqual([{
            Sid: "WriteTrailLogStreams", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${LOG_GROUP_ARN}:log-stream:*`,
        }]);
    });

    it("alarms on bucket policy changes, AI store deletes, key disable/deletion and trail tampering to an encrypted topic", async () => {
        const run = await build(base());
        expect(run.inputs(T.topic, "au-alarms")).toEqual({ kmsMasterKeyId: KEY_ARN, tags: tagsOf("monitoring") });
        expect(await value(run.result.topic)).toBe(TOPIC_ARN);
        expect(policyDoc(run.inputs(T.topicPolicy, "au-alarms-policy").policy).Statement).toEqual([
            {
                Sid: "CloudWatchAlarmsOfThisAccount", Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: TOPIC_ARN,
                Condition: { StringEquals: { "aws:SourceAccount": ACCT }, ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:eu-west-2:${ACCT}:alarm:*` } },
            },
            { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "sns:Publish", Resource: TOPIC_ARN, Condition: { Bool: { "aws:SecureTransport": "false" } } },
        ]);
        const patterns = Object.fromEntries(run.ofType(T.filter).map((f) => [f.name, f.inputs.pattern]));
        expect(patterns).toEqual({
            "au-bucket-policy-changes-filter": "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketPolicy) || ($.eventName = DeleteBucketPolicy) || ($.eventName = PutBucketAcl) || ($.eventName = PutBucketPublicAccessBlock) || ($.eventName = DeleteBucketPublicAccessBlock) || ($.eventName = PutPublicAccessBlock) || ($.eventName = DeletePublicAccessBlock) || ($.eventName = PutBucketVersioning)) }",
            "au-ai-store-object-deletes-filter": "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = DeleteObject) || ($.eventName = DeleteObjects)) }",
            "au-kms-key-disable-filter": "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }",
            "au-trail-tampering-filter": "{ ($.eventSource = cloudtrail.amazonaws.com) && (($.eventName = StopLogging) || ($.eventName = DeleteTrail) || ($.eventName = UpdateTrail) || ($.eventName = PutEventSelectors)) }",
        });
        for (const a of tamperAlarms()) {
            const f = run.inputs(T.filter, `au-${a.id}-filter`);
            expect(f.logGroupName).toBe(LOG_GROUP);
            expect(f.metricTransformation).toEqual({ name: a.metricName, namespace: "aiguard/Audit", value: "1", defaultValue: "0" });
            const alarm = run.inputs(T.alarm, `au-${a.id}-alarm`);
            expect(alarm).toMatchObject({
                namespace: "aiguard/Audit", metricName: a.metricName, statistic: "Sum", period: 300, evaluationPeriods: 1, threshold: 1,
                comparisonOperator: "GreaterThanOrEqualToThreshold", treatMissingData: "notBreaching", actionsEnabled: true,
                alarmActions: [TOPIC_ARN], tags: tagsOf("monitoring"),
            });
            expect(run.get(T.alarm, `au-${a.id}-alarm`).dependencies).toContain(run.get(T.filter, `au-${a.id}-filter`).urn);
        }
    });
});

describe("AuditTrail options", () => {
    it("excludeReadDataEvents records only writes (explicit relaxation)", async () => {
        const run = await build(base({ excludeReadDataEvents: true }));
        expect(run.inputs(T.trail, "au-trail").advancedEventSelectors[1].fieldSelectors).toContainEqual({ field: "readOnly", equals: ["false"] });
        const strict = await build(base());
        expect(strict.inputs(T.trail, "au-trail").advancedEventSelectors[1].fieldSelectors.map((f: any) => f.field)).not.toContain("readOnly");
    });

    it("uses an existing alarm topic without creating one or admitting CloudWatch to the key", async () => {
        const topic = "arn:aws:sns:eu-west-2:123456789012:security-alerts";
        const run = await build(base({ alarmTopicArn: topic }));
        expect(run.ofType(T.topic)).toEqual([]);
        expect(run.ofType(T.topicPolicy)).toEqual([]);
        for (const a of run.ofType(T.alarm)) expect(a.inputs.alarmActions).toEqual([topic]);
        expect(await value(run.result.topic)).toBe(topic);
        const services = policyDoc(run.inputs(T.kmsKey, "au-key-key").policy).Statement.map((s) => s.Principal?.Service).filter(Boolean);
        expect(services).toEqual(["cloudtrail.amazonaws.com", "cloudtrail.amazonaws.com", "logs.eu-west-2.amazonaws.com"]);
    });

    it("applies names, retention, namespace and access logging", async () => {
        const run = await build(base({
            trailName: "org-audit", logGroupName: "/audit/ai", logGroupRetentionDays: 731, bucketRetentionDays: 2555,
            alarmNamespace: "acme/Security", accessLogsBucket: "acme-access-logs",
        }));
        expect(run.inputs(T.trail, "au-trail").name).toBe("org-audit");
        expect(run.inputs(T.logGroup, "au-logs")).toMatchObject({ name: "/audit/ai", retentionInDays: 731 });
        expect(run.inputs(T.lifecycle, "au-bucket-lifecycle").rules[0]).toMatchObject({ expiration: { days: 2555 }, noncurrentVersionExpiration: { noncurrentDays: 2555 } });
        expect(run.ofType(T.alarm).map((a) => a.inputs.namespace)).toEqual(["acme/Security", "acme/Security", "acme/Security", "acme/Security"]);
        expect(run.inputs(T.logging, "au-bucket-logging")).toEqual({ bucket: "au-bucket-0a1b2c3", targetBucket: "acme-access-logs", targetPrefix: "au-bucket-0a1b2c3/" });
        const trailArn = `arn:aws:cloudtrail:eu-west-2:${ACCT}:trail/org-audit`;
        const key = policyDoc(run.inputs(T.kmsKey, "au-key-key").policy).Statement;
        expect(key.find((s) => s.Sid === "ServiceUse0").Condition.StringEquals).toEqual({ "aws:SourceArn": trailArn });
        expect(key.find((s) => s.Sid === "ServiceUse2").Condition.ArnEquals).toEqual({ "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:eu-west-2:${ACCT}:log-group:/audit/ai` });
        expect(run.get(T.logging, "au-bucket-logging").parent).toBe(run.get(T.component, "au").urn);
    });
});

describe("AuditTrail rejects unsafe or malformed arguments", () => {
    const cases: [string, Partial<AuditTrailArgs>, string][] = [
        ["no data event buckets", { dataEventBucketArns: [] }, "dataEventBucketArns must list the model and dataset bucket ARNs whose object reads and writes are audited (OM-1, DV-2); at least one is required"],
        ["an object ARN", { dataEventBucketArns: ["arn:aws:s3:::acme-models/*"] }, 'dataEventBucketArns entries must be S3 bucket ARNs such as arn:aws:s3:::models-bucket (no key or wildcard); got "arn:aws:s3:::acme-models/*"'],
        ["a bad trail name", { trailName: "a b" }, 'trailName must be 3-128 letters, digits, \'.\', \'_\' or \'-\', starting with a letter or digit; got "a b"'],
        ["a bad log group name", { logGroupName: "audit logs" }, 'logGroupName must be 1-512 characters from [A-Za-z0-9_-/.#]; got "audit logs"'],
        ["a retention CloudWatch does not offer", { logGroupRetentionDays: 100 }, "logGroupRetentionDays must be one of CloudWatch's retention values of at least 90 days (90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653); got 100"],
        ["a log group retention under 90 days", { logGroupRetentionDays: 30 }, "logGroupRetentionDays must be one of CloudWatch's retention values of at least 90 days"],
        ["bucket retention under a year", { bucketRetentionDays: 180 }, "bucketRetentionDays must be a whole number of at least 365 days: audit records outlive the incidents they explain; got 180"],
        ["an AWS/ namespace", { alarmNamespace: "AWS/S3" }, 'alarmNamespace must be non-empty and must not start with "AWS/" (reserved); got "AWS/S3"'],
    ];
    it.each(cases)("rejects %s", async (_label, over, message) => {
        expect(auditTrailArgsProblem(base(over))).toContain(message);
        const err = await rejection(base(over));
        expect(err).toBeInstanceOf(pulumi.ResourceError);
        expect(err.message).toContain(message);
    });

    it("rejects a key with no administrators and missing inventory tags", async () => {
        expect((await rejection(base({ keyAdministratorArns: [] }))).message).toContain("administratorArns must name at least one key administrator");
        expect((await rejection(base({ assetTags: { owner: "x", dataClassification: "secret" as any } }))).message).toContain("assetTags.dataClassification must be one of");
    });
});
