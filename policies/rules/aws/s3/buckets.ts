/**
 * Shared join logic for the S3 stack rules. In @pulumi/aws v7 a bucket's encryption, versioning,
 * public-access block, ownership, policy, logging and object lock live on separate resources that
 * name the bucket in their `bucket` property (v7's `Bucket` still accepts some of them inline, and
 * those count too). The configuration resources are joined to their bucket by value when it is known
 * and by the engine's dependency URNs when it is not (`framework/references.ts`), so a first preview
 * is judged as an update is. Every bucket in scope is judged (`framework/scope.ts`).
 */
import * as aws from "@pulumi/aws";
import type { Settings } from "../../../../common/settings";
import { UNKNOWN, typeToken, type Finding, type RuleResource, type Unknown } from "../../../framework/rule";
import { groupByTarget, ReferenceIndex, s3BucketOf } from "../../../framework/references";
import { byType, knownString } from "../../../framework/values";
import { awsAssetFacts, type AwsAssetFacts } from "../ai-assets";

/** Bucket type tokens (`BucketV2` is v7's deprecated alias of `Bucket`). */
export const BUCKET_TYPES: readonly string[] = [typeToken(aws.s3.Bucket), typeToken(aws.s3.BucketV2)];

/** A judged bucket, with the name to show (its bucket name when known, else its logical name). */
export interface JudgedBucket {
    readonly resource: RuleResource;
    readonly name: string;
}

/** The name to show for a bucket. */
export function bucketLabel(b: RuleResource): string {
    const v = knownString(b.props.bucket);
    return typeof v === "string" && v.length > 0 ? v : b.name;
}

/** Every bucket of the stack. */
export function allBuckets(resources: readonly RuleResource[]): RuleResource[] {
    const index = byType(resources);
    return BUCKET_TYPES.flatMap((t) => index.get(t) ?? []);
}

/** Buckets in scope, narrowed by `only` (e.g. released-model stores). */
export function judgedBuckets(resources: readonly RuleResource[], settings: Settings, only?: (b: RuleResource, facts: AwsAssetFacts) => boolean): JudgedBucket[] {
    const facts = awsAssetFacts(resources, settings);
    return allBuckets(resources)
        .filter((b) => facts.inScope(b) && (!only || only(b, facts)))
        .map((resource) => ({ resource, name: bucketLabel(resource) }));
}

/**
 * Buckets that hold models, datasets or captured inference data, in every scope: tagged with one of
 * `aiDataStoreKinds`, or recognised from how SageMaker and Bedrock use them.
 */
export function aiDataStores(resources: readonly RuleResource[], settings: Settings): JudgedBucket[] {
    const facts = awsAssetFacts(resources, settings);
    return allBuckets(resources)
        .filter((b) => !facts.excluded.has(b.urn) && settings.aiDataStoreKinds.includes(facts.assets.get(b.urn)?.kind ?? ""))
        .map((resource) => ({ resource, name: bucketLabel(resource) }));
}

const bucketIndexes = new WeakMap<readonly RuleResource[], ReferenceIndex>();

/**
 * The index of the stack's buckets by the identifiers other resources quote (name, id, ARN, S3
 * URI); built once per request and shared by the bucket rules (the adapter's view is frozen).
 */
export function bucketIndex(resources: readonly RuleResource[]): ReferenceIndex {
    const cached = bucketIndexes.get(resources);
    if (cached) return cached;
    const index = new ReferenceIndex(allBuckets(resources), ["bucket", "id", "arn"], s3BucketOf);
    if (Object.isFrozen(resources)) bucketIndexes.set(resources, index);
    return index;
}

/** `onUnknown` of the bucket configuration rules. */
export const BUCKET_CONFIG_ON_UNKNOWN =
    "Joins configuration resources to their bucket by value or, at a first preview, by the engine's dependency URNs. A configuration whose deciding value is unknown, or a bucket that an unresolvable configuration might name, is reported as decided at update (advisory aiguard-undecided-at-preview), never passed silently.";

