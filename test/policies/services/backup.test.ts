import { describe, expect, it } from "vitest";
import { UNKNOWN, type RuleResource } from "../../../policies/framework/rule";
import { backupPlanConfigureAirGappedCopy } from "../../../policies/rules/aws/backup/plan-configure-air-gapped-copy";
import { PLAN_TYPE, SELECTION_TYPE } from "../../../policies/rules/aws/backup/scope";
import { backupSelectionMissingAiDataStore } from "../../../policies/rules/aws/backup/selection-missing-ai-data-store";
import { backupVaultEnforceComplianceLock } from "../../../policies/rules/aws/backup/vault-enforce-compliance-lock";
import { backupVaultMissingKmsKey } from "../../../policies/rules/aws/backup/vault-missing-kms-key";
import { ACCOUNT, backupStack as stack, LAG_ARN, VAULT_ARN } from "./fixtures-aws";
import { expectOne, runStack, urnOf, withField } from "../support";

/** The stack with one resource's field changed. */
function edit(name: string, path: string, value: unknown): RuleResource[] {
    return stack().map((r) => (r.name === name ? { ...r, props: withField(r.props, path, value) } : r));
}
const without = (...names: string[]) => stack().filter((r) => !names.includes(r.name));
const urn = (name: string) => stack().find((r) => r.name === name)!.urn;

describe("backup rules pass the compliant stack", () => {
    it.each([backupVaultEnforceComplianceLock, backupVaultMissingKmsKey, backupSelectionMissingAiDataStore, backupPlanConfigureAirGappedCopy].map((r) => [r.name, r] as const))("%s", (_n, rule) => {
        expect(runStack(rule, stack())).toEqual([]);
    });
});

describe("aws-backup-vault-enforce-compliance-lock", () => {
    const rule = backupVaultEnforceComplianceLock;
    it.each<[string, RuleResource[], string, string]>([
        ["no lock", without("lock"), 'backup vault "ai-vault" holds AI backups but has no VaultLockConfiguration', "vault"],
        ["governance mode", edit("lock", "changeableForDays", undefined), "governance mode", "vault"],
        ["retention below minimum", edit("lock", "minRetentionDays", 7), "minRetentionDays 7; it must be at least 35", "vault"],
        ["no minimum retention", edit("lock", "minRetentionDays", undefined), "has no minRetentionDays; it must be at least 35", "vault"],
        ["air-gapped vault retention too short", edit("airgap", "minRetentionDays", 7), 'logically air-gapped vault "airgap" has minRetentionDays 7', "airgap"],
    ])("%s", (_n, resources, msg, at) => expectOne(runStack(rule, resources), [msg], urn(at)));
    it("uses settings.minimumBackupRetentionDays", () => {
        expect(runStack(rule, stack(), { minimumBackupRetentionDays: 90 })).toHaveLength(2);
    });
    it("ignores vaults that hold no AI backups", () => {
        expect(runStack(rule, without("lock", "plan"))).toEqual([]);
    });
    it("a vault tagged as an AI resource is in scope even without a plan", () => {
        const tagged = without("lock", "plan").map((r) => (r.name === "vault" ? { ...r, props: { ...r.props, tags: { "aiguard:asset-kind": "backup" } } } : r));
        expectOne(runStack(rule, tagged), ["has no VaultLockConfiguration"], urn("vault"));
    });
    it("unknown lock values or vault names produce no finding", () => {
        expect(runStack(rule, edit("lock", "minRetentionDays", UNKNOWN))).toEqual([]);
        expect(runStack(rule, edit("lock", "changeableForDays", UNKNOWN))).toEqual([]);
        expect(runStack(rule, edit("lock", "backupVaultName", UNKNOWN))).toEqual([]);
        expect(runStack(rule, edit("vault", "name", UNKNOWN))).toEqual([]);
    });
});

describe("aws-backup-vault-missing-kms-key", () => {
    const rule = backupVaultMissingKmsKey;
    it("reports a standard vault without kmsKeyArn", () => {
        expectOne(runStack(rule, edit("vault", "kmsKeyArn", undefined)), ['"vault" holds AI backups but kmsKeyArn is not set'], urn("vault"));
    });
    it("accepts a logically air-gapped vault on the AWS-owned key (a same-account key would let an account takeover shred the copies)", () => {
        expect(runStack(rule, edit("airgap", "encryptionKeyArn", undefined))).toEqual([]);
    });
    it("unknown key → no finding", () => expect(runStack(rule, edit("vault", "kmsKeyArn", UNKNOWN))).toEqual([]));
});

