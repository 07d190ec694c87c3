/**
 * Whether a KMS key property names a customer-managed key, at a first preview as at update.
 *
 * A known value is judged as the other KMS rules judge it (`isKnownMissingKey`): absent, blank or an
 * AWS-managed alias (`alias/aws/*`) is not a customer-managed key; any other key ID, ARN or alias is.
 * An unknown value (a key created in the same update) is a customer-managed key when the engine's
 * `propertyDependencies` say it came from an `aws.kms.Key` (or replica, external key or alias) of
 * the stack: aliases a program creates cannot be AWS-managed (`alias/aws/` is reserved). An unknown
 * that came from anywhere else (a lookup such as `aws.kms.getAlias`) is undecided, never a pass.
 */
import * as aws from "@pulumi/aws";
import { typeToken, type Finding, type RuleResource } from "../../../framework/rule";
import { ReferenceIndex } from "../../../framework/references";
import { byType, isAwsManagedKey, isKnownMissing, knownString } from "../../../framework/values";
import { UNKNOWN } from "../../../framework/rule";

/** The resource types whose ARN or ID is a customer-managed key. */
export const CUSTOMER_KEY_TYPES: readonly string[] = [aws.kms.Key, aws.kms.ReplicaKey, aws.kms.ExternalKey, aws.kms.ReplicaExternalKey, aws.kms.Alias].map(typeToken);

export type KeyVerdict = "customer-managed" | "missing" | "aws-managed" | "undecided";

const indexes = new WeakMap<readonly RuleResource[], ReferenceIndex>();

function keyIndex(resources: readonly RuleResource[]): ReferenceIndex {
    let index = indexes.get(resources);
    if (!index) {
        const types = byType(resources);
        index = new ReferenceIndex(CUSTOMER_KEY_TYPES.flatMap((t) => types.get(t) ?? []), ["arn", "keyId", "id", "name", "targetKeyArn"]);
        if (Object.isFrozen(resources)) indexes.set(resources, index);
    }
    return index;
}

/**
 * Judges the key `value` that `r` gives in its property `prop`: the property itself, or a nested
 * part of it (`encryptAtRest.kmsKeyId` with `prop` "encryptAtRest"), since the engine records
 * dependencies per top-level property.
 */
export function judgeCustomerKey(resources: readonly RuleResource[], r: RuleResource, prop: string, value: unknown): KeyVerdict {
    const s = knownString(value);
    if (s !== UNKNOWN && value !== UNKNOWN) {
        if (isKnownMissing(value)) return "missing";
        return isAwsManagedKey(value) ? "aws-managed" : "customer-managed";
    }
    const { targets } = keyIndex(resources).resolve(r, prop, value);
    return targets.length > 0 ? "customer-managed" : "undecided";
}

/**
 * The finding for a key property that does not name a customer-managed key (none when it does).
 * `field` is the property path as the user writes it; `fallback` says what encrypts the data instead.
 */
export function keyFinding(verdict: KeyVerdict, what: string, field: string, fallback: string): Finding[] {
    switch (verdict) {
        case "customer-managed":
            return [];
        case "missing":
            return [{ message: `${what}: ${field} is not set, so ${fallback} encrypts it instead of a customer-managed key` }];
        case "aws-managed":
            return [{ message: `${what}: ${field} names an AWS-managed key (alias/aws/...), not a customer-managed key` }];
        case "undecided":
            return [{ undecided: true, message: `${what}: ${field} is unknown at preview and does not come from a KMS key of this stack (e.g. a lookup), so whether it is customer-managed is decided at update` }];
    }
}

/** Requires a known boolean flag to be true; unknown is undecided. `absent` says what an unset flag means. */
export function requireTrue(value: unknown, what: string, field: string, absent: string): Finding[] {
    if (value === true) return [];
    if (value === UNKNOWN) return [{ undecided: true, message: `${what}: ${field} is unknown at preview; decided at update` }];
    return [{ message: `${what}: ${field} is ${value === undefined || value === null ? `not set (${absent})` : JSON.stringify(value)}` }];
}
