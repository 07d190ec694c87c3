/**
 * The shape of an aiguard rule: one small, typed, pure check plus the metadata that ties it to the
 * guidelines. The CrossGuard adapter (`adapt.ts`) turns rules into @pulumi/policy policies; tests
 * call `check` directly with plain property bags.
 *
 * Rules are declared against the provider SDK's own classes, as `validateResourceOfType` does in
 * @pulumi/policy: a resource rule names the classes it judges (`aws.sagemaker.Model`), the type
 * tokens come from those classes, and `check` receives the class's inputs as {@link PropsOf}, so a
 * rule that reads a property the resource does not have fails to compile. A stack rule names the
 * classes it judges too (or a whole provider), which is how the compliance report tells "pass"
 * from "not applicable".
 */
import type { EnforcementLevel, Severity } from "@pulumi/policy";
import type * as pulumi from "@pulumi/pulumi";
import type { ClauseId } from "../../common/clauses";
import type { SettingName, Settings } from "../../common/settings";
import type { Unknown } from "../../common/unknown";

/**
 * The marker for a value that is not known yet (shared with the other enforcement points). The
 * adapter replaces the engine's unknown sentinels with {@link UNKNOWN} before calling a rule.
 * Property bags are deep: any nested value may be UNKNOWN.
 */
export { UNKNOWN, type Unknown, type Maybe } from "../../common/unknown";

/** A generated Pulumi resource class (`aws.s3.Bucket`, `k8s.apps.v1.Deployment`). */
export type ResourceClass = abstract new (name: string, args: any, opts?: any) => pulumi.Resource;

/** The `args` type of a resource class's constructor. */
export type ArgsOf<C> = C extends abstract new (name: string, args: infer A, ...rest: any[]) => any ? NonNullable<A> : never;

/**
 * What a rule sees of a value of type T: T itself with every `Input`/`Output` unwrapped, where any
 * part may be {@link Unknown} (computed by a resource not created yet) and any field may be absent.
 */
export type Observed<T> =
    T extends string | number | boolean | bigint | symbol | null | undefined ? T | Unknown
    : T extends ReadonlyArray<infer E> ? ReadonlyArray<Observed<E>> | Unknown
    : T extends object ? { readonly [K in keyof T]?: Observed<T[K]> } | Unknown
    : T | Unknown;

/** A resource's inputs as a rule sees them, typed by the class's args (a union for a rule over several classes). */
export type PropsOf<TArgs> = TArgs extends unknown ? { readonly [K in keyof pulumi.Unwrap<TArgs>]?: Observed<pulumi.Unwrap<TArgs>[K]> } : never;

/** The type token of a generated resource class (its static `__pulumiType`). Throws when it has none. */
export function typeToken(cls: ResourceClass): string {
    const token = (cls as unknown as { __pulumiType?: unknown }).__pulumiType;
    if (typeof token !== "string" || token === "") {
        throw new Error(`${cls.name || "a class"} is not a generated Pulumi resource class (no static __pulumiType): declare rules against the provider SDK's classes`);
    }
    return token;
}

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
     * What the rule does when a value it needs is unknown at preview time, stated per rule so the
     * choice is deliberate and reviewable. Documentation only: the rule's `check` implements it, and
     * the unknowns tests (test/policies/services/unknowns.test.ts) hold the code to it.
     */
    readonly onUnknown: string;
}

/** A resource as a rule sees it. `props` are the resource's inputs (resource rules) or outputs (stack rules). */
export interface RuleResource<P = Readonly<Record<string, unknown>>> {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly props: P;
    /** URN of the parent, when the engine sent it. */
    readonly parent?: string;
    /**
     * Stack rules: URNs of the resources this one depends on, and per input property the URNs its
     * value came from, as the engine sends them (`dependencies`, `propertyDependencies`). At a first
     * preview most references are unknown values; these say what they refer to.
     */
    readonly dependencies?: readonly string[];
    readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

/** What a rule gets besides the resource(s). */
export interface RuleContext {
    readonly settings: Settings;
}

/**
 * One violation. `urn` is required from stack rules (which resource is at fault). An `undecided`
 * finding is not a violation: the rule could not decide because a deciding value is unknown at
 * preview; the pack reports it in the advisory `aiguard-undecided-at-preview` policy, never silently.
 */
export interface Finding {
    readonly message: string;
    readonly urn?: string;
    readonly undecided?: boolean;
}

/** Checks one resource at a time (CrossGuard `validateResource`). */
export interface ResourceRule<C extends ResourceClass = ResourceClass> extends RuleMeta {
    readonly kind: "resource";
    /** The SDK classes the rule judges. */
    readonly classes: readonly C[];
    /** Their type tokens (derived from {@link classes}). */
    readonly resourceTypes: readonly string[];
    check(resource: RuleResource<PropsOf<ArgsOf<C>>>, ctx: RuleContext): readonly Finding[];
}

/** What a stack rule judges: resources of some SDK classes, or every resource of a provider. */
export type StackSubjects = readonly ResourceClass[] | { readonly provider: "aws" | "kubernetes" };

/**
 * Checks the stack as a whole (CrossGuard `validateStack`): needed when a setting lives on another
 * resource (S3 in @pulumi/aws v7) or when a rule relates resources (network segregation).
 * Must index resources once (no per-resource scans of the whole stack).
 */
export interface StackRule extends RuleMeta {
    readonly kind: "stack";
    /** What the rule judges (the resources it may report); the compliance report reads this. */
    readonly judges: StackSubjects;
    check(resources: readonly RuleResource[], ctx: RuleContext): readonly Finding[];
}

export type Rule = ResourceRule<any> | StackRule;

/** Declares a resource rule: the classes give the type tokens and type `check`'s props. */
export function resourceRule<C extends ResourceClass>(rule: Omit<ResourceRule<C>, "kind" | "resourceTypes">): ResourceRule<C> {
    return { ...rule, kind: "resource", resourceTypes: rule.classes.map(typeToken) };
}

/** Declares a stack rule. */
export function stackRule(rule: Omit<StackRule, "kind">): StackRule {
    return { ...rule, kind: "stack" };
}

/** Whether a resource type token is one the rule judges. */
export function judgesType(rule: Rule, type: string): boolean {
    if (rule.kind === "resource") return rule.resourceTypes.includes(type);
    const subjects = rule.judges;
    if ("provider" in subjects) return type.startsWith(`${subjects.provider}:`);
    return subjects.some((c) => typeToken(c) === type);
}

/**
 * Narrows a resource of a multi-class rule to one class, so its props are typed by that class's
 * args: `if (isOf(r, aws.ec2.SecurityGroup)) r.props.ingress`.
 */
export function isOf<C extends ResourceClass>(resource: RuleResource<unknown>, cls: C): resource is RuleResource<PropsOf<ArgsOf<C>>> {
    return resource.type === typeToken(cls);
}
