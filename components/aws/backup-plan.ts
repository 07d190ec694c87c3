/**
 * Pure helpers of {@link OfflineBackups}: argument checks, the resolved retention schedule, and
 * the policy documents (exported so that tests and the policy pack can reason about them).
 */

import { type AssetTags, assetTagsProblem } from "./tags";

/** How the primary vault is locked. */
export const VaultLockModes = {
    /** Nobody, including the account root and AWS, can shorten retention or remove the lock once the grace period ends. */
    compliance: "compliance",
    /** Principals with `backup:DeleteBackupVaultLockConfiguration` can remove the lock: a relaxation. */
    governance: "governance",
} as const;
export type VaultLockMode = (typeof VaultLockModes)[keyof typeof VaultLockModes];

/** The subset of arguments the pure helpers need. */
export interface BackupScheduleInput {
    /** The buckets to back up, when given up front (else selected later, see {@link backupSelectionProblem}). */
    readonly bucketArns?: readonly unknown[];
    readonly airGappedVault?: { readonly minRetentionDays?: number; readonly maxRetentionDays?: number };
    readonly crossAccountVaultArn?: string;
    readonly minRetentionDays?: number;
    readonly maxRetentionDays?: number;
    readonly lockMode?: VaultLockMode;
    readonly lockChangeableForDays?: number;
    readonly dailyRetentionDays?: number;
    readonly weeklyRetentionDays?: number;
    readonly copyRetentionDays?: number;
    readonly dailySchedule?: string;
    readonly weeklySchedule?: string;
}

/** One resolved backup rule. */
export interface ResolvedRule {
    readonly ruleName: "daily" | "weekly";
    readonly schedule: string;
    readonly deleteAfter: number;
    readonly copyDeleteAfter: number;
}

/** Everything the component needs, with defaults applied. */
export interface ResolvedSchedule {
    readonly minRetentionDays: number;
    readonly maxRetentionDays: number;
    readonly lockMode: VaultLockMode;
    readonly changeableForDays: number | undefined;
    readonly airGapped: { readonly minRetentionDays: number; readonly maxRetentionDays: number } | undefined;
    readonly rules: readonly ResolvedRule[];
}

export const DEFAULT_MIN_RETENTION_DAYS = 35;
export const DEFAULT_MAX_RETENTION_DAYS = 365;
export const DEFAULT_WEEKLY_RETENTION_DAYS = 90;
export const DEFAULT_LOCK_CHANGEABLE_FOR_DAYS = 3;
/** Daily at 05:00 UTC. */
export const DEFAULT_DAILY_SCHEDULE = "cron(0 5 * * ? *)";
/** Sundays at 05:00 UTC. */
export const DEFAULT_WEEKLY_SCHEDULE = "cron(0 5 ? * SUN *)";
/** AWS Backup's lower bound for a vault lock's minimum retention. */
export const LOWEST_MIN_RETENTION_DAYS = 7;
/** AWS Backup's upper bound for retention (100 years). */
export const HIGHEST_RETENTION_DAYS = 36500;
/** AWS Backup's lower bound for a compliance-mode grace period. */
export const LOWEST_CHANGEABLE_FOR_DAYS = 3;

const BUCKET_ARN = /^arn:aws(-[a-z]+)*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const SCHEDULE = /^cron\([^()]+\)$/;
const VAULT_ARN = /^arn:aws(-[a-z]+)*:backup:[a-z0-9-]+:(\d{12}):backup-vault:[A-Za-z0-9_-]{2,50}$/;

function isInt(n: unknown): n is number {
    return typeof n === "number" && Number.isInteger(n);
}

/** Checks a retention window; returns the problem or `undefined`. `what` names the fields. */
function windowProblem(what: string, min: number, max: number): string | undefined {
    if (!isInt(min) || !isInt(max)) {
        return `${what}: minRetentionDays and maxRetentionDays must be whole numbers of days; got ${min} and ${max}`;
    }
    if (min < LOWEST_MIN_RETENTION_DAYS) {
        return `${what}: minRetentionDays must be at least ${LOWEST_MIN_RETENTION_DAYS} (AWS Backup's lowest lock); got ${min}. The default is ${DEFAULT_MIN_RETENTION_DAYS}`;
    }
    if (max > HIGHEST_RETENTION_DAYS) {
        return `${what}: maxRetentionDays must be at most ${HIGHEST_RETENTION_DAYS}; got ${max}`;
    }
    if (min > max) {
        return `${what}: minRetentionDays (${min}) is greater than maxRetentionDays (${max}); raise maxRetentionDays or lower minRetentionDays`;
    }
    return undefined;
}

/** The arguments {@link offlineBackupsArgsProblem} looks at: the schedule, the inventory tags and the notifications. */
export interface OfflineBackupsArgsInput extends BackupScheduleInput {
    readonly assetTags: AssetTags;
    readonly notifications?: { readonly events?: readonly string[] };
}

