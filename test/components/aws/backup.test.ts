import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import {
    OfflineBackups,
    type OfflineBackupsArgs,
    offlineBackupsArgsProblem,
    resolveBackupSchedule,
} from "../../../components/aws/backup";
import { MOCK_ACCOUNT_ID, policyDoc, record, type Recorded } from "../../harness";

const T = {
    component: "aiguard:aws:OfflineBackups",
    encryptionKey: "aiguard:aws:EncryptionKey",
    kmsKey: "aws:kms/key:Key",
    vault: "aws:backup/vault:Vault",
    lock: "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
    vaultPolicy: "aws:backup/vaultPolicy:VaultPolicy",
    airGapped: "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault",
    plan: "aws:backup/plan:Plan",
    selection: "aws:backup/selection:Selection",
    notifications: "aws:backup/vaultNotifications:VaultNotifications",
    role: "aws:iam/role:Role",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
} as const;

const ADMIN = "arn:aws:iam::123456789012:role/platform-admin";
const MODELS = "arn:aws:s3:::acme-models";
const DATASETS = "arn:aws:s3:::acme-datasets";
const REMOTE_VAULT = "arn:aws:backup:eu-west-2:210987654321:backup-vault:recovery";
const TAGS = { "aiguard:owner": "ml-platform@example.com", "aiguard:data-classification": "confidential", "aiguard:asset-kind": "backup" };

function base(over: Partial<OfflineBackupsArgs> = {}): OfflineBackupsArgs {
    return {
        assetTags: { owner: "ml-platform@example.com", dataClassification: "confidential" },
        keyAdministratorArns: [ADMIN],
        bucketArns: [MODELS, DATASETS],
        airGappedVault: {},
        ...over,
    };
}

async function build(args: OfflineBackupsArgs): Promise<Recorded<Record<string, pulumi.Output<unknown> | undefined>>> {
    return record(() => {
        const b = new OfflineBackups("bk", args);
        return { planId: b.planId, selectionId: b.selectionId, vaultArn: b.vaultArn, air: b.airGappedVaultArn, dest: b.copyDestinationVaultArn };
    });
}

/**
 * The error the component throws for `args`. The program catches it itself so that the run still
 * waits for the registrations already in flight (a rethrown error would leave them to the next run).
 */
async function rejection(args: OfflineBackupsArgs): Promise<Error> {
    const run = await record(() => {
        try {
            new OfflineBackups("bk", args);
        } catch (err) {
            return { err: err as Error };
        }
        return { err: undefined };
    });
    if (!run.result.err) throw new Error("expected the component to reject its arguments");
    return run.result.err;
}

function value<T>(o: pulumi.Output<T> | undefined): Promise<T | undefined> {
    return o === undefined ? Promise.resolve(undefined) : new Promise((r) => o.apply((v) => r(v)));
}

describe("OfflineBackups selecting the buckets after the stores exist", () => {
    it("selects exactly the buckets named later, once", async () => {
        const run = await record(() => {
            const b = new OfflineBackups("bk", base({ bucketArns: undefined }));
            const before = b.selection;
            b.backUpBuckets([MODELS, DATASETS]);
            let again = "";
            try {
                b.backUpBuckets([MODELS]);
            } catch (err) {
                again = (err as Error).message;
            }
            return { before, again, selectionId: b.selectionId };
        });
        expect(run.result.before).toBeUndefined();
        expect(run.result.again).toContain("already selected");
        expect(run.ofType(T.selection)).toHaveLength(1);
        expect(run.inputs(T.selection, "bk-selection").resources).toEqual([MODELS, DATASETS]);
        expect(await value(run.result.selectionId)).toBe("bk-selection-id");
    });
});

