import { beforeAll, describe, expect, it } from "vitest";
import { ModelStore, type ModelStoreArgs, modelStoreArgsProblem } from "../../../components/aws/model-store";
import { storeBucketPolicy, storeLifecycleRules } from "../../../components/aws/model-store-policies";
import { MOCK_ACCOUNT_ID, policyDoc, record, type Recorded } from "../../harness";

const ADMIN = `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/key-admin`;
const TRAINER = `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/trainer`;
const TAGS = { owner: "ml-platform@example.com", dataClassification: "restricted" } as const;
const BASE: ModelStoreArgs = { kind: "dataset-store", assetTags: TAGS, keyAdministratorArns: [ADMIN], keyUserArns: [TRAINER] };
const T = {
    component: "aiguard:aws:ModelStore",
    keyComponent: "aiguard:aws:EncryptionKey",
    key: "aws:kms/key:Key",
    bucket: "aws:s3/bucket:Bucket",
    sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    pab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    policy: "aws:s3/bucketPolicy:BucketPolicy",
    logging: "aws:s3/bucketLogging:BucketLogging",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    lock: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
};
const BUCKET = "ds-bucket-0a1b2c3";
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const LOGS = "ds-access-logs-0a1b2c3";
const LOGS_ARN = `arn:aws:s3:::${LOGS}`;
const KEY_ARN = `arn:aws:kms:eu-west-2:${MOCK_ACCOUNT_ID}:key/ds-key-key-key-id`;

function run(args: Partial<ModelStoreArgs> = {}): Promise<Recorded<ModelStore>> {
    return record(() => new ModelStore("ds", { ...BASE, ...args } as ModelStoreArgs));
}