/** Settings every bucket rule reads (through the scope facts). */
export const BUCKET_SCOPE_SETTINGS = ["scope", "assetKindTagKey", "aiDataStoreKinds", "releasedModelsTag"] as const;

/** A bucket's inline (v7 `Bucket` input) setting `prop`, judged as its separate configuration resource would be. */
export function inlineSetting(prop: string, judge: (config: RuleResource) => Verdict): (bucket: RuleResource) => Verdict | "absent" {
    return (bucket) => {
        const value = bucket.props[prop];
        if (value === undefined || value === null) return "absent";
        if (value === UNKNOWN) return UNKNOWN;
        return judge({ ...bucket, props: value as Readonly<Record<string, unknown>> });
    };
}

/** Access-log target buckets: S3 delivers server access logs only with SSE-S3, and a log bucket does not log itself. */
export const notAccessLogTarget = (b: RuleResource, facts: AwsAssetFacts) => !facts.accessLogTargets.has(b.urn);

/** A judgement of one configuration: `undefined` compliant, a message if not, UNKNOWN if it cannot be told yet. */
export type Verdict = string | undefined | Unknown;

export interface BucketConfigSpec {
    /** Type tokens of the configuration resource (including v7's deprecated V2 aliases). */
    readonly types: readonly string[];
    /** Completes `S3 bucket "<name>" ...` when no configuration resource exists. */
    readonly missing: string;
    /** Judges one configuration resource of the bucket. */
    readonly judge: (config: RuleResource, bucket: JudgedBucket) => Verdict;
    /** The bucket's own inline setting (v7 `Bucket` inputs), when it has one: `undefined` when absent. */
    readonly inline?: (bucket: RuleResource) => Verdict | "absent";
    /** Restricts the check to some buckets (default: every bucket in scope). */
    readonly applies?: (bucket: RuleResource, facts: AwsAssetFacts) => boolean;
}

/**
 * Judges every bucket in scope against its configuration resources (and inline settings). A bucket
 * complies when one of them does. A missing configuration is reported on the bucket's URN, a wrong
 * one on the configuration resource's URN. When a value that decides is unknown, the finding is an
 * "undecided at preview" notice instead (reported by the advisory preview report).
 */
export function checkBucketConfig(resources: readonly RuleResource[], settings: Settings, spec: BucketConfigSpec): Finding[] {
    const index = byType(resources);
    const configs = spec.types.flatMap((t) => index.get(t) ?? []);
    const { byTarget, unresolved } = groupByTarget(bucketIndex(resources), configs, "bucket");
    const findings: Finding[] = [];
    for (const bucket of judgedBuckets(resources, settings, spec.applies)) {
        const mine = byTarget.get(bucket.resource.urn) ?? [];
        const inline = spec.inline ? spec.inline(bucket.resource) : "absent";
        const verdicts = mine.map((c) => ({ c, v: spec.judge(c, bucket) }));
        if (inline !== "absent") verdicts.push({ c: bucket.resource, v: inline });
        if (verdicts.length === 0) {
            if (unresolved) findings.push({ undecided: true, urn: bucket.resource.urn, message: `S3 bucket "${bucket.name}" may have no such configuration: some configuration resource names a bucket that is not known yet` });
            else findings.push({ message: `S3 bucket "${bucket.name}" ${spec.missing}`, urn: bucket.resource.urn });
            continue;
        }
        if (verdicts.some((x) => x.v === undefined)) continue;
        const open = verdicts.filter((x) => x.v === UNKNOWN);
        if (open.length > 0) {
            for (const { c } of open) findings.push({ undecided: true, urn: c.urn, message: `the ${c === bucket.resource ? "inline setting" : `configuration "${c.name}"`} of S3 bucket "${bucket.name}" depends on a value that is not known yet` });
            continue;
        }
        for (const { c, v } of verdicts) findings.push({ message: `S3 bucket "${bucket.name}": ${String(v)}`, urn: c.urn });
    }
    return findings;
}