describe("OfflineBackups defaults", () => {
    it("creates exactly the hardened children, all parented to the component", async () => {
        const run = await build(base());
        const comp = run.get(T.component, "bk");
        const key = run.get(T.encryptionKey, "bk-key");
        expect(run.childrenOf(comp.urn).map((r) => `${r.type} ${r.name}`).sort()).toEqual([
            `${T.encryptionKey} bk-key`,
            `${T.airGapped} bk-air-gapped`,
            `${T.plan} bk-plan`,
            `${T.selection} bk-selection`,
            `${T.vault} bk-vault`,
            `${T.lock} bk-lock`,
            `${T.vaultPolicy} bk-vault-policy`,
            `${T.role} bk-role`,
            `${T.attachment} bk-role-backup`,
            `${T.attachment} bk-role-restore`,
            `${T.attachment} bk-role-s3Backup`,
            `${T.attachment} bk-role-s3Restore`,
        ].sort());
        expect(run.childrenOf(key.urn).map((r) => r.type)).toEqual([T.kmsKey]);
        for (const r of run.resources) {
            if (r.urn !== comp.urn && r.urn !== key.urn) expect([comp.urn, key.urn]).toContain(r.parent);
        }
        expect(run.resources).toHaveLength(14);
    });

    it("encrypts the vault with its own rotated key that admits AWS Backup only for this account", async () => {
        const run = await build(base());
        const keyInputs = run.inputs(T.kmsKey, "bk-key-key");
        expect(keyInputs.enableKeyRotation).toBe(true);
        expect(keyInputs.deletionWindowInDays).toBe(30);
        const doc = policyDoc(keyInputs.policy);
        const svc = doc.Statement.find((s) => s.Sid === "ServiceUse0");
        expect(svc.Principal).toEqual({ Service: "backup.amazonaws.com" });
        expect(svc.Condition).toEqual({ StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } });
        expect(svc.Action).toEqual(["kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"]);
        const use = doc.Statement.find((s) => s.Sid === "KeyUse");
        expect(use.Principal).toEqual({ AWS: [`arn:aws:iam::${MOCK_ACCOUNT_ID}:role/bk-role-0a1b2c3`] });
        expect(doc.Statement.find((s) => s.Sid === "KeyAdministration").Principal).toEqual({ AWS: [ADMIN] });
        const vault = run.inputs(T.vault, "bk-vault");
        expect(vault).toEqual({ kmsKeyArn: `arn:aws:kms:eu-west-2:${MOCK_ACCOUNT_ID}:key/bk-key-key-key-id`, forceDestroy: false, tags: TAGS });
    });

    it("locks the vault in compliance mode, 35-365 days, 3-day grace", async () => {
        const run = await build(base());
        expect(run.inputs(T.lock, "bk-lock")).toEqual({ backupVaultName: "bk-vault-0a1b2c3", minRetentionDays: 35, maxRetentionDays: 365, changeableForDays: 3 });
    });

    it("denies deleting or shortening recovery points, and changing the policy, to everyone", async () => {
        const run = await build(base());
        const p = run.inputs(T.vaultPolicy, "bk-vault-policy");
        expect(p.backupVaultName).toBe("bk-vault-0a1b2c3");
        expect(policyDoc(p.policy).Statement).toEqual([{
            Sid: "DenyRecoveryPointTampering",
            Effect: "Deny",
            Principal: "*",
            Action: ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle", "backup:PutBackupVaultAccessPolicy", "backup:DeleteBackupVaultAccessPolicy"],
            Resource: "*",
        }]);
    });

    it("creates an air-gapped vault with the lock window and the AWS-owned key, and copies every rule there", async () => {
        const run = await build(base());
        expect(run.inputs(T.airGapped, "bk-air-gapped")).toEqual({ minRetentionDays: 35, maxRetentionDays: 365, tags: TAGS });
        const air = `arn:aws:backup:eu-west-2:${MOCK_ACCOUNT_ID}:backup-vault:bk-air-gapped-0a1b2c3`;
        expect(await value(run.result.air)).toBe(air);
        expect(await value(run.result.dest)).toBe(air);
        const plan = run.inputs(T.plan, "bk-plan");
        expect(plan.tags).toEqual(TAGS);
        expect(plan.rules).toEqual([
            {
                ruleName: "daily", targetVaultName: "bk-vault-0a1b2c3", schedule: "cron(0 5 * * ? *)", startWindow: 60, completionWindow: 1440,
                lifecycle: { deleteAfter: 35 }, recoveryPointTags: TAGS,
                copyActions: [{ destinationVaultArn: air, lifecycle: { deleteAfter: 35 } }],
            },
            {
                ruleName: "weekly", targetVaultName: "bk-vault-0a1b2c3", schedule: "cron(0 5 ? * SUN *)", startWindow: 60, completionWindow: 1440,
                lifecycle: { deleteAfter: 90 }, recoveryPointTags: TAGS,
                copyActions: [{ destinationVaultArn: air, lifecycle: { deleteAfter: 90 } }],
            },
        ]);
        expect(run.get(T.plan, "bk-plan").dependencies).toContain(run.get(T.vaultPolicy, "bk-vault-policy").urn);
    });

    it("selects exactly the caller's buckets with a confused-deputy-safe AWS Backup role", async () => {
        const run = await build(base());
        expect(run.inputs(T.selection, "bk-selection")).toEqual({
            planId: "bk-plan-plan-id",
            iamRoleArn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/bk-role-0a1b2c3`,
            resources: [MODELS, DATASETS],
        });
        expect(await value(run.result.selectionId)).toBe("bk-selection-id");
        const role = run.inputs(T.role, "bk-role");
        expect(role.tags["aiguard:asset-kind"]).toBe("role");
        expect(policyDoc(role.assumeRolePolicy).Statement).toEqual([{
            Sid: "AwsBackupForThisAccount",
            Effect: "Allow",
            Principal: { Service: "backup.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } },
        }]);
        const attached = run.ofType(T.attachment).map((a) => [a.inputs.role, a.inputs.policyArn]);
        expect(attached).toEqual([
            ["bk-role-0a1b2c3", "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"],
            ["bk-role-0a1b2c3", "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"],
            ["bk-role-0a1b2c3", "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup"],
            ["bk-role-0a1b2c3", "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore"],
        ]);
        const sel = run.get(T.selection, "bk-selection");
        for (const a of run.ofType(T.attachment)) expect(sel.dependencies).toContain(a.urn);
        expect(attached.some(([, arn]) => /AdministratorAccess|FullAccess/.test(String(arn)))).toBe(false);
    });
});

describe("OfflineBackups options", () => {
    it("copies to a vault in another account instead of creating an air-gapped vault", async () => {
        const run = await build(base({ airGappedVault: undefined, crossAccountVaultArn: REMOTE_VAULT }));
        expect(run.ofType(T.airGapped)).toEqual([]);
        expect(run.inputs(T.plan, "bk-plan").rules.map((r: any) => r.copyActions)).toEqual([
            [{ destinationVaultArn: REMOTE_VAULT, lifecycle: { deleteAfter: 35 } }],
            [{ destinationVaultArn: REMOTE_VAULT, lifecycle: { deleteAfter: 90 } }],
        ]);
        expect(await value(run.result.air)).toBeUndefined();
        expect(await value(run.result.dest)).toBe(REMOTE_VAULT);
    });

    it("applies custom retention, schedules, copy retention and an air-gapped key", async () => {
        const airKey = "arn:aws:kms:eu-west-2:210987654321:key/recovery";
        const run = await build(base({
            minRetentionDays: 30, maxRetentionDays: 730, lockChangeableForDays: 7,
            dailySchedule: "cron(0 1 * * ? *)", dailyRetentionDays: 40,
            weeklySchedule: "cron(0 2 ? * SAT *)", weeklyRetentionDays: 400,
            copyRetentionDays: 500,
            airGappedVault: { minRetentionDays: 60, maxRetentionDays: 900, encryptionKeyArn: airKey },
        }));
        expect(run.inputs(T.lock, "bk-lock")).toMatchObject({ minRetentionDays: 30, maxRetentionDays: 730, changeableForDays: 7 });
        expect(run.inputs(T.airGapped, "bk-air-gapped")).toMatchObject({ minRetentionDays: 60, maxRetentionDays: 900, encryptionKeyArn: airKey });
        const rules = run.inputs(T.plan, "bk-plan").rules;
        expect(rules.map((r: any) => [r.schedule, r.lifecycle.deleteAfter, r.copyActions[0].lifecycle.deleteAfter])).toEqual([
            ["cron(0 1 * * ? *)", 40, 500],
            ["cron(0 2 ? * SAT *)", 400, 500],
        ]);
    });

    it("governance mode is an explicit relaxation: no grace period, so the lock stays removable", async () => {
        const run = await build(base({ lockMode: "governance" }));
        const lock = run.inputs(T.lock, "bk-lock");
        expect(lock.changeableForDays).toBeUndefined();
        expect(lock).toMatchObject({ minRetentionDays: 35, maxRetentionDays: 365 });
    });

    it("sends vault events to the caller's topic, with defaults or a chosen list", async () => {
        const topic = "arn:aws:sns:eu-west-2:123456789012:backup-events";
        const run = await build(base({ notifications: { topicArn: topic } }));
        expect(run.inputs(T.notifications, "bk-notifications")).toEqual({
            backupVaultName: "bk-vault-0a1b2c3",
            snsTopicArn: topic,
            backupVaultEvents: ["BACKUP_JOB_COMPLETED", "COPY_JOB_FAILED", "S3_BACKUP_OBJECT_FAILED", "RESTORE_JOB_STARTED", "RECOVERY_POINT_MODIFIED"],
        });
        expect(run.get(T.notifications, "bk-notifications").parent).toBe(run.get(T.component, "bk").urn);
        const custom = await build(base({ notifications: { topicArn: topic, events: ["COPY_JOB_FAILED"] } }));
        expect(custom.inputs(T.notifications, "bk-notifications").backupVaultEvents).toEqual(["COPY_JOB_FAILED"]);
    });

    it("the weekly default is clamped into the lock window", () => {
        expect(resolveBackupSchedule(base({ minRetentionDays: 120, maxRetentionDays: 400 })).rules.map((r) => r.deleteAfter)).toEqual([120, 120]);
        expect(resolveBackupSchedule(base({ minRetentionDays: 7, maxRetentionDays: 60 })).rules.map((r) => r.deleteAfter)).toEqual([7, 60]);
    });
});

describe("OfflineBackups rejects contradictory or unsafe arguments", () => {
    const cases: [string, Partial<OfflineBackupsArgs>, string][] = [
        ["both copy destinations", { crossAccountVaultArn: REMOTE_VAULT }, "set either airGappedVault (a logically air-gapped vault in this account) or crossAccountVaultArn (a vault in another account), not both"],
        ["no copy destination", { airGappedVault: undefined }, "offline backups need an isolated copy destination (DP-3): set airGappedVault: {} for a logically air-gapped vault in this account, or crossAccountVaultArn"],
        ["a malformed remote vault", { airGappedVault: undefined, crossAccountVaultArn: "arn:aws:s3:::recovery" }, "crossAccountVaultArn must be a backup vault ARN"],
        ["no buckets", { bucketArns: [] }, "bucketArns must list the model and dataset bucket ARNs to back up (at least one)"],
        ["an object ARN", { bucketArns: ["arn:aws:s3:::acme-models/*"] }, 'bucketArns entries must be S3 bucket ARNs such as arn:aws:s3:::models-bucket (no key or wildcard); got "arn:aws:s3:::acme-models/*"'],
        ["min > max", { minRetentionDays: 400, maxRetentionDays: 365 }, "backup vault lock: minRetentionDays (400) is greater than maxRetentionDays (365)"],
        ["min < 7", { minRetentionDays: 6 }, "backup vault lock: minRetentionDays must be at least 7 (AWS Backup's lowest lock); got 6"],
        ["air-gapped min > max", { airGappedVault: { minRetentionDays: 100, maxRetentionDays: 50 } }, "airGappedVault: minRetentionDays (100) is greater than maxRetentionDays (50)"],
        ["air-gapped min < 7", { airGappedVault: { minRetentionDays: 1 } }, "airGappedVault: minRetentionDays must be at least 7"],
        ["governance with a grace period", { lockMode: "governance", lockChangeableForDays: 5 }, 'lockChangeableForDays only applies to a compliance-mode lock; remove it or use lockMode "compliance"'],
        ["a grace period under 3 days", { lockChangeableForDays: 2 }, "lockChangeableForDays must be a whole number of days, at least 3"],
        ["an unknown lock mode", { lockMode: "none" as any }, 'lockMode must be "compliance" or "governance"; got "none"'],
        ["daily retention under the lock minimum", { dailyRetentionDays: 10 }, "dailyRetentionDays (10) must be a whole number within the vault lock's retention window 35-365 days"],
        ["weekly retention over the lock maximum", { weeklyRetentionDays: 400 }, "weeklyRetentionDays (400) must be a whole number within the vault lock's retention window 35-365 days"],
        ["copies shorter than the minimum", { airGappedVault: undefined, crossAccountVaultArn: REMOTE_VAULT, copyRetentionDays: 14 }, "copyRetentionDays (14) for the daily copies must be a whole number of at least minRetentionDays (35)"],
        ["copies outside the air-gapped window", { airGappedVault: { maxRetentionDays: 60 } }, "copyRetentionDays (90) for the weekly copies must be within the air-gapped vault's retention window 35-60 days"],
        ["a non-cron schedule", { dailySchedule: "every day" }, 'dailySchedule must be an AWS Backup schedule expression such as "cron(0 5 * * ? *)"; got "every day"'],
    ];
    it.each(cases)("rejects %s", async (_label, over, message) => {
        expect(offlineBackupsArgsProblem(base(over))).toContain(message);
        const err = await rejection(base(over));
        expect(err).toBeInstanceOf(pulumi.ResourceError);
        expect(err.message).toContain(message);
    });

    it("rejects an empty notification event list and missing key administrators", async () => {
        expect((await rejection(base({ notifications: { topicArn: "arn:aws:sns:eu-west-2:123456789012:t", events: [] } }))).message).toContain("notifications.events is empty");
        expect((await rejection(base({ keyAdministratorArns: [] }))).message).toContain("administratorArns must name at least one key administrator");
    });

    it("rejects missing inventory tags", async () => {
        const err = await rejection(base({ assetTags: { owner: "", dataClassification: "internal" } }));
        expect(err.message).toContain("assetTags.owner is required");
    });
});