describe("ModelStore defaults (dataset store)", () => {
    let rec: Recorded<ModelStore>;
    beforeAll(async () => {
        rec = await run();
    });

    it("registers the store, its key and a hardened access-log bucket, nothing else", async () => {
        expect(rec.countByType()).toEqual({
            [T.component]: 1, [T.keyComponent]: 1, [T.key]: 1,
            [T.bucket]: 2, [T.sse]: 2, [T.versioning]: 2, [T.pab]: 2, [T.ownership]: 2, [T.policy]: 2, [T.lifecycle]: 2,
            [T.logging]: 1,
        });
        expect(rec.run.calls.map((c) => c.token)).toEqual(["aws:index/getCallerIdentity:getCallerIdentity"]);
        const comp = rec.get(T.component, "ds");
        const keyComp = rec.get(T.keyComponent, "ds-key");
        for (const r of rec.resources.filter((x) => x !== comp)) {
            expect(r.parent, r.name).toBe(r.type === T.key ? keyComp.urn : comp.urn);
        }
    });

    it("creates the store bucket tagged with its kind, no force-destroy, no object lock", () => {
        expect(rec.inputs(T.bucket, "ds-bucket")).toEqual({
            forceDestroy: false,
            objectLockEnabled: false,
            tags: { "aiguard:owner": TAGS.owner, "aiguard:data-classification": "restricted", "aiguard:asset-kind": "dataset-store" },
        });
        expect(rec.ofType(T.lock)).toEqual([]);
    });

    it("encrypts with the customer key (bucket key on, SSE-C blocked) and hardens access", () => {
        expect(rec.inputs(T.sse, "ds-bucket-encryption")).toEqual({
            bucket: BUCKET,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN }, bucketKeyEnabled: true, blockedEncryptionTypes: ["SSE-C"] }],
        });
        expect(rec.inputs(T.versioning, "ds-bucket-versioning")).toEqual({ bucket: BUCKET, versioningConfiguration: { status: "Enabled" } });
        expect(rec.inputs(T.pab, "ds-bucket-public-access-block")).toEqual({
            bucket: BUCKET, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
        });
        expect(rec.inputs(T.ownership, "ds-bucket-ownership")).toEqual({ bucket: BUCKET, rule: { objectOwnership: "BucketOwnerEnforced" } });
        expect(rec.inputs(T.lifecycle, "ds-bucket-lifecycle").rules).toEqual([
            { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
        ]);
    });

    it("denies non-TLS access and uploads not using exactly the store's key", () => {
        const policy = rec.inputs(T.policy, "ds-bucket-policy");
        expect(policy.bucket).toBe(BUCKET);
        expect(policyDoc(policy.policy).Statement).toEqual([
            { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
            { Sid: "DenyOutdatedTls", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`], Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } } },
            { Sid: "DenyUploadsNotEncryptedWithKms", Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: `${BUCKET_ARN}/*`, Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" } } },
            { Sid: "DenyUploadsWithAnotherKmsKey", Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: `${BUCKET_ARN}/*`, Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": KEY_ARN } } },
        ]);
    });

    it("creates the key with separate administrators and users, rotation on", () => {
        const key = rec.inputs(T.key, "ds-key-key");
        expect(key.enableKeyRotation).toBe(true);
        const stmts = policyDoc(key.policy).Statement;
        expect(stmts.find((s) => s.Sid === "KeyAdministration").Principal).toEqual({ AWS: [ADMIN] });
        expect(stmts.find((s) => s.Sid === "KeyUse").Principal).toEqual({ AWS: [TRAINER] });
    });

    it("logs access to a log bucket that is SSE-S3, versioned, private, TLS-only and retained 365 days", () => {
        expect(rec.inputs(T.logging, "ds-bucket-logging")).toEqual({
            bucket: BUCKET, targetBucket: LOGS, targetPrefix: `${BUCKET}/`,
            targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
        });
        expect(rec.inputs(T.bucket, "ds-access-logs")).toEqual({
            forceDestroy: false,
            tags: { "aiguard:owner": TAGS.owner, "aiguard:data-classification": "restricted", "aiguard:asset-kind": "access-logs" },
        });
        expect(rec.inputs(T.sse, "ds-access-logs-encryption").rules).toEqual([
            { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: false, blockedEncryptionTypes: ["SSE-C"] },
        ]);
        expect(rec.inputs(T.versioning, "ds-access-logs-versioning").versioningConfiguration).toEqual({ status: "Enabled" });
        expect(rec.inputs(T.pab, "ds-access-logs-public-access-block")).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
        expect(rec.inputs(T.ownership, "ds-access-logs-ownership").rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
        const stmts = policyDoc(rec.inputs(T.policy, "ds-access-logs-policy").policy).Statement;
        expect(stmts.map((s) => s.Sid)).toEqual(["DenyInsecureTransport", "DenyOutdatedTls", "S3ServerAccessLogsDelivery"]);
        expect(stmts[0].Resource).toEqual([LOGS_ARN, `${LOGS_ARN}/*`]);
        expect(stmts[2]).toEqual({
            Sid: "S3ServerAccessLogsDelivery", Effect: "Allow", Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject", Resource: `${LOGS_ARN}/*`,
            Condition: { ArnLike: { "aws:SourceArn": BUCKET_ARN }, StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } },
        });
        expect(rec.inputs(T.lifecycle, "ds-access-logs-lifecycle").rules).toEqual([{
            id: "retain-access-logs", status: "Enabled", filter: {}, expiration: { days: 365 },
            noncurrentVersionExpiration: { noncurrentDays: 30 }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        }]);
    });
});

describe("ModelStore at preview", () => {
    it("registers the same resources as an update (nothing is created inside an apply)", async () => {
        const [preview, update] = [await record(() => new ModelStore("ds", BASE), { preview: true }), await run()];
        expect(preview.resources.map((r) => `${r.type}::${r.name}`).sort()).toEqual(update.resources.map((r) => `${r.type}::${r.name}`).sort());
    });
});

describe("ModelStore options", () => {
    it("released models: tagged, object lock on in COMPLIANCE mode for 365 days", async () => {
        const rec = await record(() => new ModelStore("rel", { kind: "model-store", assetTags: TAGS, keyAdministratorArns: [ADMIN], releasedModels: true }));
        expect(rec.inputs(T.bucket, "rel-bucket")).toMatchObject({
            objectLockEnabled: true,
            tags: { "aiguard:asset-kind": "model-store", "aiguard:released-models": "true" },
        });
        expect(rec.inputs(T.lock, "rel-bucket-object-lock")).toEqual({
            bucket: "rel-bucket-0a1b2c3", objectLockEnabled: "Enabled", rule: { defaultRetention: { mode: "COMPLIANCE", days: 365 } },
        });
    });

    it("objectLock for another kind, with its own retention", async () => {
        const rec = await run({ kind: "inference-capture", objectLock: true, objectLockRetentionDays: 30 });
        expect(rec.inputs(T.bucket, "ds-bucket").tags["aiguard:asset-kind"]).toBe("inference-capture");
        expect(rec.inputs(T.bucket, "ds-bucket").tags["aiguard:released-models"]).toBeUndefined();
        expect(rec.inputs(T.lock, "ds-bucket-object-lock").rule).toEqual({ defaultRetention: { mode: "COMPLIANCE", days: 30 } });
    });

    it("a caller key and a caller log bucket: no key or log bucket created, no account lookup", async () => {
        const keyArn = `arn:aws:kms:eu-west-2:${MOCK_ACCOUNT_ID}:key/shared`;
        const rec = await record(() => new ModelStore("ds", { kind: "model-store", assetTags: TAGS, kmsKeyArn: keyArn, accessLogBucket: "central-access-logs" }));
        expect(rec.ofType(T.keyComponent)).toEqual([]);
        expect(rec.ofType(T.bucket).map((r) => r.name)).toEqual(["ds-bucket"]);
        expect(rec.inputs(T.sse, "ds-bucket-encryption").rules[0].applyServerSideEncryptionByDefault).toEqual({ sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn });
        expect(policyDoc(rec.inputs(T.policy, "ds-bucket-policy").policy).Statement[3].Condition).toEqual({
            StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": keyArn },
        });
        expect(rec.inputs(T.logging, "ds-bucket-logging")).toMatchObject({ targetBucket: "central-access-logs", targetPrefix: "ds-bucket-0a1b2c3/" });
        expect(rec.run.calls).toEqual([]);
    });

    it("allowPutWithoutKmsHeaders: denials apply only when a header is present", async () => {
        const rec = await run({ allowPutWithoutKmsHeaders: true });
        const [, , alg, key] = policyDoc(rec.inputs(T.policy, "ds-bucket-policy").policy).Statement;
        expect(alg.Condition).toEqual({ StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" }, Null: { "s3:x-amz-server-side-encryption": "false" } });
        expect(key.Condition).toEqual({ StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": KEY_ARN }, Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "false" } });
    });

    it("expiry for disposal (P13) and longer access-log retention", async () => {
        const rec = await run({ expireObjectsAfterDays: 400, expireNoncurrentVersionsAfterDays: 30, accessLogRetentionDays: 730 });
        expect(rec.inputs(T.lifecycle, "ds-bucket-lifecycle").rules).toEqual([
            { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
            { id: "expire-objects", status: "Enabled", filter: {}, expiration: { days: 400 } },
            { id: "expire-noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 30 } },
        ]);
        expect(rec.inputs(T.lifecycle, "ds-access-logs-lifecycle").rules[0].expiration).toEqual({ days: 730 });
    });
});

describe("ModelStore rejects unsafe or contradictory options", () => {
    const cases: [string, Partial<ModelStoreArgs> & Record<string, unknown>, RegExp][] = [
        ["forceDestroy", { forceDestroy: true }, /forceDestroy is not supported/],
        ["unknown kind", { kind: "notebook" as never }, /kind must be one of model-store, dataset-store, inference-capture; got "notebook"/],
        ["released datasets", { releasedModels: true }, /releasedModels applies to kind "model-store" only; got kind "dataset-store"/],
        ["released without lock", { kind: "model-store", releasedModels: true, objectLock: false }, /a released-model store needs object lock/],
        ["retention without lock", { objectLockRetentionDays: 30 }, /objectLockRetentionDays needs object lock/],
        ["retention out of range", { objectLock: true, objectLockRetentionDays: 0 }, /objectLockRetentionDays must be an integer from 1 to 36500; got 0/],
        ["key arn plus admins", { kmsKeyArn: "arn:aws:kms:eu-west-2:123456789012:key/x" }, /kmsKeyArn uses an existing key, whose policy you manage/],
        ["no key", { keyAdministratorArns: [], keyUserArns: undefined }, /give keyAdministratorArns \(to create one\) or kmsKeyArn/],
        ["log bucket plus retention", { accessLogBucket: "logs", accessLogRetentionDays: 400 }, /accessLogRetentionDays applies to the log bucket this component creates/],
        ["short log retention", { accessLogRetentionDays: 30 }, /accessLogRetentionDays must be an integer of at least 90/],
        ["fractional expiry", { expireNoncurrentVersionsAfterDays: 0.5 }, /expireNoncurrentVersionsAfterDays must be a whole number of days, at least 1; got 0.5/],
        ["expiring released models", { kind: "model-store", releasedModels: true, expireObjectsAfterDays: 30 }, /expireObjectsAfterDays contradicts releasedModels/],
        ["missing owner", { assetTags: { owner: "", dataClassification: "internal" } }, /assetTags.owner is required/],
    ];
    it.each(cases)("%s", async (_label, args, message) => {
        expect(modelStoreArgsProblem({ ...BASE, ...args } as ModelStoreArgs)).toMatch(message);
        await expect(run(args as Partial<ModelStoreArgs>)).rejects.toThrow(message);
    });

    it("modelStoreArgsProblem passes the defaults and a released-model store", () => {
        expect(modelStoreArgsProblem(BASE as ModelStoreArgs)).toBeUndefined();
        expect(modelStoreArgsProblem({ ...BASE, kind: "model-store", releasedModels: true } as ModelStoreArgs)).toBeUndefined();
    });
});

describe("model-store pure builders", () => {
    it("keeps the strict policy free of Null escapes", () => {
        const stmts = storeBucketPolicy("arn:aws:s3:::b", "arn:k").Statement;
        expect(stmts.filter((s) => JSON.stringify(s).includes("Null"))).toEqual([]);
        expect(stmts.every((s) => s.Effect === "Deny")).toBe(true);
    });
    it("adds the delete-marker cleanup only when no rule expires current objects", () => {
        expect(storeLifecycleRules({ expireNoncurrentVersionsAfterDays: 10 })[1]).toEqual({
            id: "expire-noncurrent-versions", status: "Enabled", filter: {},
            noncurrentVersionExpiration: { noncurrentDays: 10 }, expiration: { expiredObjectDeleteMarker: true },
        });
    });
});