/**
 * The first problem with the component's arguments, or `undefined` when they are consistent:
 * inventory tags, then the schedule ({@link backupScheduleProblem}), then the notifications.
 */
export function offlineBackupsArgsProblem(args: OfflineBackupsArgsInput): string | undefined {
    const problem = assetTagsProblem(args.assetTags) ?? backupScheduleProblem(args);
    if (problem !== undefined) return problem;
    if (args.notifications?.events !== undefined && args.notifications.events.length === 0) {
        return "notifications.events is empty: list the vault events to send, or omit it for the defaults";
    }
    return undefined;
}

/**
 * The first problem with the schedule, or `undefined` when it is consistent. Plain-string
 * bucket ARNs are checked for shape; computed ones (outputs) cannot be checked before deployment.
 */
export function backupScheduleProblem(args: BackupScheduleInput): string | undefined {
    if (args.airGappedVault !== undefined && args.crossAccountVaultArn !== undefined) {
        return "set either airGappedVault (a logically air-gapped vault in this account) or crossAccountVaultArn (a vault in another account), not both: copies go to exactly one offline destination";
    }
    if (args.airGappedVault === undefined && args.crossAccountVaultArn === undefined) {
        return "offline backups need an isolated copy destination (DP-3): set airGappedVault: {} for a logically air-gapped vault in this account, or crossAccountVaultArn to the ARN of a vault in a separate recovery account";
    }
    if (args.crossAccountVaultArn !== undefined && !VAULT_ARN.test(args.crossAccountVaultArn)) {
        return `crossAccountVaultArn must be a backup vault ARN such as arn:aws:backup:eu-west-2:210987654321:backup-vault:recovery; got ${JSON.stringify(args.crossAccountVaultArn)}`;
    }
    if (args.bucketArns !== undefined) {
        const selectionProblem = backupSelectionProblem(args.bucketArns);
        if (selectionProblem !== undefined) return selectionProblem;
    }
    const mode = args.lockMode ?? VaultLockModes.compliance;
    if (mode !== VaultLockModes.compliance && mode !== VaultLockModes.governance) {
        return `lockMode must be "compliance" or "governance"; got ${JSON.stringify(mode)}`;
    }
    if (mode === VaultLockModes.governance && args.lockChangeableForDays !== undefined) {
        return 'lockChangeableForDays only applies to a compliance-mode lock; remove it or use lockMode "compliance"';
    }
    if (args.lockChangeableForDays !== undefined && (!isInt(args.lockChangeableForDays) || args.lockChangeableForDays < LOWEST_CHANGEABLE_FOR_DAYS)) {
        return `lockChangeableForDays must be a whole number of days, at least ${LOWEST_CHANGEABLE_FOR_DAYS} (AWS Backup's grace period); got ${args.lockChangeableForDays}`;
    }
    const min = args.minRetentionDays ?? DEFAULT_MIN_RETENTION_DAYS;
    const max = args.maxRetentionDays ?? DEFAULT_MAX_RETENTION_DAYS;
    const primary = windowProblem("backup vault lock", min, max);
    if (primary) return primary;
    if (args.airGappedVault) {
        const gap = windowProblem("airGappedVault", args.airGappedVault.minRetentionDays ?? min, args.airGappedVault.maxRetentionDays ?? max);
        if (gap) return gap;
    }
    for (const [field, value] of [["dailySchedule", args.dailySchedule], ["weeklySchedule", args.weeklySchedule]] as const) {
        if (value !== undefined && !SCHEDULE.test(value)) {
            return `${field} must be an AWS Backup schedule expression such as "cron(0 5 * * ? *)"; got ${JSON.stringify(value)}`;
        }
    }
    const s = resolveUnchecked(args);
    for (const rule of s.rules) {
        const field = `${rule.ruleName}RetentionDays`;
        if (!isInt(rule.deleteAfter) || rule.deleteAfter < min || rule.deleteAfter > max) {
            return `${field} (${rule.deleteAfter}) must be a whole number within the vault lock's retention window ${min}-${max} days, or AWS Backup fails the jobs`;
        }
        const copyWindow = s.airGapped;
        if (!isInt(rule.copyDeleteAfter) || rule.copyDeleteAfter < min) {
            return `copyRetentionDays (${rule.copyDeleteAfter}) for the ${rule.ruleName} copies must be a whole number of at least minRetentionDays (${min}): offline copies must outlive the incident they protect against`;
        }
        if (copyWindow && (rule.copyDeleteAfter < copyWindow.minRetentionDays || rule.copyDeleteAfter > copyWindow.maxRetentionDays)) {
            return `copyRetentionDays (${rule.copyDeleteAfter}) for the ${rule.ruleName} copies must be within the air-gapped vault's retention window ${copyWindow.minRetentionDays}-${copyWindow.maxRetentionDays} days`;
        }
    }
    return undefined;
}

