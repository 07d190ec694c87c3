/**
 * The data-store rules on a compliant stack of every store (fixtures-stores.ts), then one changed
 * field per failing case; first-preview joins (a key ARN unknown at preview that comes from a key of
 * the stack, or from a lookup); OpenSearch Serverless policy matching; scope.
 */
import { describe, expect, it } from "vitest";
import { UNKNOWN, UNKNOWN_STRING } from "../../../common/unknown";
import type { Finding, Rule } from "../../../policies/framework/rule";
import { DATA_STORE_RULES } from "../../../policies/rules/data-stores";
import { expectOne, runStack, urnOf, withField, type Res } from "../support";
import { KEY } from "./fixtures-aws";
import { encryptionPolicy, networkPolicy, storesStack, T } from "./fixtures-stores";

const rule = (name: string): Rule => DATA_STORE_RULES.find((r) => r.name === `aws-${name}`)!;

/** The stack with one resource's field changed (`undefined` deletes it). */
function edit(name: string, path: string, value: unknown, stack: Res[] = storesStack()): Res[] {
    return stack.map((r) => (r.name === name ? { ...r, props: withField(r.props, path, value) } : r));
}
const urn = (name: string) => storesStack().find((r) => r.name === name)!.urn;
const violations = (fs: readonly Finding[]) => fs.filter((f) => !f.undecided);
const undecided = (fs: readonly Finding[]) => fs.filter((f) => f.undecided);

describe("every data-store rule passes the compliant stack", () => {
    it.each(DATA_STORE_RULES.map((r) => [r.name, r] as const))("%s", (_n, r) => expect(runStack(r, storesStack())).toEqual([]));
});

/** [rule (without "aws-"), resource, field, value, message parts]. */
type Case = readonly [string, string, string, unknown, readonly string[]];

