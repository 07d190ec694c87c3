/**
 * Offline, immutable backups of the model and dataset stores (DP-3, P5, P6).
 *
 * Secure defaults: a backup vault encrypted with its own customer key, locked in compliance mode
 * (35-365 days, 3-day grace period) and with an access policy that denies deleting recovery
 * points, shortening their lifecycle or changing that policy to everyone; daily and weekly backups
 * of exactly the buckets the caller names; every recovery point copied to an isolated destination
 * (a logically air-gapped vault in this account, or a vault in a separate recovery account).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    backupManagedPolicyArns,
    backupSelectionProblem,
    backupTrustPolicy,
    DEFAULT_BACKUP_VAULT_EVENTS,
    immutableVaultPolicy,
    offlineBackupsArgsProblem,
    resolveBackupSchedule,
    type VaultLockMode,
} from "./backup-plan";
import { EncryptionKey } from "./encryption-key";
import { AssetKinds, assetTags, type AssetTags } from "./tags";

export * from "./backup-plan";

/** A logically air-gapped vault that receives the copies. */
export interface AirGappedVaultOptions {
    /** Minimum retention of the air-gapped vault, at least 7 days. Default: the primary vault's `minRetentionDays`. */
    readonly minRetentionDays?: number;
    /** Maximum retention of the air-gapped vault. Default: the primary vault's `maxRetentionDays`. */
    readonly maxRetentionDays?: number;
    /**
     * KMS key ARN for the air-gapped vault. Default: none, so AWS Backup uses an AWS-owned key. A
     * key in this account would let whoever takes over the account crypto-shred the copies; pass a
     * key held in a separate recovery account if a customer key is required.
     */
    readonly encryptionKeyArn?: pulumi.Input<string>;
}

/** Vault event notifications. */
export interface BackupNotificationOptions {
    /** ARN of an SNS topic whose policy admits `backup.amazonaws.com` to publish. */
    readonly topicArn: pulumi.Input<string>;
    /** Vault events to send. Default {@link DEFAULT_BACKUP_VAULT_EVENTS}. */
    readonly events?: readonly string[];
}

export interface OfflineBackupsArgs {
    /** Inventory tags. */
    readonly assetTags: AssetTags;
    /** Administrators of the vault's customer key (must include the identity running `pulumi up`). Required. */
    readonly keyAdministratorArns: readonly pulumi.Input<string>[];
    /**
     * ARNs of the model and dataset buckets to back up; the selection contains exactly these.
     * Non-empty. The buckets need versioning, and their KMS keys must admit this component's
     * `roleArn` as a key user: so the stores usually come after this component, and their buckets
     * are selected with {@link OfflineBackups.backUpBuckets} once they exist (then omit this).
     */
    readonly bucketArns?: readonly pulumi.Input<string>[];
    /** Copy every recovery point to a logically air-gapped vault created here. Exactly one of this and `crossAccountVaultArn`. */
    readonly airGappedVault?: AirGappedVaultOptions;
    /**
     * Copy every recovery point to this vault in another account (whose access policy must allow
     * `backup:CopyIntoBackupVault` from this account). Exactly one of this and `airGappedVault`.
     */
    readonly crossAccountVaultArn?: string;
    /** Shortest retention the vault lock allows, at least 7 days. Default 35. */
    readonly minRetentionDays?: number;
    /** Longest retention the vault lock allows. Default 365. */
    readonly maxRetentionDays?: number;
    /** Vault lock mode. Default `"compliance"`; `"governance"` is a relaxation (the lock can be removed). */
    readonly lockMode?: VaultLockMode;
    /** Grace period before a compliance-mode lock becomes immutable, at least 3 days. Default 3. */
    readonly lockChangeableForDays?: number;
    /** Schedule of the daily rule. Default `cron(0 5 * * ? *)` (05:00 UTC). */
    readonly dailySchedule?: string;
    /** Retention of daily recovery points, within the lock window. Default `minRetentionDays`. */
    readonly dailyRetentionDays?: number;
    /** Schedule of the weekly rule. Default `cron(0 5 ? * SUN *)`. */
    readonly weeklySchedule?: string;
    /** Retention of weekly recovery points, within the lock window. Default 90 (clamped into the window). */
    readonly weeklyRetentionDays?: number;
    /** Retention of the copies. Default: the retention of the rule that made them. */
    readonly copyRetentionDays?: number;
    /** Vault event notifications. Default none. */
    readonly notifications?: BackupNotificationOptions;
}

export class OfflineBackups extends pulumi.ComponentResource {
    readonly key: EncryptionKey;
    readonly vault: aws.backup.Vault;
    readonly airGappedVault: aws.backup.LogicallyAirGappedVault | undefined;
    readonly role: aws.iam.Role;
    readonly plan: aws.backup.Plan;
    /** The backup selection, once buckets are selected (in the arguments or by {@link backUpBuckets}). */
    selection: aws.backup.Selection | undefined;

    readonly vaultName: pulumi.Output<string>;
    readonly vaultArn: pulumi.Output<string>;
    readonly airGappedVaultName: pulumi.Output<string> | undefined;
    readonly airGappedVaultArn: pulumi.Output<string> | undefined;
    /** Where copies go: the air-gapped vault or the cross-account vault. */
    readonly copyDestinationVaultArn: pulumi.Output<string>;
    readonly keyArn: pulumi.Output<string>;
    readonly roleArn: pulumi.Output<string>;
    readonly planId: pulumi.Output<string>;
    /** The selection's id, once buckets are selected. */
    selectionId: pulumi.Output<string> | undefined;

    private readonly name: string;
    private readonly roleReady: pulumi.Resource[];

