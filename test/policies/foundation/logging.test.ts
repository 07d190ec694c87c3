import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../../policies/framework/rule";
import { DEFAULT_SETTINGS } from "../../../common/settings";
import { cloudtrailTrailEnableLogFileValidation } from "../../../policies/rules/aws/cloudtrail/trail-enable-log-file-validation";
import { cloudtrailTrailEnableMultiRegion } from "../../../policies/rules/aws/cloudtrail/trail-enable-multi-region";
import { cloudtrailTrailMissingDataEvents } from "../../../policies/rules/aws/cloudtrail/trail-missing-data-events";
import { cloudtrailTrailMissingKmsKey } from "../../../policies/rules/aws/cloudtrail/trail-missing-kms-key";
import { cloudwatchLogGroupConfigureRetention } from "../../../policies/rules/aws/cloudwatch/loggroup-configure-retention";
import { cloudwatchLogGroupMissingKmsKey } from "../../../policies/rules/aws/cloudwatch/loggroup-missing-kms-key";
import { aiTags, expectFindings, named, res, run, urnOf, type Res } from "../support";

const LG = "aws:cloudwatch/logGroup:LogGroup";
const TRAIL = "aws:cloudtrail/trail:Trail";
const BUCKET = "aws:s3/bucket:Bucket";
const KEY = "arn:aws:kms:eu-west-2:123456789012:key/k1";

describe("CloudWatch log group rules", () => {
    const group = (props: Record<string, unknown> = {}) => res(LG, "training-logs", { kmsKeyId: KEY, retentionInDays: 365, tags: aiTags("monitoring"), ...props });
    const rules = [cloudwatchLogGroupMissingKmsKey, cloudwatchLogGroupConfigureRetention];
    it.each(rules.map((r) => [r.name, r] as const))("%s: a compliant group has no finding", (_n, rule) => expect(run(rule, group())).toEqual([]));
    it.each([
        [cloudwatchLogGroupMissingKmsKey, { kmsKeyId: undefined }, 'AI log group "training-logs" is not encrypted with a customer-managed KMS key'],
        [cloudwatchLogGroupConfigureRetention, { retentionInDays: 30 }, 'AI log group "training-logs" keeps logs for 30 days; the minimum is 365'],
    ] as const)("%s flags a changed field", (rule, change, message) => expectFindings(run(rule, group(change)), [{ message }]));
    it("accepts never-expire retention (0 or unset), honours the setting, and judges untagged groups (scope all) but not under ai-assets", () => {
        expect(run(cloudwatchLogGroupConfigureRetention, group({ retentionInDays: 0 }))).toEqual([]);
        expect(run(cloudwatchLogGroupConfigureRetention, group({ retentionInDays: undefined }))).toEqual([]);
        expect(run(cloudwatchLogGroupConfigureRetention, group({ retentionInDays: 90 }), { ...DEFAULT_SETTINGS, minimumLogRetentionDays: 90 })).toEqual([]);
        expect(run(cloudwatchLogGroupMissingKmsKey, group({ kmsKeyId: undefined, tags: { team: "web" } }))).toHaveLength(1);
        expect(run(cloudwatchLogGroupMissingKmsKey, group({ kmsKeyId: undefined, tags: { team: "web" } }), { ...DEFAULT_SETTINGS, scope: "ai-assets" })).toEqual([]);
        // A log group of an AI service is an AI asset from its name alone.
        expect(run(cloudwatchLogGroupMissingKmsKey, group({ name: "/aws/sagemaker/TrainingJobs", kmsKeyId: undefined, tags: {} }), { ...DEFAULT_SETTINGS, scope: "ai-assets" })).toHaveLength(1);
    });
    it("skips unknown values", () => {
        expect(run(cloudwatchLogGroupMissingKmsKey, group({ kmsKeyId: UNKNOWN }))).toEqual([]);
        expect(run(cloudwatchLogGroupConfigureRetention, group({ retentionInDays: UNKNOWN }))).toEqual([]);
        // Unknown tags do not take a group out of scope.
        expect(run(cloudwatchLogGroupMissingKmsKey, group({ kmsKeyId: undefined, tags: UNKNOWN }))).toHaveLength(1);
    });
});

describe("CloudTrail trail rules", () => {
    const trail = (props: Record<string, unknown> = {}) => res(TRAIL, "audit", { isMultiRegionTrail: true, enableLogFileValidation: true, kmsKeyId: KEY, ...props });
    const rules = [cloudtrailTrailEnableMultiRegion, cloudtrailTrailEnableLogFileValidation, cloudtrailTrailMissingKmsKey];
    it.each(rules.map((r) => [r.name, r] as const))("%s: a compliant trail has no finding", (_n, rule) => expect(run(rule, trail())).toEqual([]));
    it.each([
        [cloudtrailTrailEnableMultiRegion, { isMultiRegionTrail: false }, 'CloudTrail trail "audit" is not multi-region'],
        [cloudtrailTrailEnableLogFileValidation, { enableLogFileValidation: undefined }, 'CloudTrail trail "audit" does not validate log files'],
        [cloudtrailTrailMissingKmsKey, { kmsKeyId: "" }, 'CloudTrail trail "audit" is not encrypted with a customer-managed KMS key'],
    ] as const)("%s flags a changed field", (rule, change, message) => expectFindings(run(rule, trail(change)), [{ message }]));
    it.each(rules.map((r) => [r.name, r] as const))("%s: unknown values give no finding", (_n, rule) => {
        expect(run(rule, trail({ isMultiRegionTrail: UNKNOWN, enableLogFileValidation: UNKNOWN, kmsKeyId: UNKNOWN }))).toEqual([]);
    });
});

