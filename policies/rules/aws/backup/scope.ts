/**
 * What the backup rules govern, computed once per stack:
 *  - AI data stores: S3 buckets whose asset-kind tag is one of `settings.aiDataStoreKinds`;
 *  - AI backup plans: plans with a selection that covers an AI data store, or tagged as AI resources;
 *  - AI backup vaults: vaults tagged as AI resources, or targeted (rule target or copy destination)
 *    by an AI backup plan.
 * Selection semantics follow AWS Backup: (`resources` OR `selectionTags`), AND every `conditions`
 * entry, minus `notResources`; ARNs in `resources`/`notResources` may use `*` wildcards.
 */
import * as aws from "@pulumi/aws";
import { UNKNOWN, type Maybe, type RuleResource, typeToken } from "../../../framework/rule";
import { asList, byType, containsUnknown, get, isAiResource, tagsOf } from "../../../framework/values";
import { aiDataStores } from "../s3/buckets";
import type { Settings } from "../../../../common/settings";
import { knownString } from "../../../framework/values";

export const VAULT_TYPE = typeToken(aws.backup.Vault);
export const AIR_GAPPED_VAULT_TYPE = typeToken(aws.backup.LogicallyAirGappedVault);
export const VAULT_LOCK_TYPE = typeToken(aws.backup.VaultLockConfiguration);
export const PLAN_TYPE = typeToken(aws.backup.Plan);
export const SELECTION_TYPE = typeToken(aws.backup.Selection);
export const BUCKET_TYPES: readonly string[] = [typeToken(aws.s3.Bucket), typeToken(aws.s3.BucketV2)];

/** An AI data store bucket with the facts selections match on. */
export interface AiBucket {
    readonly resource: RuleResource;
    readonly arn: string;
    readonly tags: Readonly<Record<string, unknown>>;
}

/** AWS-style wildcard match (`*` any run, `?` one character), anchored. */
export function wildcardMatch(pattern: string, value: string): boolean {
    const re = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    return new RegExp(`^${re}$`).test(value);
}

/** The bucket's ARN (`arn` output, else derived from `bucket`); `undefined` if unknown. */
function bucketArn(b: RuleResource): string | undefined {
    const arn = knownString(b.props.arn);
    if (typeof arn === "string") return arn;
    const name = knownString(b.props.bucket);
    return typeof name === "string" ? `arn:aws:s3:::${name}` : undefined;
}

/**
 * AI data store buckets (tagged, or recognised from how SageMaker and Bedrock use them) with the
 * facts selections match on; a bucket whose ARN is not known is matched by dependency only.
 */
export function aiBuckets(resources: readonly RuleResource[], settings: Settings): AiBucket[] {
    return aiDataStores(resources, settings).map(({ resource }) => {
        const tags = tagsOf(resource.props);
        return { resource, arn: bucketArn(resource) ?? "", tags: tags === UNKNOWN ? {} : tags };
    });
}

const TAG_KEY_PREFIX = "aws:ResourceTag/";

function conditionHolds(kind: string, key: unknown, value: unknown, tags: Readonly<Record<string, unknown>>): boolean {
    if (typeof key !== "string" || typeof value !== "string") return false;
    const tag = tags[key.startsWith(TAG_KEY_PREFIX) ? key.slice(TAG_KEY_PREFIX.length) : key];
    const t = typeof tag === "string" ? tag : undefined;
    switch (kind) {
        case "stringEquals": return t === value;
        case "stringNotEquals": return t !== value;
        case "stringLikes": return t !== undefined && wildcardMatch(value, t);
        case "stringNotLikes": return t === undefined || !wildcardMatch(value, t);
        default: return false;
    }
}

/** Whether the selection (its props) selects the bucket; `UNKNOWN` if the selection has unknown parts. */
export function selectionCovers(selection: Readonly<Record<string, unknown>>, bucket: AiBucket): Maybe<boolean> {
    const { resources, selectionTags, conditions, notResources } = selection;
    if (containsUnknown([resources, selectionTags, conditions, notResources])) return UNKNOWN;
    const byArn = (asList(resources) as unknown[]).some((p) => typeof p === "string" && wildcardMatch(p, bucket.arn));
    const byTag = (asList(selectionTags) as unknown[]).some(
        (t) => get(t, "type") === "STRINGEQUALS" && typeof get(t, "key") === "string" && bucket.tags[get(t, "key") as string] === get(t, "value"),
    );
    if (!byArn && !byTag) return false;
    for (const c of asList(conditions) as unknown[]) {
        for (const kind of ["stringEquals", "stringNotEquals", "stringLikes", "stringNotLikes"]) {
            for (const entry of asList(get(c, kind)) as unknown[]) {
                if (!conditionHolds(kind, get(entry, "key"), get(entry, "value"), bucket.tags)) return false;
            }
        }
    }
    return !(asList(notResources) as unknown[]).some((p) => typeof p === "string" && wildcardMatch(p, bucket.arn));
}

const WILDCARD = /[*?]/;

/**
 * The AI buckets each selection covers, found through indexes (exact ARN, tag key and value) instead
 * of testing every selection against every bucket; only `*`/`?` ARN patterns scan the buckets.
 * Candidates are confirmed with {@link selectionCovers}, so the answer is exactly its `true` set.
 */
export class SelectionCoverage {
    private readonly byArn = new Map<string, AiBucket[]>();
    private readonly byTag = new Map<string, Map<unknown, AiBucket[]>>();

