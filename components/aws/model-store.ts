/**
 * A hardened S3 store for models, training datasets or captured inference data (DV-2, P5; DP-3
 * immutable copies; P13 disposal).
 *
 * Secure defaults (each relaxation is a named option):
 *  - default encryption SSE-KMS with a customer-managed key (created here, rotation on, or yours via
 *    `kmsKeyArn`), S3 Bucket Keys on, SSE-C uploads blocked;
 *  - a bucket policy denying non-TLS and pre-1.2 TLS requests and any upload that is not SSE-KMS
 *    with exactly the store's key (headers required unless `allowPutWithoutKmsHeaders`);
 *  - versioning on, all four public-access blocks on, ACLs disabled (BucketOwnerEnforced);
 *  - server access logs to a hardened log bucket created here (or yours via `accessLogBucket`);
 *  - object lock in COMPLIANCE mode for released-model stores (`releasedModels: true`), available to
 *    any store through `objectLock`; object lock can only be turned on when the bucket is created;
 *  - never `forceDestroy`: deleting a store with data in it must be a deliberate, separate act.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EncryptionKey } from "./encryption-key";
import { buildAccessLogBucket, hardenBucket } from "./model-store-bucket";
import { storeBucketPolicy, storeLifecycleRules } from "./model-store-policies";
import { type AssetKind, AssetKinds, assetTags, type AssetTags, TagKeys, assetTagsProblem } from "./tags";

/** The asset kinds a store can hold. */
export const StoreKinds = {
    modelStore: AssetKinds.modelStore,
    datasetStore: AssetKinds.datasetStore,
    inferenceCapture: AssetKinds.inferenceCapture,
} as const;
export type StoreKind = (typeof StoreKinds)[keyof typeof StoreKinds];

export interface ModelStoreArgs {
    /** What the store holds: `model-store`, `dataset-store` or `inference-capture`. Required. */
    readonly kind: StoreKind;
    /** Inventory tags stamped on every resource. Required. */
    readonly assetTags: AssetTags;
    /**
     * The store holds released (signed-off) models: tags it `aiguard:released-models=true` and turns
     * object lock on. Only for kind `model-store`. Default false.
     */
    readonly releasedModels?: boolean;
    /** Object lock (COMPLIANCE mode). Default: true for released-model stores, false otherwise. Cannot be false for released models. */
    readonly objectLock?: boolean;
    /** Default COMPLIANCE retention of locked object versions, 1-36500 days. Default 365. Only with object lock. */
    readonly objectLockRetentionDays?: number;
    /** Customer-managed KMS key ARN to use. Default: a key is created (needs `keyAdministratorArns`). */
    readonly kmsKeyArn?: pulumi.Input<string>;
    /** Administrators of the created key (manage, not use). Required unless `kmsKeyArn` is given. */
    readonly keyAdministratorArns?: readonly pulumi.Input<string>[];
    /** Principals that may use the created key (readers and writers of the store). Default none. */
    readonly keyUserArns?: readonly pulumi.Input<string>[];
    /** Existing bucket (name) to receive server access logs. Default: a hardened log bucket is created. */
    readonly accessLogBucket?: pulumi.Input<string>;
    /** Days the created log bucket keeps access logs, >= 90. Default 365. Not with `accessLogBucket`. */
    readonly accessLogRetentionDays?: number;
    /** P13 disposal: expire current objects this many days after creation. Default never. */
    readonly expireObjectsAfterDays?: number;
    /** P13 disposal: delete versions this many days after they became noncurrent. Default never. */
    readonly expireNoncurrentVersionsAfterDays?: number;
    /**
     * Relaxation: accept uploads that send no encryption headers (the bucket's default encryption,
     * the same key, applies). Uploads naming another key or another algorithm stay denied. Default false.
     */
    readonly allowPutWithoutKmsHeaders?: boolean;
    /** Never honoured: `true` is rejected. Present so that a caller's `forceDestroy: true` fails loudly. */
    readonly forceDestroy?: boolean;
}