    constructor(name: string, args: OfflineBackupsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aiguard:aws:OfflineBackups", name, {}, opts);
        const problem = offlineBackupsArgsProblem(args);
        if (problem !== undefined) throw new pulumi.ResourceError(problem, this);
        this.name = name;
        const plan = resolveBackupSchedule(args);
        const backupTags = assetTags(args.assetTags, AssetKinds.backup);
        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;

        this.role = new aws.iam.Role(`${name}-role`, {
            description: "AWS Backup role for the AI model and dataset stores",
            assumeRolePolicy: pulumi.jsonStringify(accountId.apply(backupTrustPolicy)),
            tags: assetTags(args.assetTags, AssetKinds.role),
        }, { parent: this });
        const policyKeys = Object.keys(backupManagedPolicyArns("aws")) as (keyof ReturnType<typeof backupManagedPolicyArns>)[];
        const attachments = policyKeys.map((k) =>
            new aws.iam.RolePolicyAttachment(`${name}-role-${k}`, {
                role: this.role.name,
                policyArn: partition.apply((p) => backupManagedPolicyArns(p)[k]),
            }, { parent: this }));

        this.key = new EncryptionKey(`${name}-key`, {
            description: "Backup vault key for AI model and dataset recovery points",
            assetTags: args.assetTags,
            administratorArns: args.keyAdministratorArns,
            userArns: [this.role.arn],
            services: [{
                service: "backup.amazonaws.com",
                actions: ["kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"],
                conditions: { StringEquals: { "aws:SourceAccount": accountId } },
            }],
        }, { parent: this });

        this.vault = new aws.backup.Vault(`${name}-vault`, {
            kmsKeyArn: this.key.arn,
            forceDestroy: false,
            tags: backupTags,
        }, { parent: this });
        new aws.backup.VaultLockConfiguration(`${name}-lock`, {
            backupVaultName: this.vault.name,
            minRetentionDays: plan.minRetentionDays,
            maxRetentionDays: plan.maxRetentionDays,
            changeableForDays: plan.changeableForDays,
        }, { parent: this });
        const vaultPolicy = new aws.backup.VaultPolicy(`${name}-vault-policy`, {
            backupVaultName: this.vault.name,
            policy: JSON.stringify(immutableVaultPolicy()),
        }, { parent: this });

        if (plan.airGapped) {
            this.airGappedVault = new aws.backup.LogicallyAirGappedVault(`${name}-air-gapped`, {
                minRetentionDays: plan.airGapped.minRetentionDays,
                maxRetentionDays: plan.airGapped.maxRetentionDays,
                encryptionKeyArn: args.airGappedVault?.encryptionKeyArn,
                tags: backupTags,
            }, { parent: this });
            this.airGappedVaultName = this.airGappedVault.name;
            this.airGappedVaultArn = this.airGappedVault.arn;
            this.copyDestinationVaultArn = this.airGappedVault.arn;
        } else {
            this.copyDestinationVaultArn = pulumi.output(args.crossAccountVaultArn!);
        }

        this.plan = new aws.backup.Plan(`${name}-plan`, {
            rules: plan.rules.map((r) => ({
                ruleName: r.ruleName,
                targetVaultName: this.vault.name,
                schedule: r.schedule,
                startWindow: 60,
                completionWindow: 1440,
                lifecycle: { deleteAfter: r.deleteAfter },
                recoveryPointTags: backupTags,
                copyActions: [{ destinationVaultArn: this.copyDestinationVaultArn, lifecycle: { deleteAfter: r.copyDeleteAfter } }],
            })),
            tags: backupTags,
        }, { parent: this, dependsOn: [vaultPolicy] });

        this.roleReady = attachments;

        if (args.notifications) {
            new aws.backup.VaultNotifications(`${name}-notifications`, {
                backupVaultName: this.vault.name,
                snsTopicArn: args.notifications.topicArn,
                backupVaultEvents: [...(args.notifications.events ?? DEFAULT_BACKUP_VAULT_EVENTS)],
            }, { parent: this });
        }

        this.vaultName = this.vault.name;
        this.vaultArn = this.vault.arn;
        this.keyArn = this.key.arn;
        this.roleArn = this.role.arn;
        this.planId = this.plan.id;
        this.registerOutputs({
            vaultName: this.vaultName,
            vaultArn: this.vaultArn,
            airGappedVaultName: this.airGappedVaultName,
            airGappedVaultArn: this.airGappedVaultArn,
            copyDestinationVaultArn: this.copyDestinationVaultArn,
            keyArn: this.keyArn,
            roleArn: this.roleArn,
            planId: this.planId,
        });
        if (args.bucketArns !== undefined) this.backUpBuckets(args.bucketArns);
    }

    /**
     * Selects the buckets the plan backs up (the selection contains exactly these). Call it once,
     * when the arguments did not name them: typically after creating the stores, whose key policies
     * admit this component's `roleArn`. A stack that never selects its AI stores fails the pack.
     */
    backUpBuckets(bucketArns: readonly pulumi.Input<string>[]): void {
        if (this.selection !== undefined) throw new pulumi.ResourceError("backUpBuckets: the buckets are already selected (in the arguments or before); select them once", this);
        const problem = backupSelectionProblem(bucketArns);
        if (problem !== undefined) throw new pulumi.ResourceError(problem, this);
        this.selection = new aws.backup.Selection(`${this.name}-selection`, {
            planId: this.plan.id,
            iamRoleArn: this.role.arn,
            resources: [...bucketArns],
        }, { parent: this, dependsOn: this.roleReady });
        this.selectionId = this.selection.id;
    }
}