const CASES: readonly Case[] = [
    ["rds-instance-missing-kms-key", "features-db", "storageEncrypted", undefined, ["storageEncrypted is not set (the default is false)", "stored unencrypted"]],
    ["rds-instance-missing-kms-key", "features-db", "storageEncrypted", false, ["storageEncrypted is false"]],
    ["rds-instance-missing-kms-key", "features-db", "kmsKeyId", undefined, ["kmsKeyId is not set", "aws/rds"]],
    ["rds-instance-missing-kms-key", "features-db", "kmsKeyId", "alias/aws/rds", ["AWS-managed key"]],
    ["rds-instance-disallow-public-access", "features-db", "publiclyAccessible", true, ['RDS instance "features-db": publiclyAccessible is true']],
    ["rds-instance-disallow-public-access", "kb-aurora-1", "publiclyAccessible", true, ['Aurora cluster instance "kb-aurora-1"']],
    ["rds-cluster-missing-kms-key", "kb-aurora", "kmsKeyId", "arn:aws:kms:eu-west-2:123456789012:alias/aws/rds", ["AWS-managed key"]],
    ["rds-cluster-missing-kms-key", "kb-aurora", "storageEncrypted", undefined, ["provisioned clusters"]],
    ["redshift-cluster-missing-kms-key", "warehouse", "kmsKeyId", undefined, ["kmsKeyId is not set", "AWS-owned or AWS-managed"]],
    ["redshift-cluster-missing-kms-key", "warehouse", "encrypted", "false", ['encrypted is "false"']],
    ["redshift-cluster-disallow-public-access", "warehouse", "publiclyAccessible", true, ["publiclyAccessible is true"]],
    ["redshiftserverless-namespace-missing-kms-key", "analytics", "kmsKeyId", undefined, ["AWS-owned key"]],
    ["elasticache-replicationgroup-missing-kms-key", "prompt-cache", "atRestEncryptionEnabled", false, ["atRestEncryptionEnabled is false"]],
    ["elasticache-replicationgroup-missing-kms-key", "prompt-cache", "kmsKeyId", undefined, ["kmsKeyId is not set"]],
    ["elasticache-replicationgroup-enable-transit-encryption", "prompt-cache", "transitEncryptionEnabled", undefined, ["transitEncryptionEnabled is not set"]],
    ["elasticache-replicationgroup-enable-transit-encryption", "prompt-cache", "transitEncryptionMode", "preferred", ['"preferred"', "without TLS"]],
    ["efs-filesystem-missing-kms-key", "weights", "encrypted", undefined, ["encrypted is not set"]],
    ["efs-filesystem-missing-kms-key", "weights", "kmsKeyId", undefined, ["aws/elasticfilesystem"]],
    ["fsx-lustrefilesystem-missing-kms-key", "training-scratch", "deploymentType", undefined, ['"SCRATCH_1" (the default) is a scratch type']],
    ["fsx-lustrefilesystem-missing-kms-key", "training-scratch", "deploymentType", "SCRATCH_2", ['"SCRATCH_2" is a scratch type', "exempt"]],
    ["fsx-lustrefilesystem-missing-kms-key", "training-scratch", "kmsKeyId", undefined, ["aws/fsx"]],
    ["opensearch-domain-missing-kms-key", "rag-search", "encryptAtRest", undefined, ["encryptAtRest.enabled is not set"]],
    ["opensearch-domain-missing-kms-key", "rag-search", "encryptAtRest.kmsKeyId", undefined, ["encryptAtRest.kmsKeyId is not set", "aws/es"]],
    ["opensearch-domain-enforce-tls", "rag-search", "nodeToNodeEncryption.enabled", false, ["nodeToNodeEncryption.enabled is false"]],
    ["opensearch-domain-enforce-tls", "rag-search", "domainEndpointOptions.enforceHttps", undefined, ["enforceHttps is not set"]],
    ["opensearch-domain-enforce-tls", "rag-search", "domainEndpointOptions.tlsSecurityPolicy", "Policy-Min-TLS-1-0-2019-07", ["accepts TLS 1.0"]],
    ["opensearch-domain-disallow-public-endpoint", "rag-search", "vpcOptions", undefined, ["public internet endpoint"]],
    ["opensearch-domain-disallow-public-endpoint", "rag-search", "vpcOptions.subnetIds", [], ["no vpcOptions.subnetIds"]],
    ["opensearch-serverlesscollection-missing-kms-key", "kb-encryption", "policy", encryptionPolicy({ AWSOwnedKey: true }), ['(encryption policy "kb-encryption"): AWSOwnedKey is true']],
    ["opensearch-serverlesscollection-missing-kms-key", "kb-encryption", "policy", encryptionPolicy({ AWSOwnedKey: false }), ["KmsARN is not set"]],
    ["opensearch-serverlesscollection-missing-kms-key", "kb-encryption", "policy", encryptionPolicy(undefined, ["collection/other"]), ["no encryption policy of this stack matches it"]],
    ["opensearch-serverlesscollection-missing-kms-key", "kb-vectors", "encryptionConfigs", [{ awsOwnedKey: true }], ["encryptionConfigs sets awsOwnedKey: true"]],
    ["opensearch-serverlesscollection-disallow-public-access", "kb-network", "policy", networkPolicy(true), ['"kb-network" sets AllowFromPublic: true for its collection endpoint and OpenSearch Dashboards endpoint']],
    ["kendra-index-missing-kms-key", "docs-index", "serverSideEncryptionConfiguration", undefined, ["serverSideEncryptionConfiguration.kmsKeyId is not set"]],
    ["bedrock-agentdatasource-missing-kms-key", "kb-source", "serverSideEncryptionConfiguration.kmsKeyArn", "alias/aws/bedrock", ["AWS-managed key"]],
];

describe("one changed field per failing case", () => {
    it.each(CASES)("%s: %s.%s = %j", (name, resource, path, value, parts) => {
        const r = rule(name);
        expect(r, name).toBeDefined();
        const at = ["kb-encryption", "kb-network"].includes(resource) ? "kb-vectors" : resource;
        expectOne(runStack(r, edit(resource, path, value)), parts, urn(at));
    });
    it("every data-store rule has a failing case", () => {
        const passwords = ["rds-instance", "rds-cluster", "redshift-cluster"].map((p) => `aws-${p}-disallow-plaintext-password`);
        expect(new Set([...CASES.map((c) => `aws-${c[0]}`), ...passwords])).toEqual(new Set(DATA_STORE_RULES.map((r) => r.name)));
    });
    it("a public network policy on the dashboard only is reported as such", () => {
        const dashboardOnly = JSON.stringify([{ Rules: [{ ResourceType: "dashboard", Resource: ["collection/kb-vectors"] }], AllowFromPublic: true }]);
        const stack = [...storesStack(), { type: T.policy, name: "dash", urn: urnOf(T.policy, "dash"), props: { type: "network", policy: dashboardOnly } }];
        expectOne(runStack(rule("opensearch-serverlesscollection-disallow-public-access"), stack), ["OpenSearch Dashboards endpoint"], urn("kb-vectors"));
    });
});