const MIN_ACCESS_LOG_RETENTION_DAYS = 90;

function positiveInteger(value: number | undefined): boolean {
    return value === undefined || (Number.isInteger(value) && value >= 1);
}

/** The first problem with the arguments, or `undefined`: contradictions are named with the fix. */
export function modelStoreArgsProblem(args: ModelStoreArgs): string | undefined {
    const tagsProblem = assetTagsProblem(args.assetTags);
    if (tagsProblem !== undefined) return tagsProblem;
    const kinds: readonly string[] = Object.values(StoreKinds);
    if (!kinds.includes(args.kind)) {
        return `kind must be one of ${kinds.join(", ")}; got ${JSON.stringify(args.kind)}`;
    }
    if (args.forceDestroy === true) {
        return "forceDestroy is not supported: a store holding models or data must not be deletable with its contents in one step (DV-2 / P5, P13); empty it deliberately, then delete it";
    }
    const released = args.releasedModels ?? false;
    if (released && args.kind !== StoreKinds.modelStore) {
        return `releasedModels applies to kind "${StoreKinds.modelStore}" only; got kind "${args.kind}"`;
    }
    if (released && args.objectLock === false) {
        return "a released-model store needs object lock (DP-3 / P5: immutable copies of released models); remove objectLock: false or releasedModels: true";
    }
    const lock = args.objectLock ?? released;
    if (!lock && args.objectLockRetentionDays !== undefined) {
        return "objectLockRetentionDays needs object lock: set objectLock: true (or releasedModels: true), or drop objectLockRetentionDays";
    }
    const lockDays = args.objectLockRetentionDays ?? 365;
    if (!Number.isInteger(lockDays) || lockDays < 1 || lockDays > 36500) {
        return `objectLockRetentionDays must be an integer from 1 to 36500; got ${lockDays}`;
    }
    if (args.kmsKeyArn !== undefined && (args.keyAdministratorArns !== undefined || args.keyUserArns !== undefined)) {
        return "kmsKeyArn uses an existing key, whose policy you manage: drop keyAdministratorArns/keyUserArns, or drop kmsKeyArn to create a key";
    }
    if (args.kmsKeyArn === undefined && (args.keyAdministratorArns ?? []).length === 0) {
        return "the store is encrypted with a customer-managed key: give keyAdministratorArns (to create one) or kmsKeyArn (to use yours)";
    }
    if (args.accessLogBucket !== undefined && args.accessLogRetentionDays !== undefined) {
        return "accessLogRetentionDays applies to the log bucket this component creates; with accessLogBucket, set retention on that bucket";
    }
    const logDays = args.accessLogRetentionDays ?? 365;
    if (!Number.isInteger(logDays) || logDays < MIN_ACCESS_LOG_RETENTION_DAYS) {
        return `accessLogRetentionDays must be an integer of at least ${MIN_ACCESS_LOG_RETENTION_DAYS} so access to models and data can be investigated (OM-1 / P12); got ${logDays}`;
    }
    for (const [field, value] of [["expireObjectsAfterDays", args.expireObjectsAfterDays], ["expireNoncurrentVersionsAfterDays", args.expireNoncurrentVersionsAfterDays]] as const) {
        if (!positiveInteger(value)) return `${field} must be a whole number of days, at least 1; got ${value}`;
    }
    if (released && args.expireObjectsAfterDays !== undefined) {
        return "expireObjectsAfterDays contradicts releasedModels: released models are kept (DP-3); expire noncurrent versions instead, after the lock retention";
    }
    return undefined;
}

export class ModelStore extends pulumi.ComponentResource {
    readonly bucket: aws.s3.Bucket;
    readonly key: EncryptionKey | undefined;
    readonly bucketName: pulumi.Output<string>;
    readonly bucketArn: pulumi.Output<string>;
    readonly keyArn: pulumi.Output<string>;
    readonly accessLogBucketName: pulumi.Output<string>;

