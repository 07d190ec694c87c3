/**
 * A customer-managed KMS key for AI assets (DV-2 / P5, P13 crypto-shredding).
 *
 * Secure defaults: automatic rotation on, 30-day deletion window, and a key policy that names every
 * principal: administrators may manage but not use the key, users may use but not manage it, and
 * each AWS service principal is admitted only under the conditions the caller states (confused
 * deputy protection). There is deliberately no "Enable IAM User Permissions" statement for the
 * account root: IAM policies alone cannot grant use of the key.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AssetKinds, assetTags, type AssetTags, assetTagsProblem } from "./tags";

/** A service principal admitted to the key, always under conditions. */
export interface ServiceKeyAccess {
    /** Service principal, e.g. `logs.eu-west-2.amazonaws.com` or `cloudtrail.amazonaws.com`. */
    readonly service: pulumi.Input<string>;
    /** KMS actions the service needs, e.g. `["kms:GenerateDataKey*", "kms:Decrypt"]`. */
    readonly actions: readonly string[];
    /**
     * IAM condition block restricting the service to this account's resources (e.g.
     * `{ StringEquals: { "aws:SourceAccount": accountId } }`). Required and non-empty.
     */
    readonly conditions: Readonly<Record<string, Readonly<Record<string, pulumi.Input<string | string[]>>>>>;
}

export interface EncryptionKeyArgs {
    /** What the key protects, shown in the KMS console. */
    readonly description: string;
    /** Inventory tags. */
    readonly assetTags: AssetTags;
    /**
     * Principals (role ARNs) that administer the key. Required, at least one; they cannot use it.
     * Must include the identity that runs `pulumi up`: AWS refuses a key policy that would lock the
     * caller out of future policy updates.
     */
    readonly administratorArns: readonly pulumi.Input<string>[];
    /** Principals that may encrypt/decrypt with the key (and create grants for AWS resources). Default none. */
    readonly userArns?: readonly pulumi.Input<string>[];
    /** AWS service principals admitted under conditions. Default none. */
    readonly services?: readonly ServiceKeyAccess[];
    /** Waiting period before a scheduled deletion takes effect, 7-30 days. Default 30. */
    readonly deletionWindowInDays?: number;
    /** Alias name without the `alias/` prefix. Default: none. */
    readonly alias?: string;
}

const ADMIN_ACTIONS = [
    "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*",
    "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource",
    "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand",
];
const USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];

/** Builds the key policy document (pure; exported for tests). */
export function keyPolicy(args: Pick<EncryptionKeyArgs, "administratorArns" | "userArns" | "services">): Record<string, unknown> {
    const statements: Record<string, unknown>[] = [
        { Sid: "KeyAdministration", Effect: "Allow", Principal: { AWS: [...args.administratorArns] }, Action: ADMIN_ACTIONS, Resource: "*" },
    ];
    if (args.userArns && args.userArns.length > 0) {
        statements.push({ Sid: "KeyUse", Effect: "Allow", Principal: { AWS: [...args.userArns] }, Action: USE_ACTIONS, Resource: "*" });
        statements.push({
            Sid: "KeyGrantsForAwsResources",
            Effect: "Allow",
            Principal: { AWS: [...args.userArns] },
            Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
            Resource: "*",
            Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
        });
    }
    (args.services ?? []).forEach((s, i) => {
        statements.push({ Sid: `ServiceUse${i}`, Effect: "Allow", Principal: { Service: s.service }, Action: [...s.actions], Resource: "*", Condition: s.conditions });
    });
    return { Version: "2012-10-17", Statement: statements };
}

/** The first problem with the arguments, or `undefined`. */
export function encryptionKeyArgsProblem(args: EncryptionKeyArgs): string | undefined {
    const tagsProblem = assetTagsProblem(args.assetTags);
    if (tagsProblem !== undefined) return tagsProblem;
    if (args.administratorArns.length === 0) {
        return "administratorArns must name at least one key administrator: a key nobody can manage cannot be rotated, disabled or scheduled for deletion";
    }
    const window = args.deletionWindowInDays ?? 30;
    if (!Number.isInteger(window) || window < 7 || window > 30) {
        return `deletionWindowInDays must be an integer from 7 to 30 (AWS limits); got ${window}`;
    }
    if ((args.services ?? []).some((s) => Object.keys(s.conditions).length === 0)) {
        return "every service admitted to the key needs conditions (e.g. aws:SourceAccount) to prevent confused-deputy use";
    }
    return undefined;
}

export class EncryptionKey extends pulumi.ComponentResource {
    readonly key: aws.kms.Key;
    readonly arn: pulumi.Output<string>;
    readonly keyId: pulumi.Output<string>;
    readonly aliasName: pulumi.Output<string> | undefined;

    constructor(name: string, args: EncryptionKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aiguard:aws:EncryptionKey", name, {}, opts);
        const problem = encryptionKeyArgsProblem(args);
        if (problem !== undefined) throw new pulumi.ResourceError(problem, this);
        const window = args.deletionWindowInDays ?? 30;
        this.key = new aws.kms.Key(`${name}-key`, {
            description: args.description,
            enableKeyRotation: true,
            deletionWindowInDays: window,
            keyUsage: "ENCRYPT_DECRYPT",
            customerMasterKeySpec: "SYMMETRIC_DEFAULT",
            policy: pulumi.jsonStringify(keyPolicy(args)),
            tags: assetTags(args.assetTags, AssetKinds.encryptionKey),
        }, { parent: this });
        if (args.alias !== undefined) {
            const alias = new aws.kms.Alias(`${name}-alias`, { name: `alias/${args.alias}`, targetKeyId: this.key.keyId }, { parent: this });
            this.aliasName = alias.name;
        }
        this.arn = this.key.arn;
        this.keyId = this.key.keyId;
        this.registerOutputs({ arn: this.arn, keyId: this.keyId, aliasName: this.aliasName });
    }
}
