/**
 * The shape shared by the data-store rules (RDS, Redshift, ElastiCache, EFS, FSx, OpenSearch,
 * Kendra, Bedrock data sources): each judges every resource of one class in scope, typed by the
 * class's args, and most require encryption at rest under a customer-managed key.
 */
import type { Settings } from "../../../../common/settings";
import type { SettingName } from "../../../../common/settings";
import type { ArgsOf, Finding, PropsOf, ResourceClass, RuleResource } from "../../../framework/rule";
import { eachInScope } from "../ai-assets";
import { UNKNOWN } from "../../../framework/rule";
import { UNKNOWN_STRING } from "../../../framework/values";
import { judgeCustomerKey, keyFinding, requireTrue } from "../kms/customer-key";

/** The settings every data-store rule reads (scope, and the tag that recognises AI assets under `ai-assets`). */
export const STORE_SETTINGS: readonly SettingName[] = ["scope", "assetKindTagKey"];

/** `onUnknown` of the customer-managed-key rules. */
export const KEY_ON_UNKNOWN =
    "A key property unknown at preview counts as a customer-managed key when the engine's propertyDependencies show it came from an aws.kms.Key (or replica, external key or alias) of the stack; otherwise (a lookup, no dependency information) the check is reported as undecided in aiguard-undecided-at-preview and decided at update. An unknown encryption flag is undecided too. Never a silent pass.";

/** `onUnknown` of rules that read flags only. */
export const FLAGS_ON_UNKNOWN = "A deciding flag or setting unknown at preview is reported as undecided in aiguard-undecided-at-preview (decided at update), never as a pass or a violation.";

/** Runs `judge` on every resource of `cls` in scope, with props typed by the class's args. */
export function judgeEach<C extends ResourceClass>(resources: readonly RuleResource[], settings: Settings, cls: C, judge: (r: RuleResource<PropsOf<ArgsOf<C>>>) => readonly Finding[]): Finding[] {
    return eachInScope(resources, settings, [cls], (r) => judge(r as RuleResource<PropsOf<ArgsOf<C>>>));
}

/** An encryption switch that must be on: its value, the field name and what leaving it unset means. */
export interface Switch {
    readonly value: unknown;
    readonly field: string;
    readonly absent: string;
}

/** A key property: the top-level property (for the engine's dependencies), the value, how the user writes it, and what encrypts the data without it. */
export interface KeyField {
    readonly prop: string;
    readonly value?: unknown;
    readonly field: string;
    readonly fallback: string;
}

/**
 * Encryption at rest under a customer-managed key: the switch (if the store has one) must be on and
 * the key property must name a customer-managed key. A switch that is off gives one finding (the key
 * would not be used anyway); an unknown switch is undecided and the key is still judged.
 */
export function customerKeyFindings(resources: readonly RuleResource[], r: RuleResource, what: string, on: Switch | undefined, key: KeyField): Finding[] {
    const findings: Finding[] = [];
    if (on) {
        const [f] = requireTrue(on.value, what, on.field, on.absent);
        if (f && !f.undecided) return [{ message: `${f.message}: the data is stored unencrypted; set ${on.field}: true and ${key.field} to a customer-managed key` }];
        if (f) findings.push(f);
    }
    const verdict = judgeCustomerKey(resources, r, key.prop, "value" in key ? key.value : r.props[key.prop]);
    return [...findings, ...keyFinding(verdict, what, key.field, key.fallback)];
}

/** A `publiclyAccessible` flag must not be true (absent means the AWS default, false). */
export function publicFlagFindings(value: unknown, what: string, field: string): Finding[] {
    if (value === UNKNOWN) return [{ undecided: true, message: `${what}: ${field} is unknown at preview; decided at update` }];
    if (value === true || value === "true") return [{ message: `${what}: ${field} is true, so it gets a public DNS name and address reachable from the internet wherever its security groups allow` }];
    return [];
}

/** `onUnknown` of the master-password rules. */
export const PASSWORD_ON_UNKNOWN =
    "A password unknown at preview (a random.RandomPassword result, a secret lookup) or an unknown managed-password switch is reported as undecided in aiguard-undecided-at-preview and decided at update; never a silent pass.";

/**
 * A database's master password must be generated and kept by the service in Secrets Manager
 * (`managed` true), not supplied by the program. The policy SDK hands policies secrets unwrapped
 * (deserializeProperties with proxySecrets false), so a `pulumi.secret(...)` or a config secret
 * cannot be told from a literal in the source: any program-supplied password is reported.
 */
export function masterPasswordFindings(what: string, managed: { readonly field: string; readonly value: unknown }, passwords: readonly { readonly field: string; readonly value: unknown }[]): Finding[] {
    if (managed.value === true) return [];
    const given = passwords.filter((p) => p.value !== undefined && p.value !== null && p.value !== "");
    if (given.length === 0) return [];
    const fields = given.map((p) => p.field).join(" and ");
    if (managed.value === UNKNOWN || given.every((p) => p.value === UNKNOWN || (typeof p.value === "string" && p.value.includes(UNKNOWN_STRING)))) {
        return [{ undecided: true, message: `${what}: ${fields} is set and ${managed.field} is ${managed.value === UNKNOWN ? "unknown" : "not true"}; whether the password is program-supplied is decided at update` }];
    }
    return [{ message: `${what}: the master password is supplied by the program (${fields}) instead of being generated and rotated by the service in Secrets Manager (${managed.field}: true); the policy pack sees Pulumi secrets unwrapped, so a secret cannot be told from a plaintext literal, and a password in ${fields.includes("Wo") ? "the program" : "the program and the Pulumi state"} is one leak away from the data` }];
}
