import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../../policies/framework/rule";
import { TagKeys } from "../../../common/conventions";
import { DEFAULT_SETTINGS } from "../../../common/settings";
import { s3BucketDisableAcls } from "../../../policies/rules/aws/s3/bucket-disable-acls";
import { s3BucketDisallowForceDestroy } from "../../../policies/rules/aws/s3/bucket-disallow-force-destroy";
import { s3BucketDisallowPublicAcl } from "../../../policies/rules/aws/s3/bucket-disallow-public-acl";
import { s3BucketEnableAccessLogging } from "../../../policies/rules/aws/s3/bucket-enable-access-logging";
import { s3BucketEnableObjectLock } from "../../../policies/rules/aws/s3/bucket-enable-object-lock";
import { s3BucketEnableVersioning } from "../../../policies/rules/aws/s3/bucket-enable-versioning";
import { s3BucketEnforceTls } from "../../../policies/rules/aws/s3/bucket-enforce-tls";
import { s3BucketMissingKmsEncryption } from "../../../policies/rules/aws/s3/bucket-missing-kms-encryption";
import { s3BucketMissingPublicAccessBlock } from "../../../policies/rules/aws/s3/bucket-missing-public-access-block";
import type { StackRule } from "../../../policies/framework/rule";
import { aiTags, expectFindings, named, res, run, urnOf, type Res } from "../support";

