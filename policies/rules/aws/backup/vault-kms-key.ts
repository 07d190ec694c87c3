/** Vaults holding AI backups must be encrypted with a customer-managed KMS key. */
import type { Finding, RuleResource, StackRule } from "../../../framework/rule";
import { isKnownMissing } from "../../shared-services";
import { AIR_GAPPED_VAULT_TYPE, backupScope, holdsAiBackups, VAULT_TYPE } from "./scope";

export const backupVaultMissingKmsKey: StackRule = {
    kind: "stack",
    name: "aws-backup-vault-missing-kms-key",
    description:
        "Every backup vault that holds AI backups must be encrypted with a customer-managed KMS key (`kmsKeyArn` on a Vault, `encryptionKeyArn` on a logically air-gapped vault), so copies of models and datasets stay under the owner's key policy and can be crypto-shredded at end of life.",
    clauses: ["DV-2", "DP-3", "P5", "P13"],
    severity: "high",
    enforcementLevel: "mandatory",
    settings: ["assetKindTagKey", "aiDataStoreKinds"],
    remediationSteps: "Set `kmsKeyArn` (Vault) or `encryptionKeyArn` (LogicallyAirGappedVault) to a customer-managed KMS key with rotation enabled; vault encryption cannot change after creation, so create a new vault and move the plan to it.",
    url: "https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html",
    onUnknown: "Reports nothing when the vault's key ARN is unknown at preview; plans and selections with unknown parts do not widen the scope. Checked again at update.",
    check(resources: readonly RuleResource[], { settings }): Finding[] {
        const scope = backupScope(resources, settings);
        const findings: Finding[] = [];
        for (const [type, field] of [[VAULT_TYPE, "kmsKeyArn"], [AIR_GAPPED_VAULT_TYPE, "encryptionKeyArn"]] as const) {
            for (const vault of scope.index.get(type) ?? []) {
                if (holdsAiBackups(vault, scope, settings) && isKnownMissing(vault.props[field])) {
                    findings.push({ urn: vault.urn, message: `backup vault "${vault.name}" holds AI backups but ${field} is not set` });
                }
            }
        }
        return findings;
    },
};
