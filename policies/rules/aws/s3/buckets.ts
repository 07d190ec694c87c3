/**
 * Shared join logic for the S3 stack rules. In @pulumi/aws v7 a bucket's encryption, versioning,
 * public-access block, ownership, policy, logging and object lock live on separate resources that
 * name the bucket in their `bucket` property; these helpers index those resources once per check
 * and judge each AI data store bucket against them.
 */
import * as aws from "@pulumi/aws";
import { UNKNOWN, type Finding, type Maybe, type RuleResource, type Unknown, typeToken } from "../../../framework/rule";
import { byType, isAiDataStore } from "../../../framework/values";
import type { Settings } from "../../../../common/settings";

/** Bucket type tokens (`BucketV2` is v7's deprecated alias of `Bucket`). */
export const BUCKET_TYPES: readonly string[] = [typeToken(aws.s3.Bucket), typeToken(aws.s3.BucketV2)];

/** A bucket known to be an AI data store, with its known name. */
export interface AiBucket {
    readonly resource: RuleResource;
    readonly name: string;
}

/** The bucket's name from its outputs (`bucket`, falling back to `id`); UNKNOWN or undefined otherwise. */
export function bucketName(props: Readonly<Record<string, unknown>>): Maybe<string | undefined> {
    const v = props.bucket ?? props.id;
    if (v === UNKNOWN) return UNKNOWN;
    return typeof v === "string" && v.length > 0 ? v : undefined;
}

/**
 * Buckets known to be AI data stores (asset-kind tag in `settings.aiDataStoreKinds`) whose name is
 * known. Buckets whose tags or name are unknown are left out: the pack re-runs when they are known.
 * `also` narrows further (e.g. released-model stores); an UNKNOWN answer leaves the bucket out.
 */
export function aiBuckets(
    index: ReadonlyMap<string, readonly RuleResource[]>,
    settings: Settings,
    also?: (bucket: RuleResource) => Maybe<boolean>,
): AiBucket[] {
    const out: AiBucket[] = [];
    for (const type of BUCKET_TYPES) {
        for (const r of index.get(type) ?? []) {
            if (isAiDataStore(r.props, settings) !== true) continue;
            if (also && also(r) !== true) continue;
            const name = bucketName(r.props);
            if (typeof name === "string") out.push({ resource: r, name });
        }
    }
    return out;
}

/** Configuration resources of some types, indexed by the bucket name they configure. */
export class BucketConfigIndex {
    private readonly byBucket = new Map<string, RuleResource[]>();
    /** True if some configuration resource names a bucket that is not known yet. */
    readonly hasUnknownBucket: boolean;

    constructor(index: ReadonlyMap<string, readonly RuleResource[]>, types: readonly string[]) {
        let unknown = false;
        for (const type of types) {
            for (const r of index.get(type) ?? []) {
                const b = r.props.bucket;
                if (b === UNKNOWN) unknown = true;
                else if (typeof b === "string") {
                    let list = this.byBucket.get(b);
                    if (!list) this.byBucket.set(b, (list = []));
                    list.push(r);
                }
            }
        }
        this.hasUnknownBucket = unknown;
    }

    forBucket(name: string): readonly RuleResource[] {
        return this.byBucket.get(name) ?? [];
    }
}

/** A judgement of one configuration resource: `undefined` compliant, a message if not, UNKNOWN if it cannot be told yet. */
export type Verdict = string | undefined | Unknown;

export interface BucketConfigSpec {
    /** Type tokens of the configuration resource (including v7's deprecated V2 aliases). */
    readonly types: readonly string[];
    /** Completes `S3 bucket "<name>" ...` when no configuration resource exists. */
    readonly missing: string;
    /** Judges one configuration resource of the bucket. */
    readonly judge: (config: RuleResource, bucket: AiBucket) => Verdict;
    /** Restricts the check to some AI buckets (default: all). */
    readonly applies?: (bucket: RuleResource) => Maybe<boolean>;
}

/**
 * Judges every AI data store bucket against its configuration resources. A bucket complies when
 * at least one of its configuration resources does. A missing configuration is reported on the
 * bucket's URN, a wrong one on the configuration resource's URN. Nothing is reported while a
 * relevant value (tags, names, settings) is unknown.
 */
export function checkBucketConfig(resources: readonly RuleResource[], settings: Settings, spec: BucketConfigSpec): Finding[] {
    const index = byType(resources);
    const configs = new BucketConfigIndex(index, spec.types);
    const findings: Finding[] = [];
    for (const bucket of aiBuckets(index, settings, spec.applies)) {
        const mine = configs.forBucket(bucket.name);
        if (mine.length === 0) {
            if (!configs.hasUnknownBucket) findings.push({ message: `S3 bucket "${bucket.name}" ${spec.missing}`, urn: bucket.resource.urn });
            continue;
        }
        const verdicts = mine.map((c) => ({ c, v: spec.judge(c, bucket) }));
        if (verdicts.some((x) => x.v === undefined) || verdicts.some((x) => x.v === UNKNOWN)) continue;
        for (const { c, v } of verdicts) findings.push({ message: `S3 bucket "${bucket.name}": ${String(v)}`, urn: c.urn });
    }
    return findings;
}
