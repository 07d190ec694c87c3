/** AI backup plans must keep a copy outside the source vault's blast radius. */
import * as aws from "@pulumi/aws";
import { UNKNOWN, type Finding, type RuleResource, stackRule } from "../../../framework/rule";
import { asList, get } from "../../../framework/values";
import { arnAccount, isKnownMissing, knownString } from "../../../framework/values";
import { AIR_GAPPED_VAULT_TYPE, backupScope, VAULT_TYPE } from "./scope";

export const backupPlanConfigureAirGappedCopy = stackRule({
    judges: [aws.backup.Plan],
    name: "aws-backup-plan-configure-air-gapped-copy",
    description:
        "Every backup plan that backs up AI data stores must have at least one rule that puts a copy out of reach of the source account: `targetLogicallyAirGappedBackupVaultArn`, or a `copyActions` entry whose `destinationVaultArn` is a logically air-gapped vault or a vault in another AWS account. A copy to the same vault, or to another ordinary vault in the same account, does not survive an account compromise.",
    clauses: ["DP-3", "P5", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    settings: ["assetKindTagKey", "aiDataStoreKinds"],
    remediationSteps:
        "Create an `aws.backup.LogicallyAirGappedVault` (or a vault in a dedicated backup account) and add `copyActions: [{ destinationVaultArn: <its ARN>, lifecycle: { deleteAfter: <days> } }]` to a plan rule.",
    url: "https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html",
    onUnknown:
        "A plan whose rules depend on an air-gapped vault (the engine's dependency URNs at a first preview) copies to it; a plan whose copy destinations or account cannot be told yet is reported as decided at update (advisory aiguard-undecided-at-preview), never passed silently.",
    check(resources: readonly RuleResource[], { settings }): Finding[] {
        const scope = backupScope(resources, settings);
        const airGapped = new Set<string>();
        // An air-gapped vault whose ARN is unknown may be any destination: same-account copies are then undecidable.
        let airGappedUnknown = false;
        for (const v of scope.index.get(AIR_GAPPED_VAULT_TYPE) ?? []) {
            const arn = knownString(v.props.arn);
            if (typeof arn === "string") airGapped.add(arn);
            else airGappedUnknown = true;
        }
        const vaultArnByName = new Map<string, string>();
        for (const v of scope.index.get(VAULT_TYPE) ?? []) {
            const name = knownString(v.props.name);
            const arn = knownString(v.props.arn);
            if (typeof name === "string" && typeof arn === "string") vaultArnByName.set(name, arn);
        }
        const findings: Finding[] = [];
        for (const plan of scope.aiPlans) {
            const rules = asList(plan.props.rules);
            const planArn = knownString(plan.props.arn);
            const account = typeof planArn === "string" ? arnAccount(planArn) : undefined;
            // At a first preview destination ARNs are unknown: a rule built from an air-gapped vault copies to it.
            const airGappedUrns = new Set((scope.index.get(AIR_GAPPED_VAULT_TYPE) ?? []).map((v) => v.urn));
            if ((plan.propertyDependencies?.rules ?? []).some((u) => airGappedUrns.has(u))) continue;
            if (rules === UNKNOWN) {
                findings.push({ undecided: true, urn: plan.urn, message: `whether backup plan "${plan.name}" copies AI backups to a logically air-gapped vault or another account: its rules are not known yet` });
                continue;
            }
            let undecidable = false;
            const ok = rules.some((rule) => {
                const lag = get(rule, "targetLogicallyAirGappedBackupVaultArn");
                if (knownString(lag) === UNKNOWN) undecidable = true;
                else if (!isKnownMissing(lag)) return true;
                const target = knownString(get(rule, "targetVaultName"));
                const sourceArn = typeof target === "string" ? vaultArnByName.get(target) : undefined;
                const copies = asList(get(rule, "copyActions"));
                if (copies === UNKNOWN) {
                    undecidable = true;
                    return false;
                }
                return copies.some((c) => {
                    const dest = knownString(get(c, "destinationVaultArn"));
                    if (dest === UNKNOWN) {
                        undecidable = true;
                        return false;
                    }
                    if (typeof dest !== "string" || dest === sourceArn) return false;
                    if (airGapped.has(dest)) return true;
                    if (airGappedUnknown) {
                        undecidable = true;
                        return false;
                    }
                    const source = account ?? (sourceArn ? arnAccount(sourceArn) : undefined);
                    const destAccount = arnAccount(dest);
                    if (source === undefined || destAccount === undefined) {
                        // Cannot tell whether the destination is in another account: no false violation.
                        undecidable = true;
                        return false;
                    }
                    return destAccount !== source;
                });
            });
            if (!ok && undecidable) {
                findings.push({ undecided: true, urn: plan.urn, message: `whether backup plan "${plan.name}" copies AI backups to a logically air-gapped vault or another account: a copy destination or account is not known yet` });
            } else if (!ok) {
                findings.push({ urn: plan.urn, message: `backup plan "${plan.name}" backs up AI data but no rule copies to a logically air-gapped vault or a vault in another account` });
            }
        }
        return findings;
    },
});