describe("aws-cloudtrail-trail-missing-data-events", () => {
    const rule = cloudtrailTrailMissingDataEvents;
    const advanced = (startsWith: unknown) => [
        {
            name: "model data events",
            fieldSelectors: [
                { field: "eventCategory", equals: ["Data"] },
                { field: "resources.type", equals: ["AWS::S3::Object"] },
                { field: "resources.ARN", startsWith },
            ],
        },
    ];
    const stack = (): Res[] => [
        res(BUCKET, "models", { bucket: "models-a1", tags: aiTags("model-store") }),
        res(BUCKET, "datasets", { bucket: "datasets-b2", tags: aiTags("dataset-store") }),
        res(BUCKET, "web", { bucket: "web-c3", tags: {} }),
        res(TRAIL, "audit", { advancedEventSelectors: advanced(["arn:aws:s3:::models-a1/"]) }),
        res(TRAIL, "basic", { eventSelectors: [{ readWriteType: "All", dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3:::datasets-b2/"] }] }] }),
    ];
    it("passes when every AI bucket is covered", () => expect(run(rule, stack())).toEqual([]));
    it("accepts an all-buckets selector", () => {
        const s = stack().filter((r) => r.name !== "basic");
        named(s).audit!.props.advancedEventSelectors = advanced(["arn:aws:s3"]);
        expect(run(rule, s)).toEqual([]);
    });
    it.each([
        ["no selector for the bucket", (s: Res[]) => s.filter((r) => r.name !== "basic")],
        ["write-only basic selector", (s: Res[]) => { named(s).basic!.props.eventSelectors[0].readWriteType = "WriteOnly"; return s; }],
        ["read-only advanced selector", (s: Res[]) => { named(s).audit!.props.advancedEventSelectors = advanced(["arn:aws:s3:::datasets-b2/"]); named(s).audit!.props.advancedEventSelectors[0].fieldSelectors.push({ field: "readOnly", equals: ["true"] }); return s.filter((r) => r.name !== "basic").concat(res(TRAIL, "models-only", { advancedEventSelectors: advanced(["arn:aws:s3:::models-a1/"]) })); }],
    ] as const)("flags the datasets bucket: %s", (_t, change) => {
        expectFindings(run(rule, change(stack())), [{ message: 'S3 bucket "datasets-b2" is not covered by the S3 data events of any CloudTrail trail', urn: urnOf(BUCKET, "datasets") }]);
    });
    it("reads @pulumi/aws's plural operator names (startsWiths), so a selector for another bucket does not cover this one", () => {
        const s = stack().filter((r) => r.name !== "basic");
        named(s).audit!.props.advancedEventSelectors[0].fieldSelectors[2] = { field: "resources.ARN", startsWiths: ["arn:aws:s3:::models-a1/"] };
        expectFindings(run(rule, s), [{ message: 'S3 bucket "datasets-b2" is not covered', urn: urnOf(BUCKET, "datasets") }]);
        named(s).audit!.props.advancedEventSelectors[0].fieldSelectors[2] = { field: "resources.ARN", startsWiths: ["arn:aws:s3:::models-a1/", "arn:aws:s3:::datasets-b2/"] };
        expect(run(rule, s)).toEqual([]);
        named(s).audit!.props.advancedEventSelectors[0].fieldSelectors[2] = { field: "resources.ARN", notStartsWiths: ["arn:aws:s3:::datasets-b2/"] };
        expectFindings(run(rule, s), [{ message: 'S3 bucket "datasets-b2" is not covered', urn: urnOf(BUCKET, "datasets") }]);
    });
    it("flags every AI bucket when the stack has no trail", () => {
        expectFindings(run(rule, stack().filter((r) => r.type !== TRAIL)), [
            { message: '"models-a1" is not covered', urn: urnOf(BUCKET, "models") },
            { message: '"datasets-b2" is not covered', urn: urnOf(BUCKET, "datasets") },
        ]);
    });
    it("reports no violation while selectors or bucket tags are unknown: a trail built from the bucket covers it, others are decided at update", () => {
        const s = stack().filter((r) => r.name !== "basic");
        named(s).audit!.props.advancedEventSelectors = advanced(UNKNOWN);
        const open = run(rule, s);
        expect(open.length).toBeGreaterThan(0);
        for (const f of open) expect(f).toMatchObject({ undecided: true });
        const datasets = named(s).datasets!;
        (named(s).audit as { propertyDependencies?: Record<string, string[]> }).propertyDependencies = { advancedEventSelectors: s.filter((r) => r.type === datasets.type).map((r) => r.urn) };
        expect(run(rule, s)).toEqual([]);
        const t = stack().filter((r) => r.name !== "basic");
        named(t).datasets!.props.tags = UNKNOWN;
        expect(run(rule, t)).toEqual([]);
    });
});