describe("read replicas", () => {
    const instance = rule("rds-instance-missing-kms-key");
    const replica = (over: Record<string, unknown>) => storesStack().map((r) => (r.name === "features-db" ? { ...r, props: { ...r.props, replicateSourceDb: "features-db-primary", storageEncrypted: undefined, ...over } } : r));
    it("inherit encryption from the source: no storageEncrypted needed, kmsKeyId still judged", () => {
        expect(runStack(instance, replica({}))).toEqual([]);
        expectOne(runStack(instance, replica({ kmsKeyId: undefined })), ["kmsKeyId is not set"], urn("features-db"));
        expectOne(runStack(instance, replica({ storageEncrypted: false })), ["storageEncrypted is false"], urn("features-db"));
    });
});

describe("master passwords", () => {
    const instance = rule("rds-instance-disallow-plaintext-password");
    const redshift = rule("redshift-cluster-disallow-plaintext-password");
    /** The managed switch replaced by a program-supplied password (AWS refuses both at once). */
    const supplied = (name: string, managed: string, field: string, value: unknown) => edit(name, managed, undefined, edit(name, field, value));
    it.each([
        [instance, supplied("features-db", "manageMasterUserPassword", "password", "Passw0rd!"), "features-db", ["(password)", "manageMasterUserPassword: true", "Pulumi state"]],
        [instance, supplied("features-db", "manageMasterUserPassword", "passwordWo", "from-config"), "features-db", ["(passwordWo)", "in the program"]],
        [rule("rds-cluster-disallow-plaintext-password"), supplied("kb-aurora", "manageMasterUserPassword", "masterPassword", "Secret123"), "kb-aurora", ["(masterPassword)"]],
        [redshift, supplied("warehouse", "manageMasterPassword", "masterPassword", "Secret123"), "warehouse", ["(masterPassword)", "manageMasterPassword: true"]],
    ] as const)("%#: a program-supplied password is reported", (r, stack, at, parts) => {
        expectOne(runStack(r, stack), parts, urn(at));
    });
    it("manageMasterPassword: false with a password is reported", () => {
        expectOne(runStack(redshift, edit("warehouse", "manageMasterPassword", false, edit("warehouse", "masterPassword", "x"))), ["(masterPassword)"]);
    });
    it("a password computed at preview (random.RandomPassword) is undecided, not a pass", () => {
        const found = runStack(instance, supplied("features-db", "manageMasterUserPassword", "password", UNKNOWN));
        expect(violations(found)).toEqual([]);
        expectOne(undecided(found), ["decided at update"]);
    });
    it("no password and no managed switch (restored from a snapshot, a replica) is not reported", () => {
        expect(runStack(instance, edit("features-db", "manageMasterUserPassword", undefined))).toEqual([]);
    });
});

describe("customer-managed keys at a first preview", () => {
    const efs = rule("efs-filesystem-missing-kms-key");
    const unknownKey = (deps?: string[]) => storesStack().map((r) => (r.name === "weights" ? { ...r, props: { ...r.props, kmsKeyId: UNKNOWN }, propertyDependencies: deps ? { kmsKeyId: deps } : undefined } : r));
    it("an unknown key ARN that comes from a KMS key of the stack counts as customer-managed", () => {
        expect(runStack(efs, unknownKey([urn("store-key")]))).toEqual([]);
    });
    it("an unknown key ARN that comes from an alias the program creates counts as customer-managed", () => {
        const alias = { type: T.alias, name: "weights-alias", urn: urnOf(T.alias, "weights-alias"), props: { name: "alias/weights", targetKeyId: KEY } };
        expect(runStack(efs, [...unknownKey([alias.urn]), alias])).toEqual([]);
    });
    it("an unknown key ARN from a lookup (no dependency on a key of the stack) is undecided", () => {
        const found = runStack(efs, unknownKey());
        expect(violations(found)).toEqual([]);
        expectOne(undecided(found), ["kmsKeyId is unknown at preview", "decided at update"], urn("weights"));
    });
    it("a KmsARN embedded as the engine's unknown marker in a serverless encryption policy resolves through the policy's dependencies", () => {
        const withMarker = (deps?: string[]) => storesStack().map((r) => (r.name === "kb-encryption" ? { ...r, props: { ...r.props, policy: encryptionPolicy({ AWSOwnedKey: false, KmsARN: UNKNOWN_STRING }) }, propertyDependencies: deps ? { policy: deps } : undefined } : r));
        const collection = rule("opensearch-serverlesscollection-missing-kms-key");
        expect(runStack(collection, withMarker([urn("store-key")]))).toEqual([]);
        expectOne(undecided(runStack(collection, withMarker())), ["KmsARN is unknown at preview"]);
    });
});