const T = {
    bucket: "aws:s3/bucket:Bucket",
    sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    pab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    policy: "aws:s3/bucketPolicy:BucketPolicy",
    logging: "aws:s3/bucketLogging:BucketLogging",
    lock: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    acl: "aws:s3/bucketAcl:BucketAcl",
};
const NAME = "models-a1b2c3";
const tlsDeny = {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [`arn:aws:s3:::${NAME}`, `arn:aws:s3:::${NAME}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
};

/** A released-model store with every setting the S3 rules ask for, plus a bucket declared out of scope (with its justification) that has none. */
function compliant(): Res[] {
    return [
        res(T.bucket, "models", { bucket: NAME, id: NAME, objectLockEnabled: true, forceDestroy: false, tags: aiTags("model-store", { [TagKeys.releasedModels]: "true" }) }),
        res(T.sse, "models-sse", { bucket: NAME, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "arn:aws:kms:eu-west-2:123456789012:key/k1" }, bucketKeyEnabled: true }] }),
        res(T.versioning, "models-versioning", { bucket: NAME, versioningConfiguration: { status: "Enabled" } }),
        res(T.pab, "models-pab", { bucket: NAME, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }),
        res(T.ownership, "models-ownership", { bucket: NAME, rule: { objectOwnership: "BucketOwnerEnforced" } }),
        res(T.policy, "models-policy", { bucket: NAME, policy: JSON.stringify({ Version: "2012-10-17", Statement: [tlsDeny] }) }),
        res(T.logging, "models-logging", { bucket: NAME, targetBucket: "access-logs-9z", targetPrefix: "models/" }),
        res(T.lock, "models-lock", { bucket: NAME, objectLockEnabled: "Enabled", rule: { defaultRetention: { mode: "COMPLIANCE", days: 365 } } }),
        res(T.bucket, "scratch", { bucket: "scratch-x", id: "scratch-x", tags: { [TagKeys.scope]: "excluded", [TagKeys.scopeJustification]: "Build scratch space: never holds models or data (RISK-7)" } }),
    ];
}
const without = (name: string) => (s: Res[]) => s.filter((r) => r.name !== name);
const edit = (name: string, f: (p: Record<string, any>) => void) => (s: Res[]) => {
    f(named(s)[name]!.props);
    return s;
};
const bucketUrn = urnOf(T.bucket, "models");

const STACK_RULES: StackRule[] = [
    s3BucketMissingKmsEncryption,
    s3BucketEnableVersioning,
    s3BucketMissingPublicAccessBlock,
    s3BucketDisableAcls,
    s3BucketEnforceTls,
    s3BucketEnableAccessLogging,
    s3BucketEnableObjectLock,
];

interface Case {
    readonly title: string;
    readonly rule: StackRule;
    readonly change: (s: Res[]) => Res[];
    readonly expected: { message: string; urn: string }[];
}

const CASES: Case[] = [
    { title: "no encryption configuration", rule: s3BucketMissingKmsEncryption, change: without("models-sse"), expected: [{ message: `S3 bucket "${NAME}" has no server-side encryption configuration`, urn: bucketUrn }] },
    { title: "AES256 instead of KMS", rule: s3BucketMissingKmsEncryption, change: edit("models-sse", (p) => (p.rules[0].applyServerSideEncryptionByDefault = { sseAlgorithm: "AES256" })), expected: [{ message: "not SSE-KMS with a customer-managed key", urn: urnOf(T.sse, "models-sse") }] },
    { title: "aws:kms with the AWS-managed key alias/aws/s3", rule: s3BucketMissingKmsEncryption, change: edit("models-sse", (p) => (p.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId = "alias/aws/s3")), expected: [{ message: "not SSE-KMS with a customer-managed key", urn: urnOf(T.sse, "models-sse") }] },
    { title: "aws:kms without a customer key", rule: s3BucketMissingKmsEncryption, change: edit("models-sse", (p) => delete p.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId), expected: [{ message: "not SSE-KMS with a customer-managed key", urn: urnOf(T.sse, "models-sse") }] },
    { title: "no versioning", rule: s3BucketEnableVersioning, change: without("models-versioning"), expected: [{ message: "has no versioning configuration", urn: bucketUrn }] },
    { title: "versioning suspended", rule: s3BucketEnableVersioning, change: edit("models-versioning", (p) => (p.versioningConfiguration.status = "Suspended")), expected: [{ message: 'versioning status is "Suspended"', urn: urnOf(T.versioning, "models-versioning") }] },
    { title: "no public-access block", rule: s3BucketMissingPublicAccessBlock, change: without("models-pab"), expected: [{ message: "has no public-access block", urn: bucketUrn }] },
    { title: "ignorePublicAcls false", rule: s3BucketMissingPublicAccessBlock, change: edit("models-pab", (p) => (p.ignorePublicAcls = false)), expected: [{ message: "does not set ignorePublicAcls to true", urn: urnOf(T.pab, "models-pab") }] },
    { title: "restrictPublicBuckets unset", rule: s3BucketMissingPublicAccessBlock, change: edit("models-pab", (p) => delete p.restrictPublicBuckets), expected: [{ message: "does not set restrictPublicBuckets to true", urn: urnOf(T.pab, "models-pab") }] },
    { title: "no ownership controls", rule: s3BucketDisableAcls, change: without("models-ownership"), expected: [{ message: "has no ownership controls", urn: bucketUrn }] },
    { title: "ObjectWriter ownership", rule: s3BucketDisableAcls, change: edit("models-ownership", (p) => (p.rule.objectOwnership = "ObjectWriter")), expected: [{ message: 'object ownership is "ObjectWriter"', urn: urnOf(T.ownership, "models-ownership") }] },
    { title: "no bucket policy", rule: s3BucketEnforceTls, change: without("models-policy"), expected: [{ message: "has no bucket policy denying non-TLS requests", urn: bucketUrn }] },
    { title: "policy denies only when TLS is used", rule: s3BucketEnforceTls, change: edit("models-policy", (p) => (p.policy = JSON.stringify({ Statement: [{ ...tlsDeny, Condition: { Bool: { "aws:SecureTransport": "true" } } }] }))), expected: [{ message: "no statement denying s3:*", urn: urnOf(T.policy, "models-policy") }] },
    { title: "TLS statement allows instead of denying", rule: s3BucketEnforceTls, change: edit("models-policy", (p) => (p.policy = JSON.stringify({ Statement: [{ ...tlsDeny, Effect: "Allow" }] }))), expected: [{ message: "no statement denying s3:*", urn: urnOf(T.policy, "models-policy") }] },
    { title: "policy is not JSON", rule: s3BucketEnforceTls, change: edit("models-policy", (p) => (p.policy = "{not json")), expected: [{ message: "bucket policy cannot be read: policy is not valid JSON", urn: urnOf(T.policy, "models-policy") }] },
    { title: "no access logging", rule: s3BucketEnableAccessLogging, change: without("models-logging"), expected: [{ message: "has no server access logging", urn: bucketUrn }] },
    { title: "logging without a target", rule: s3BucketEnableAccessLogging, change: edit("models-logging", (p) => (p.targetBucket = "")), expected: [{ message: "access logging has no target bucket", urn: urnOf(T.logging, "models-logging") }] },
    { title: "released-model bucket without objectLockEnabled", rule: s3BucketEnableObjectLock, change: edit("models", (p) => (p.objectLockEnabled = false)), expected: [{ message: "was not created with objectLockEnabled: true", urn: bucketUrn }] },
    { title: "no object lock configuration", rule: s3BucketEnableObjectLock, change: without("models-lock"), expected: [{ message: "has no object lock configuration", urn: bucketUrn }] },
    { title: "lock without default retention mode", rule: s3BucketEnableObjectLock, change: edit("models-lock", (p) => delete p.rule), expected: [{ message: "no default retention mode", urn: urnOf(T.lock, "models-lock") }] },
    { title: "lock retention of 0 days", rule: s3BucketEnableObjectLock, change: edit("models-lock", (p) => (p.rule.defaultRetention.days = 0)), expected: [{ message: "no positive days or years", urn: urnOf(T.lock, "models-lock") }] },
    { title: "dataset store is judged too", rule: s3BucketEnableVersioning, change: (s) => edit("models", (p) => (p.tags = aiTags("dataset-store")))(without("models-versioning")(s)), expected: [{ message: "has no versioning configuration", urn: bucketUrn }] },
];

describe("S3 AI data store stack rules", () => {
    it.each(STACK_RULES.map((r) => [r.name, r] as const))("%s: the compliant stack has no finding", (_n, rule) => {
        expect(run(rule, compliant())).toEqual([]);
    });

    it.each(CASES.map((c) => [`${c.rule.name}: ${c.title}`, c] as const))("%s", (_t, c) => {
        expectFindings(run(c.rule, c.change(compliant())), c.expected);
    });

    it("accepts a bucket policy given as an object and an aws:kms:dsse key", () => {
        const s = compliant();
        named(s)["models-policy"]!.props.policy = { Version: "2012-10-17", Statement: [{ ...tlsDeny, Condition: { Bool: { "aws:SecureTransport": false } } }] };
        named(s)["models-sse"]!.props.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm = "aws:kms:dsse";
        expect(run(s3BucketEnforceTls, s)).toEqual([]);
        expect(run(s3BucketMissingKmsEncryption, s)).toEqual([]);
    });

    it("judges every bucket by default, untagged ones too; object lock only where models are released", () => {
        const s = without("models-lock")(compliant());
        named(s).models!.props.tags = aiTags("model-store");
        expect(run(s3BucketEnableObjectLock, s)).toEqual([]);
        const untagged = [res(T.bucket, "other", { bucket: "other-1", tags: { team: "web" } })];
        for (const rule of STACK_RULES.filter((r) => r !== s3BucketEnableObjectLock)) {
            expectFindings(run(rule, untagged), [{ message: 'S3 bucket "other-1" has no', urn: urnOf(T.bucket, "other") }]);
        }
        expect(run(s3BucketEnableObjectLock, untagged)).toEqual([]);
    });

    it("judges only AI assets under scope ai-assets: tagged, or recognised from use (a SageMaker model's artifacts)", () => {
        const untagged = [res(T.bucket, "other", { bucket: "other-1", tags: { team: "web" } })];
        const aiOnly = { ...DEFAULT_SETTINGS, scope: "ai-assets" as const };
        for (const rule of STACK_RULES) expect(run(rule, untagged, aiOnly)).toEqual([]);
        const used = [...untagged, res("aws:sagemaker/model:Model", "llm", { primaryContainer: { modelDataUrl: "s3://other-1/llm/model.tar.gz" } })];
        expectFindings(run(s3BucketEnableVersioning, used, aiOnly), [{ message: 'S3 bucket "other-1" has no versioning configuration', urn: urnOf(T.bucket, "other") }]);
        // Serving a model's artifacts makes it a released-model store: object lock is required.
        expectFindings(run(s3BucketEnableObjectLock, used, aiOnly), [
            { message: "was not created with objectLockEnabled: true", urn: urnOf(T.bucket, "other") },
            { message: "has no object lock configuration", urn: urnOf(T.bucket, "other") },
        ]);
    });

    it.each(STACK_RULES.filter((r) => r !== s3BucketEnableObjectLock).map((r) => [r.name, r] as const))("%s: a bucket whose tags are unknown is still judged", (_n, rule) => {
        const s = compliant().filter((r) => r.type === T.bucket);
        named(s).models!.props.tags = UNKNOWN;
        expectFindings(run(rule, s), [{ message: `S3 bucket "${NAME}" has no`, urn: bucketUrn }]);
    });

    it("joins a configuration whose bucket is unknown by the engine's dependency URNs (a first preview)", () => {
        const s = compliant();
        const versioning = named(s)["models-versioning"]!;
        versioning.props.bucket = UNKNOWN;
        expect(run(s3BucketEnableVersioning, s)).toEqual([{ undecided: true, urn: bucketUrn, message: `S3 bucket "${NAME}" may have no such configuration: some configuration resource names a bucket that is not known yet` }]);
        (versioning as { propertyDependencies?: Record<string, string[]> }).propertyDependencies = { bucket: [bucketUrn] };
        expect(run(s3BucketEnableVersioning, s)).toEqual([]);
        // ...and a bucket that nothing configures is reported as missing its configuration, even at preview.
        const other = res(T.bucket, "datasets", { bucket: "datasets-1", tags: aiTags("dataset-store") });
        expectFindings(run(s3BucketEnableVersioning, [...s, other]), [{ message: 'S3 bucket "datasets-1" has no versioning configuration', urn: other.urn }]);
    });

    it("judges v7's inline bucket settings like the separate resources", () => {
        const bare = res(T.bucket, "inline", { bucket: "inline-1", versioning: { enabled: true }, serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } } }, logging: { targetBucket: "logs-1" } });
        expect(run(s3BucketEnableVersioning, [bare])).toEqual([]);
        expect(run(s3BucketEnableAccessLogging, [bare])).toEqual([]);
        expectFindings(run(s3BucketMissingKmsEncryption, [bare]), [{ message: "not SSE-KMS with a customer-managed key", urn: bare.urn }]);
        bare.props.versioning = { enabled: false };
        expectFindings(run(s3BucketEnableVersioning, [bare]), [{ message: "inline versioning is not enabled", urn: bare.urn }]);
    });

    it("does not ask an access-log target bucket to log its own access or to use SSE-KMS (S3 delivers logs only with SSE-S3)", () => {
        const s = compliant();
        const target = res(T.bucket, "logs", { bucket: "access-logs-9z", tags: aiTags("access-logs") });
        expect(run(s3BucketEnableAccessLogging, [...s, target])).toEqual([]);
        expect(run(s3BucketMissingKmsEncryption, [...s, target])).toEqual([]);
        // Recognised from use too: the bucket that a BucketLogging names as its target.
        const untaggedTarget = res(T.bucket, "logs", { bucket: "access-logs-9z" });
        expect(run(s3BucketEnableAccessLogging, [...s, untaggedTarget])).toEqual([]);
    });

    it.each([
        [s3BucketMissingKmsEncryption, "models-sse", (p: any): void => { p.rules = UNKNOWN; }],
        [s3BucketEnableVersioning, "models-versioning", (p: any): void => { p.versioningConfiguration.status = UNKNOWN; }],
        [s3BucketMissingPublicAccessBlock, "models-pab", (p: any): void => { p.blockPublicPolicy = UNKNOWN; }],
        [s3BucketDisableAcls, "models-ownership", (p: any): void => { p.rule = UNKNOWN; }],
        [s3BucketEnforceTls, "models-policy", (p: any): void => { p.policy = UNKNOWN; }],
        [s3BucketEnableAccessLogging, "models-logging", (p: any): void => { p.targetBucket = UNKNOWN; }],
        [s3BucketEnableObjectLock, "models-lock", (p: any): void => { p.rule = { defaultRetention: { mode: UNKNOWN, days: 1 } }; }],
    ] as const)("%s: an unknown configuration value is no violation, and is reported as decided at update", (rule, name, f) => {
        const s = compliant();
        f(named(s)[name]!.props);
        const found = run(rule, s);
        expect(found.length).toBeGreaterThan(0);
        for (const x of found) expect(x).toMatchObject({ undecided: true, urn: urnOf(named(s)[name]!.type, name) });
    });

    it("judges a bucket policy whose JSON embeds the engine's unknown string by the parts that are known", () => {
        const s = compliant();
        // The TLS statement is literal; only the bucket ARN is unknown at preview: decided, compliant.
        named(s)["models-policy"]!.props.policy = JSON.stringify({ Statement: [{ ...tlsDeny, Resource: ["04da6b54-80e4-46f7-96ec-b56ff0331ba9", "arn:aws:s3:::04da6b54-80e4-46f7-96ec-b56ff0331ba9/*"] }] });
        expect(run(s3BucketEnforceTls, s)).toEqual([]);
        // A statement whose deciding parts are unknown is left to the update, and says so.
        named(s)["models-policy"]!.props.policy = `{"Statement":[{"Effect":"Deny","Resource":"04da6b54-80e4-46f7-96ec-b56ff0331ba9"}]}`;
        expect(run(s3BucketEnforceTls, s)).toEqual([expect.objectContaining({ undecided: true })]);
    });
});

describe("aws-s3-bucket-disallow-force-destroy", () => {
    const bucket = (props: Record<string, unknown>) => res(T.bucket, "models", { bucket: NAME, tags: aiTags("model-store"), ...props });
    it("passes a bucket without forceDestroy", () => expect(run(s3BucketDisallowForceDestroy, bucket({}))).toEqual([]));
    it("flags forceDestroy: true on any bucket in scope, tagged or not", () => {
        expectFindings(run(s3BucketDisallowForceDestroy, bucket({ forceDestroy: true })), [{ message: `S3 bucket "${NAME}" sets forceDestroy: true`, urn: bucketUrn }]);
        expectFindings(run(s3BucketDisallowForceDestroy, bucket({ forceDestroy: true, tags: UNKNOWN })), [{ message: `S3 bucket "${NAME}" sets forceDestroy: true`, urn: bucketUrn }]);
    });
    it("leaves out a bucket declared out of scope with a justification, and only then", () => {
        const excluded = { [TagKeys.scope]: "excluded", [TagKeys.scopeJustification]: "Throwaway build cache, no AI data (RISK-9)" };
        expect(run(s3BucketDisallowForceDestroy, bucket({ forceDestroy: true, tags: excluded }))).toEqual([]);
        expect(run(s3BucketDisallowForceDestroy, bucket({ forceDestroy: true, tags: { [TagKeys.scope]: "excluded" } }))).toHaveLength(1);
    });
    it("skips an unknown forceDestroy", () => expect(run(s3BucketDisallowForceDestroy, bucket({ forceDestroy: UNKNOWN }))).toEqual([]));
});

describe("aws-s3-bucket-disallow-public-acl", () => {
    const acl = (props: Record<string, unknown>) => res(T.acl, "models-acl", { bucket: NAME, ...props });
    it("passes a private ACL", () => expect(run(s3BucketDisallowPublicAcl, acl({ acl: "private" }))).toEqual([]));
    it.each(["public-read", "public-read-write", "authenticated-read"])("flags the canned ACL %s", (value) => {
        expectFindings(run(s3BucketDisallowPublicAcl, acl({ acl: value })), [{ message: `uses the public canned ACL "${value}"` }]);
    });
    it("flags a grant to AllUsers", () => {
        const grants = [{ grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" }, permission: "READ" }];
        expectFindings(run(s3BucketDisallowPublicAcl, acl({ accessControlPolicy: { grants, owner: { id: "o" } } })), [{ message: "grants access to http://acs.amazonaws.com/groups/global/AllUsers" }]);
    });
    it("skips unknown values", () => {
        expect(run(s3BucketDisallowPublicAcl, acl({ acl: UNKNOWN, accessControlPolicy: UNKNOWN }))).toEqual([]);
    });
});