    constructor(name: string, args: ModelStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aiguard:aws:ModelStore", name, {}, opts);
        const problem = modelStoreArgsProblem(args);
        if (problem !== undefined) throw new pulumi.ResourceError(problem, this);
        const released = args.releasedModels ?? false;
        const lock = args.objectLock ?? released;
        const lockDays = args.objectLockRetentionDays ?? 365;
        const logDays = args.accessLogRetentionDays ?? 365;

        const opts1 = { parent: this };
        if (args.kmsKeyArn === undefined) {
            this.key = new EncryptionKey(`${name}-key`, {
                description: `${name}: ${args.kind} bucket encryption`,
                assetTags: args.assetTags,
                administratorArns: args.keyAdministratorArns ?? [],
                userArns: args.keyUserArns,
            }, opts1);
            this.keyArn = this.key.arn;
        } else {
            this.key = undefined;
            this.keyArn = pulumi.output(args.kmsKeyArn);
        }

        const kindTags: Record<string, string> = released ? { [TagKeys.releasedModels]: "true" } : {};
        this.bucket = new aws.s3.Bucket(`${name}-bucket`, {
            forceDestroy: false,
            objectLockEnabled: lock,
            tags: assetTags(args.assetTags, args.kind as AssetKind, kindTags),
        }, opts1);
        const hardening = hardenBucket(this, `${name}-bucket`, this.bucket, { kmsKeyArn: this.keyArn });
        new aws.s3.BucketPolicy(`${name}-bucket-policy`, {
            bucket: this.bucket.id,
            policy: pulumi.all([this.bucket.arn, this.keyArn]).apply(([bucketArn, keyArn]) =>
                JSON.stringify(storeBucketPolicy(bucketArn, keyArn, args.allowPutWithoutKmsHeaders ?? false))),
        }, { parent: this, dependsOn: [hardening.publicAccessBlock, hardening.ownership] });

        if (lock) {
            new aws.s3.BucketObjectLockConfiguration(`${name}-bucket-object-lock`, {
                bucket: this.bucket.id,
                objectLockEnabled: "Enabled",
                rule: { defaultRetention: { mode: "COMPLIANCE", days: lockDays } },
            }, { parent: this, dependsOn: [hardening.versioning] });
        }
        new aws.s3.BucketLifecycleConfiguration(`${name}-bucket-lifecycle`, {
            bucket: this.bucket.id,
            rules: storeLifecycleRules({
                expireObjectsAfterDays: args.expireObjectsAfterDays,
                expireNoncurrentVersionsAfterDays: args.expireNoncurrentVersionsAfterDays,
            }),
        }, { parent: this, dependsOn: [hardening.versioning] });

        let logDelivery: pulumi.Resource[] = [];
        if (args.accessLogBucket !== undefined) {
            this.accessLogBucketName = pulumi.output(args.accessLogBucket);
        } else {
            const identity = aws.getCallerIdentityOutput({}, { parent: this });
            const logs = buildAccessLogBucket(this, `${name}-access-logs`, {
                assetTags: args.assetTags,
                retentionDays: logDays,
                sourceBucketArn: this.bucket.arn,
                accountId: identity.accountId,
            });
            this.accessLogBucketName = logs.bucket.bucket;
            logDelivery = [logs.policy];
        }
        new aws.s3.BucketLogging(`${name}-bucket-logging`, {
            bucket: this.bucket.id,
            targetBucket: this.accessLogBucketName,
            targetPrefix: pulumi.interpolate`${this.bucket.bucket}/`,
            targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
        }, { parent: this, dependsOn: logDelivery });

        this.bucketName = this.bucket.bucket;
        this.bucketArn = this.bucket.arn;
        this.registerOutputs({
            bucketName: this.bucketName,
            bucketArn: this.bucketArn,
            keyArn: this.keyArn,
            accessLogBucketName: this.accessLogBucketName,
        });
    }
}
