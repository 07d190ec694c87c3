/** Vaults holding AI backups must be locked in compliance mode with a minimum retention. */
import * as aws from "@pulumi/aws";
import { UNKNOWN, type Finding, type RuleResource, stackRule } from "../../../framework/rule";
import { knownString } from "../../../framework/values";
import { AIR_GAPPED_VAULT_TYPE, backupScope, holdsAiBackups, VAULT_LOCK_TYPE, VAULT_TYPE } from "./scope";

export const backupVaultEnforceComplianceLock = stackRule({
    judges: [aws.backup.Vault, aws.backup.LogicallyAirGappedVault],
    name: "aws-backup-vault-enforce-compliance-lock",
    description:
        "Every backup vault that holds AI backups (tagged as an AI resource, or targeted by a plan that backs up an AI data store) must have a VaultLockConfiguration in compliance mode (`changeableForDays` set, so the lock becomes immutable after the grace period) with `minRetentionDays` at least `minimumBackupRetentionDays`. Logically air-gapped vaults are locked by design and need the same minimum retention. Without the lock, anyone with vault permissions (or ransomware using them) can delete the recovery points.",
    clauses: ["DP-3", "DV-2", "P5", "P6"],
    severity: "critical",
    enforcementLevel: "mandatory",
    settings: ["minimumBackupRetentionDays", "assetKindTagKey", "aiDataStoreKinds"],
    remediationSteps:
        "Add `new aws.backup.VaultLockConfiguration(..., { backupVaultName: vault.name, changeableForDays: 3, minRetentionDays: <at least the minimum>, maxRetentionDays: <policy> })`; once the grace period ends the lock cannot be removed, so test in a non-production account first.",
    url: "https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html",
    onUnknown:
        "Reports nothing for a vault whose name is unknown at preview, or when a lock's vault name, grace period or retention is unknown; plans and selections with unknown parts do not widen the scope. Checked again at update.",
    check(resources: readonly RuleResource[], { settings }): Finding[] {
        const scope = backupScope(resources, settings);
        const min = settings.minimumBackupRetentionDays;
        const locks = scope.index.get(VAULT_LOCK_TYPE) ?? [];
        const unknownLock = locks.some((l) => typeof knownString(l.props.backupVaultName) !== "string");
        const locksByVault = new Map<unknown, RuleResource[]>();
        for (const l of locks) {
            const list = locksByVault.get(l.props.backupVaultName);
            if (list) list.push(l);
            else locksByVault.set(l.props.backupVaultName, [l]);
        }
        const findings: Finding[] = [];
        for (const vault of scope.index.get(VAULT_TYPE) ?? []) {
            if (!holdsAiBackups(vault, scope, settings)) continue;
            const name = knownString(vault.props.name);
            if (typeof name !== "string") continue;
            const mine = locksByVault.get(name) ?? [];
            if (mine.length === 0) {
                if (!unknownLock) findings.push({ urn: vault.urn, message: `backup vault "${name}" holds AI backups but has no VaultLockConfiguration` });
                continue;
            }
            const lock = mine[0];
            const { changeableForDays, minRetentionDays } = lock.props;
            if (changeableForDays !== UNKNOWN && typeof changeableForDays !== "number") {
                findings.push({ urn: vault.urn, message: `the lock of backup vault "${name}" is in governance mode (changeableForDays is not set); set changeableForDays for compliance mode` });
            }
            if (minRetentionDays !== UNKNOWN && !(typeof minRetentionDays === "number" && minRetentionDays >= min)) {
                const has = typeof minRetentionDays === "number" ? `minRetentionDays ${minRetentionDays}` : "no minRetentionDays";
                findings.push({ urn: vault.urn, message: `the lock of backup vault "${name}" has ${has}; it must be at least ${min}` });
            }
        }
        for (const vault of scope.index.get(AIR_GAPPED_VAULT_TYPE) ?? []) {
            if (!holdsAiBackups(vault, scope, settings)) continue;
            const v = vault.props.minRetentionDays;
            if (v !== UNKNOWN && !(typeof v === "number" && v >= min)) {
                findings.push({ urn: vault.urn, message: `logically air-gapped vault "${vault.name}" has minRetentionDays ${String(v)}; it must be at least ${min}` });
            }
        }
        return findings;
    },
});