describe("aws-backup-selection-missing-ai-data-store", () => {
    const rule = backupSelectionMissingAiDataStore;
    it.each<[string, RuleResource[], string]>([
        ["selection by ARN removed", without("by-arn"), "models"],
        ["tag selection removed", without("by-tag"), "datasets"],
        ["ARN selection points elsewhere", edit("by-arn", "resources", ["arn:aws:s3:::other"]), "models"],
        ["tag selection value differs", edit("by-tag", "selectionTags[0].value", "model-store"), "datasets"],
        ["notResources excludes the bucket", edit("by-arn", "notResources", ["arn:aws:s3:::mod*"]), "models"],
        ["condition not met", edit("by-tag", "conditions", [{ stringEquals: [{ key: "aws:ResourceTag/team", value: "web" }] }]), "datasets"],
    ])("%s", (_n, resources, bucket) => {
        expectOne(runStack(rule, resources), [`AI data store "arn:aws:s3:::${bucket}" is not selected`], urn(bucket));
    });
    it("wildcard resources and satisfied conditions select", () => {
        expect(runStack(rule, edit("by-arn", "resources", ["arn:aws:s3:::*"]))).toEqual([]);
        expect(runStack(rule, edit("by-tag", "conditions", [{ stringEquals: [{ key: "aws:ResourceTag/team", value: "ml" }], stringNotLikes: [{ key: "aws:ResourceTag/env", value: "dev*" }] }]))).toEqual([]);
    });
    it("non-AI buckets need no selection", () => expect(runStack(rule, without("by-arn", "by-tag", "models", "datasets"))).toEqual([]));
    it("unknown selection parts or bucket tags produce no violation (at most a decided-at-update notice)", () => {
        expect(runStack(rule, edit("by-arn", "resources", UNKNOWN)).filter((f) => !f.undecided)).toEqual([]);
        expect(runStack(rule, edit("by-arn", "resources", [UNKNOWN])).filter((f) => !f.undecided)).toEqual([]);
        expect(runStack(rule, without("by-arn").map((r) => (r.name === "models" ? { ...r, props: { ...r.props, tags: UNKNOWN } } : r))).filter((f) => !f.undecided)).toEqual([]);
    });
});

describe("aws-backup-plan-configure-air-gapped-copy", () => {
    const rule = backupPlanConfigureAirGappedCopy;
    const planUrn = urnOf(PLAN_TYPE, "plan");
    const msg = 'backup plan "plan" backs up AI data but no rule copies to a logically air-gapped vault or a vault in another account';
    it.each<[string, RuleResource[]]>([
        ["no copy actions", edit("plan", "rules[0].copyActions", undefined)],
        ["copy to the source vault", edit("plan", "rules[0].copyActions[0].destinationVaultArn", VAULT_ARN)],
        ["copy to another vault in the same account", edit("plan", "rules[0].copyActions[0].destinationVaultArn", `arn:aws:backup:eu-west-1:${ACCOUNT}:backup-vault:dr`)],
    ])("%s", (_n, resources) => expectOne(runStack(rule, resources), [msg], planUrn));
    it("accepts a copy to another account, or a rule targeting an air-gapped vault directly", () => {
        expect(runStack(rule, edit("plan", "rules[0].copyActions[0].destinationVaultArn", "arn:aws:backup:eu-west-2:210987654321:backup-vault:dr"))).toEqual([]);
        const direct = edit("plan", "rules[0].copyActions", undefined).map((r) => (r.name === "plan" ? { ...r, props: withField(r.props, "rules[0].targetLogicallyAirGappedBackupVaultArn", LAG_ARN) } : r));
        expect(runStack(rule, direct)).toEqual([]);
    });
    it("ignores plans that back up no AI data", () => expect(runStack(rule, edit("plan", "rules[0].copyActions", undefined).filter((r) => r.type !== SELECTION_TYPE))).toEqual([]));
    it("unknown rules, destinations or plan ARN produce no violation (at most a decided-at-update notice)", () => {
        expect(runStack(rule, edit("plan", "rules", UNKNOWN)).filter((f) => !f.undecided)).toEqual([]);
        expect(runStack(rule, edit("plan", "rules[0].copyActions[0].destinationVaultArn", UNKNOWN)).filter((f) => !f.undecided)).toEqual([]);
        expect(runStack(rule, edit("plan", "rules[0].copyActions", UNKNOWN)).filter((f) => !f.undecided)).toEqual([]);
        expect(runStack(rule, edit("plan", "arn", UNKNOWN)).filter((f) => !f.undecided)).toEqual([]);
    });
});