describe("OpenSearch Serverless policy matching", () => {
    const collection = rule("opensearch-serverlesscollection-missing-kms-key");
    const extra = (name: string, policy: string) => ({ type: T.policy, name, urn: urnOf(T.policy, name), props: { type: "encryption", policy } });
    it("the most specific matching encryption policy applies: an exact name beats a wildcard", () => {
        expect(runStack(collection, [...storesStack(), extra("all-owned", encryptionPolicy({ AWSOwnedKey: true }, ["collection/*"]))])).toEqual([]);
        const specificOwned = edit("kb-encryption", "policy", encryptionPolicy({ AWSOwnedKey: true }));
        expectOne(runStack(collection, [...specificOwned, extra("kb-cmk", encryptionPolicy(undefined, ["collection/kb-*"]))]), ["AWSOwnedKey is true"]);
    });
    it("a wildcard pattern matches by prefix only", () => {
        const other = edit("kb-encryption", "policy", encryptionPolicy(undefined, ["collection/kb-vec*"]));
        expect(runStack(collection, other)).toEqual([]);
        const miss = edit("kb-encryption", "policy", encryptionPolicy(undefined, ["collection/vec*"]));
        expectOne(runStack(collection, miss), ["no encryption policy of this stack matches it"]);
    });
    it("a policy whose document is unknown at preview leaves the collection undecided", () => {
        const found = runStack(collection, edit("kb-encryption", "policy", UNKNOWN));
        expect(violations(found)).toEqual([]);
        expectOne(undecided(found), ['encryption policy "kb-encryption" (its policy document is unknown) may apply']);
    });
    it("direct encryptionConfigs with a key of the stack pass without any policy", () => {
        const stack = edit("kb-vectors", "encryptionConfigs", [{ kmsKeyArn: KEY }]).filter((r) => r.name !== "kb-encryption");
        expect(runStack(collection, stack)).toEqual([]);
    });
});

describe("scope", () => {
    const efs = rule("efs-filesystem-missing-kms-key");
    it('under scope "ai-assets" only recognised AI stores are judged; a knowledge base makes its vector store one', () => {
        const bare = edit("kb-aurora", "kmsKeyId", undefined, edit("weights", "kmsKeyId", undefined));
        expect(runStack(efs, bare, { scope: "ai-assets" })).toEqual([]);
        const kb = { type: T.knowledgeBase, name: "kb", urn: urnOf(T.knowledgeBase, "kb"), props: { storageConfiguration: { type: "RDS", rdsConfiguration: { resourceArn: "arn:aws:rds:eu-west-2:123456789012:cluster:kb-aurora" } } } };
        const aurora = bare.map((r) => (r.name === "kb-aurora" ? { ...r, props: { ...r.props, arn: "arn:aws:rds:eu-west-2:123456789012:cluster:kb-aurora" } } : r));
        expectOne(runStack(rule("rds-cluster-missing-kms-key"), [...aurora, kb], { scope: "ai-assets" }), ["kmsKeyId is not set"], urn("kb-aurora"));
    });
    it("a store declared out of scope with a justification is not judged", () => {
        const excluded = edit("weights", "tags", { "aiguard:scope": "excluded", "aiguard:scope-justification": "Public sample data only, no model weights (DATA-77)" }, edit("weights", "kmsKeyId", undefined));
        expect(runStack(efs, excluded)).toEqual([]);
    });
});