function resolveUnchecked(args: BackupScheduleInput): ResolvedSchedule {
    const min = args.minRetentionDays ?? DEFAULT_MIN_RETENTION_DAYS;
    const max = args.maxRetentionDays ?? DEFAULT_MAX_RETENTION_DAYS;
    const lockMode = args.lockMode ?? VaultLockModes.compliance;
    const daily = args.dailyRetentionDays ?? min;
    const weekly = args.weeklyRetentionDays ?? Math.min(max, Math.max(min, DEFAULT_WEEKLY_RETENTION_DAYS));
    const airGapped = args.airGappedVault
        ? { minRetentionDays: args.airGappedVault.minRetentionDays ?? min, maxRetentionDays: args.airGappedVault.maxRetentionDays ?? max }
        : undefined;
    return {
        minRetentionDays: min,
        maxRetentionDays: max,
        lockMode,
        changeableForDays: lockMode === VaultLockModes.compliance ? (args.lockChangeableForDays ?? DEFAULT_LOCK_CHANGEABLE_FOR_DAYS) : undefined,
        airGapped,
        rules: [
            { ruleName: "daily", schedule: args.dailySchedule ?? DEFAULT_DAILY_SCHEDULE, deleteAfter: daily, copyDeleteAfter: args.copyRetentionDays ?? daily },
            { ruleName: "weekly", schedule: args.weeklySchedule ?? DEFAULT_WEEKLY_SCHEDULE, deleteAfter: weekly, copyDeleteAfter: args.copyRetentionDays ?? weekly },
        ],
    };
}

/** Applies defaults; throws an `Error` with the problem when the arguments are inconsistent. */
export function resolveBackupSchedule(args: BackupScheduleInput): ResolvedSchedule {
    const problem = backupScheduleProblem(args);
    if (problem) throw new Error(problem);
    return resolveUnchecked(args);
}

/** Actions the vault access policy denies to every principal (recovery points cannot be removed or shortened). */
export const IMMUTABLE_VAULT_DENIED_ACTIONS = [
    "backup:DeleteRecoveryPoint",
    "backup:UpdateRecoveryPointLifecycle",
    "backup:PutBackupVaultAccessPolicy",
    "backup:DeleteBackupVaultAccessPolicy",
] as const;

/** The vault access policy: denies tampering with recovery points, and with this policy itself, to everyone. */
export function immutableVaultPolicy(): Record<string, unknown> {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyRecoveryPointTampering",
                Effect: "Deny",
                Principal: "*",
                Action: [...IMMUTABLE_VAULT_DENIED_ACTIONS],
                Resource: "*",
            },
        ],
    };
}

/** Trust policy of the AWS Backup role: only backup.amazonaws.com acting for this account. */
export function backupTrustPolicy(accountId: string): Record<string, unknown> {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AwsBackupForThisAccount",
                Effect: "Allow",
                Principal: { Service: "backup.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
            },
        ],
    };
}

/**
 * AWS managed policies for the AWS Backup role: scoped service-role policies for backing up and
 * restoring (the S3 ones are separate from the generic ones). None grants administrative access.
 */
export function backupManagedPolicyArns(partition: string): Record<"backup" | "restore" | "s3Backup" | "s3Restore", string> {
    return {
        backup: `arn:${partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup`,
        restore: `arn:${partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores`,
        s3Backup: `arn:${partition}:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup`,
        s3Restore: `arn:${partition}:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore`,
    };
}

/** Vault events sent to the notification topic by default (the currently supported ones that need attention). */
export const DEFAULT_BACKUP_VAULT_EVENTS = [
    "BACKUP_JOB_COMPLETED",
    "COPY_JOB_FAILED",
    "S3_BACKUP_OBJECT_FAILED",
    "RESTORE_JOB_STARTED",
    "RECOVERY_POINT_MODIFIED",
] as const;

/** The first problem with the buckets to back up, or `undefined`. Plain-string ARNs are checked for shape; computed ones cannot be. */
export function backupSelectionProblem(bucketArns: readonly unknown[]): string | undefined {
    if (!Array.isArray(bucketArns) || bucketArns.length === 0) {
        return "bucketArns must list the model and dataset bucket ARNs to back up (at least one): a plan that selects nothing protects nothing";
    }
    for (const arn of bucketArns) {
        if (typeof arn === "string" && !BUCKET_ARN.test(arn)) {
            return `bucketArns entries must be S3 bucket ARNs such as arn:aws:s3:::models-bucket (no key or wildcard); got ${JSON.stringify(arn)}`;
        }
    }
    return undefined;
}
