/**
 * The shape of an aiguard rule: one small, typed, pure check plus the metadata that ties it to the
 * guidelines. The CrossGuard adapter (`adapt.ts`) turns rules into @pulumi/policy policies; tests
 * call `check` directly with plain property bags.
 */
import type { EnforcementLevel, Severity } from "@pulumi/policy";
import type { ClauseId } from "../../common/clauses";
import type { SettingName, Settings } from "../../common/settings";

/** Metadata every rule carries. */
export interface RuleMeta {
    /** `<provider>-<service>-<resource>-<verb>-<noun>`, verb one of missing|disallow|enable|disable|configure|enforce. */
    readonly name: string;
    /** One or more full sentences: what the rule requires and why. */
    readonly description: string;
    /** Clause IDs from both documents (at least one NCSC/CISA and one UK Code clause). */
    readonly clauses: readonly ClauseId[];
    readonly severity: Severity;
    /** Default enforcement level; users override per rule in the policy config. */
    readonly enforcementLevel: EnforcementLevel;
    /** What to change, concretely, to comply (Markdown allowed). */
    readonly remediationSteps: string;
    /** Reference URL (the provider's docs for the setting, or the guideline). */
    readonly url: string;
    /** Pack settings the rule reads (they appear in its configSchema with defaults). */
    readonly settings?: readonly SettingName[];
    /**
     * What the rule does when a value it needs is unknown at preview time. Stated per rule so the
     * choice is deliberate and documented; the adapter reports it in the diagnostics.
     */
    readonly onUnknown: string;
}

/**
 * The marker for a value that is not known yet (shared with the other enforcement points). The
 * adapter replaces the engine's unknown sentinels with {@link UNKNOWN} before calling a rule.
 * Property bags are deep: any nested value may be UNKNOWN.
 */
export { UNKNOWN, type Unknown, type Maybe } from "../../common/unknown";

/** A resource as a rule sees it. `props` are the resource's inputs (resource rules) or outputs (stack rules). */
export interface RuleResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly props: Readonly<Record<string, unknown>>;
    /** URN of the parent, when the engine sent it. */
    readonly parent?: string;
}

/** What a rule gets besides the resource(s). */
export interface RuleContext {
    readonly settings: Settings;
}

/** One violation. `urn` is required from stack rules (which resource is at fault). */
export interface Finding {
    readonly message: string;
    readonly urn?: string;
}

/** Checks one resource at a time (CrossGuard `validateResource`). */
export interface ResourceRule extends RuleMeta {
    readonly kind: "resource";
    /** The resource type tokens the rule applies to. */
    readonly resourceTypes: readonly string[];
    check(resource: RuleResource, ctx: RuleContext): readonly Finding[];
}

/**
 * Checks the stack as a whole (CrossGuard `validateStack`): needed when a setting lives on another
 * resource (S3 in @pulumi/aws v7) or when a rule relates resources (network segregation).
 * Must index resources once (no per-resource scans of the whole stack).
 */
export interface StackRule extends RuleMeta {
    readonly kind: "stack";
    check(resources: readonly RuleResource[], ctx: RuleContext): readonly Finding[];
}

export type Rule = ResourceRule | StackRule;
