/**
 * Standard vaults holding AI backups must be encrypted with a customer-managed KMS key.
 *
 * Logically air-gapped vaults are exempt by design: AWS encrypts them with an AWS-owned key unless
 * given one, and a customer key in the *same* account would let whoever takes over that account
 * crypto-shred the very copies that exist to survive such a takeover (AWS recommends a key from a
 * separate recovery account, which a single stack cannot create). Their immutability comes from
 * the compliance-mode retention the lock rule checks.
 */
import * as aws from "@pulumi/aws";
import { type Finding, type RuleResource, stackRule } from "../../../framework/rule";
import { isKnownMissing } from "../../../framework/values";
import { backupScope, holdsAiBackups, VAULT_TYPE } from "./scope";

export const backupVaultMissingKmsKey = stackRule({
    judges: [aws.backup.Vault],
    name: "aws-backup-vault-missing-kms-key",
    description:
        "Every standard backup vault that holds AI backups must be encrypted with a customer-managed KMS key (`kmsKeyArn`), so backups of models and datasets stay under the owner's key policy and can be crypto-shredded at end of life. Logically air-gapped vaults are not required to use one: a key in the same account would let an attacker who takes over the account destroy the isolated copies.",
    clauses: ["DV-2", "DP-3", "P5", "P13"],
    severity: "high",
    enforcementLevel: "mandatory",
    settings: ["assetKindTagKey", "aiDataStoreKinds"],
    remediationSteps: "Set `kmsKeyArn` on the Vault to a customer-managed KMS key with rotation enabled; vault encryption cannot change after creation, so create a new vault and move the plan to it. For a logically air-gapped vault that must use a customer key, use one held in a separate recovery account.",
    url: "https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html",
    onUnknown: "Reports nothing when the vault's key ARN is unknown at preview; plans and selections with unknown parts do not widen the scope. Checked again at update.",
    check(resources: readonly RuleResource[], { settings }): Finding[] {
        const scope = backupScope(resources, settings);
        const findings: Finding[] = [];
        for (const [type, field] of [[VAULT_TYPE, "kmsKeyArn"]] as const) {
            for (const vault of scope.index.get(type) ?? []) {
                if (holdsAiBackups(vault, scope, settings) && isKnownMissing(vault.props[field])) {
                    findings.push({ urn: vault.urn, message: `backup vault "${vault.name}" holds AI backups but ${field} is not set` });
                }
            }
        }
        return findings;
    },
});