    constructor(private readonly buckets: readonly AiBucket[]) {
        for (const b of buckets) {
            push(this.byArn, b.arn, b);
            for (const [key, value] of Object.entries(b.tags)) {
                let values = this.byTag.get(key);
                if (!values) this.byTag.set(key, (values = new Map()));
                push(values, value, b);
            }
        }
    }

    /** The buckets this selection covers; none when it has unknown parts (it might cover any). */
    covered(selection: Readonly<Record<string, unknown>>): AiBucket[] {
        const { resources, selectionTags } = selection;
        const candidates = new Set<AiBucket>();
        for (const p of knownList(resources)) {
            if (typeof p !== "string") continue;
            if (!WILDCARD.test(p)) {
                for (const b of this.byArn.get(p) ?? []) candidates.add(b);
                continue;
            }
            for (const b of this.buckets) if (wildcardMatch(p, b.arn)) candidates.add(b);
        }
        for (const t of knownList(selectionTags)) {
            const key = get(t, "key");
            if (get(t, "type") !== "STRINGEQUALS" || typeof key !== "string") continue;
            for (const b of this.byTag.get(key)?.get(get(t, "value")) ?? []) candidates.add(b);
        }
        return [...candidates].filter((b) => selectionCovers(selection, b) === true);
    }
}

function knownList(v: unknown): readonly unknown[] {
    const l = asList(v);
    return l === UNKNOWN ? [] : l;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
}

/** The stack's backup facts, indexed once. */
export interface BackupScope {
    readonly index: ReadonlyMap<string, readonly RuleResource[]>;
    readonly buckets: readonly AiBucket[];
    /** AI buckets covered by at least one selection. */
    readonly coveredBuckets: ReadonlySet<AiBucket>;
    /** True when a selection has unknown parts: it might cover any bucket. */
    readonly selectionUnknown: boolean;
    /** URNs of vaults that AI plans target or copy to, found by the engine's dependency URNs at a first preview. */
    readonly aiVaultUrns: ReadonlySet<string>;
    /** Plans that back up AI data (or are tagged as AI resources). */
    readonly aiPlans: readonly RuleResource[];
    /** Names of vaults that hold AI backups. */
    readonly aiVaultNames: ReadonlySet<string>;
    /** ARNs of vaults that hold AI backups (copy destinations). */
    readonly aiVaultArns: ReadonlySet<string>;
}

export function backupScope(resources: readonly RuleResource[], settings: Settings): BackupScope {
    const index = byType(resources);
    const buckets = aiBuckets(resources, settings);
    const byUrn = new Map(buckets.map((b) => [b.resource.urn, b]));
    const coveringPlanUrns = new Set<string>();
    const coverage = new SelectionCoverage(buckets);
    const coveringPlanIds = new Set<string>();
    const coveredBuckets = new Set<AiBucket>();
    let selectionUnknown = false;
    for (const s of index.get(SELECTION_TYPE) ?? []) {
        const { resources: r, selectionTags, conditions, notResources } = s.props;
        // At a first preview the selected ARNs are unknown: the buckets they came from are the engine's dependencies.
        const fromDeps = (s.propertyDependencies?.resources ?? []).map((u) => byUrn.get(u)).filter((b): b is AiBucket => b !== undefined);
        const unknownParts = containsUnknown([r, selectionTags, conditions, notResources]);
        if (unknownParts && (s.propertyDependencies === undefined || containsUnknown([selectionTags, conditions, notResources]))) selectionUnknown = true;
        const covered = [...coverage.covered(s.props), ...fromDeps];
        for (const b of covered) coveredBuckets.add(b);
        if (covered.length === 0) continue;
        const planId = knownString(s.props.planId);
        if (typeof planId === "string") coveringPlanIds.add(planId);
        for (const u of s.propertyDependencies?.planId ?? []) coveringPlanUrns.add(u);
    }
    const aiPlans = (index.get(PLAN_TYPE) ?? []).filter((p) => {
        const id = knownString(p.props.id);
        return (typeof id === "string" && coveringPlanIds.has(id)) || coveringPlanUrns.has(p.urn) || isAiResource(p.props, settings) === true;
    });
    const aiVaultUrns = new Set(aiPlans.flatMap((p) => p.propertyDependencies?.rules ?? []));
    const aiVaultNames = new Set<string>();
    const aiVaultArns = new Set<string>();
    for (const p of aiPlans) {
        const rules = asList(p.props.rules);
        if (rules === UNKNOWN) continue;
        for (const r of rules) {
            const target = knownString(get(r, "targetVaultName"));
            if (typeof target === "string") aiVaultNames.add(target);
            const copies = asList(get(r, "copyActions"));
            if (copies === UNKNOWN) continue;
            for (const c of copies) {
                const arn = knownString(get(c, "destinationVaultArn"));
                if (typeof arn === "string") aiVaultArns.add(arn);
            }
        }
    }
    return { index, buckets, coveredBuckets, selectionUnknown, aiPlans, aiVaultNames, aiVaultArns, aiVaultUrns };
}

/** True when a vault (Vault or LogicallyAirGappedVault) holds AI backups. */
export function holdsAiBackups(vault: RuleResource, scope: BackupScope, settings: Settings): boolean {
    const name = knownString(vault.props.name);
    const arn = knownString(vault.props.arn);
    return (
        isAiResource(vault.props, settings) === true ||
        scope.aiVaultUrns.has(vault.urn) ||
        (typeof name === "string" && scope.aiVaultNames.has(name)) ||
        (typeof arn === "string" && scope.aiVaultArns.has(arn))
    );
}
