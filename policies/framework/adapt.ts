/**
 * Turns aiguard rules into @pulumi/policy policies.
 *
 * The adapter is the only place that touches the SDK's argument objects, and the only user of
 * @pulumi/policy internals (the proxy's unknown sentinels and keys; the memos of `sdk-memo.ts`).
 * The dependency is pinned exactly and test/policies/framework/sdk-internals.test.ts fails loudly
 * when an upgrade moves them:
 *  - it unwraps the SDK's unknown-checking proxy and replaces the engine's unknown sentinels with
 *    {@link UNKNOWN}, so a rule decides what an unknown means instead of the SDK turning the first
 *    unknown it touches into an advisory "can't run policy" (which would fail open for mandatory rules);
 *  - it reads the rule's config (settings + exemptions) and applies exemptions, which are then
 *    reported, with their justification, by the advisory `aiguard-exemptions-applied` stack policy;
 *  - it appends the rule's clause IDs to every message.
 *
 * Cost: aiguard serves Analyze and AnalyzeStack itself (analyzer-server.ts) so that every policy
 * of a request gets resources built once. The adapter memoizes both paths per request (see
 * `sdk-memo.ts` and {@link plainProps}): each resource is deserialized, proxied and normalised
 * once per request, and every rule sees the same deeply frozen copy.
 */
import { validateResourceOfType } from "@pulumi/policy";
import type {
    Policy,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import * as proxyModule from "@pulumi/policy/proxy";
import { globToRegExp, NAME_GLOB } from "../../common/glob";
import { noteExemption, noteUndecided } from "./run-log";
import { scopeExclusion } from "./scope";
import { installSdkMemos } from "./sdk-memo";
import { JUDGED_TYPES } from "./analyzer-server";
import { exemptionKey, expiryProblem, readSettings, SETTING_SCHEMAS, type Exemption, type Settings } from "../../common/settings";
import { UNKNOWN, type Finding, type Rule, type RuleResource } from "./rule";

/**
 * The SDK's proxy internals. They are marked `@internal` and so stripped from its `.d.ts`, but they
 * are the runtime values the SDK itself uses (the engine's unknown sentinels and the proxy keys).
 */
interface ProxyInternals {
    readonly isSpecialProxy: string;
    readonly getSpecialProxyTarget: string;
    readonly unknownBooleanValue: string;
    readonly unknownNumberValue: string;
    readonly unknownStringValue: string;
    readonly unknownArrayValue: string;
    readonly unknownAssetValue: string;
    readonly unknownArchiveValue: string;
    readonly unknownObjectValue: string;
}
const proxy = proxyModule as unknown as ProxyInternals;

const SENTINELS: ReadonlySet<unknown> = new Set([
    proxy.unknownBooleanValue,
    proxy.unknownNumberValue,
    proxy.unknownStringValue,
    proxy.unknownArrayValue,
    proxy.unknownAssetValue,
    proxy.unknownArchiveValue,
    proxy.unknownObjectValue,
]);

/** Normalised copies by the SDK's deserialized property object (the proxy target). */
const normalised = new WeakMap<object, Readonly<Record<string, unknown>>>();

/**
 * Strips the SDK proxy and maps unknown sentinels to {@link UNKNOWN}, deeply. The result is deeply
 * frozen (rules must treat props as read-only) and memoized by the SDK's deserialized object, so
 * the stack policies of one request share one copy per resource instead of copying it each time.
 */
export function plainProps(props: unknown): Readonly<Record<string, unknown>> {
    const target = unwrap(props);
    if (!target || typeof target !== "object" || Array.isArray(target)) return EMPTY;
    const cached = normalised.get(target);
    if (cached) return cached;
    const out = normalise(target) as Readonly<Record<string, unknown>>;
    normalised.set(target, out);
    return out;
}

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

function unwrap(v: unknown): unknown {
    if (v && typeof v === "object" && (v as any)[proxy.isSpecialProxy] === true) {
        return (v as any)[proxy.getSpecialProxyTarget];
    }
    return v;
}

function normalise(v: unknown): unknown {
    if (SENTINELS.has(v)) return UNKNOWN;
    if (Array.isArray(v)) return Object.freeze(v.map(normalise));
    if (v && typeof v === "object") {
        const o: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) o[k] = normalise(x);
        return Object.freeze(o);
    }
    return v;
}

/** Logical name from a URN (`urn:pulumi:stack::project::type::name`). */
export function nameFromUrn(urn: string): string {
    const i = urn.lastIndexOf("::");
    return i >= 0 ? urn.slice(i + 2) : urn;
}

/**
 * The exemption that applies to this rule and resource today, if any. Fails closed: an exemption
 * whose expiry is not a real date never applies (the exemptions report names it).
 */
export function matchExemption(exemptions: readonly Exemption[], rule: string, urn: string, today: string): Exemption | undefined {
    const name = nameFromUrn(urn);
    return exemptions.find((e) => {
        if (e.rule !== undefined && e.rule !== "*" && e.rule !== rule) return false;
        if (expiryProblem(e.expires) !== undefined) return false;
        if (e.expires !== undefined && e.expires < today) return false;
        if (e.urn !== undefined && e.urn !== urn) return false;
        if (e.name !== undefined && !globToRegExp(e.name, NAME_GLOB).test(name)) return false;
        return e.urn !== undefined || e.name !== undefined;
    });
}

function configSchemaFor(rule: Rule): PolicyConfigSchema {
    const properties: PolicyConfigSchema["properties"] = {};
    for (const s of rule.settings ?? []) properties[s] = SETTING_SCHEMAS[s];
    properties.exemptions = SETTING_SCHEMAS.exemptions;
    return { properties };
}

function meta(rule: Rule): Policy {
    return {
        name: rule.name,
        description: rule.description,
        enforcementLevel: rule.enforcementLevel,
        severity: rule.severity,
        remediationSteps: rule.remediationSteps,
        url: rule.url,
        tags: [...rule.clauses.map((c) => `clause:${c}`), "aiguard"],
        framework: {
            name: "aiguard: NCSC/CISA Secure AI Guidelines + UK AI Cyber Security Code of Practice",
            version: "2023/2025",
            reference: "https://www.ncsc.gov.uk/collection/guidelines-secure-ai-system-development",
            specification: rule.clauses.join(", "),
        },
        configSchema: configSchemaFor(rule),
    };
}

function report(rule: Rule, settings: Settings, findings: readonly Finding[], defaultUrn: string, reportViolation: ReportViolation): void {
    const today = new Date().toISOString().slice(0, 10);
    const suffix = ` [${rule.clauses.join(", ")}]`;
    for (const f of findings) {
        const urn = f.urn ?? defaultUrn;
        const exemption = urn ? matchExemption(settings.exemptions, rule.name, urn, today) : undefined;
        if (exemption) {
            noteExemption({ rule: rule.name, urn, message: f.message, justification: exemption.justification, ...(exemption.expires ? { expires: exemption.expires } : {}) }, exemptionKey(exemption));
            continue;
        }
        if (f.undecided) {
            noteUndecided({ rule: rule.name, urn, message: f.message });
            continue;
        }
        if (f.urn !== undefined) reportViolation(f.message + suffix, f.urn);
        else reportViolation(f.message + suffix);
    }
}

/** Frozen rule views of the SDK's stack resources, by the SDK's props object (one per resource per request). */
const stackResources = new WeakMap<object, RuleResource>();

function stackResource(r: StackValidationArgs["resources"][number]): RuleResource {
    const key = r.props as object;
    const parent = r.parent?.urn;
    const cached = stackResources.get(key);
    if (cached && cached.urn === r.urn && cached.type === r.type && cached.name === r.name && cached.parent === parent) return cached;
    const propertyDependencies: Record<string, readonly string[]> = {};
    for (const [k, deps] of Object.entries(r.propertyDependencies ?? {})) propertyDependencies[k] = Object.freeze(deps.map((d) => d.urn));
    const out: RuleResource = Object.freeze({
        type: r.type,
        name: r.name,
        urn: r.urn,
        props: plainProps(r.props),
        parent,
        dependencies: Object.freeze((r.dependencies ?? []).map((d) => d.urn)),
        propertyDependencies: Object.freeze(propertyDependencies),
    });
    stackResources.set(key, out);
    return out;
}

/** Each request's rule view, by the SDK array it was built from (aiguard's AnalyzeStack handler passes one array to every stack policy). */
const viewsByInput = new WeakMap<object, readonly RuleResource[]>();
/**
 * The last view built, held weakly: with the SDK's own handler (each stack policy gets a fresh
 * array over the same memoized props), the next policy of the request finds the same per-resource
 * views and gets this array again. Weak, so nothing of a request outlives it.
 */
let lastStackView: WeakRef<readonly RuleResource[]> | undefined;

/**
 * The rule view of a request's resources: one frozen array per request, handed to every stack rule,
 * so per-request indexes keyed by it (`byType`) are built once per request instead of once per rule.
 */
export function stackView(resources: StackValidationArgs["resources"]): readonly RuleResource[] {
    const cached = viewsByInput.get(resources);
    if (cached) return cached;
    const view = resources.map(stackResource);
    const last = lastStackView?.deref();
    const out = last && view.length === last.length && view.every((r, i) => r === last[i]) ? last : Object.freeze(view);
    viewsByInput.set(resources, out);
    lastStackView = new WeakRef(out);
    return out;
}

const exclusions = new WeakMap<readonly RuleResource[], ReadonlySet<string>>();

/** URNs of the request's resources declared out of scope on themselves (memoized per request view). */
function excludedUrns(resources: readonly RuleResource[]): ReadonlySet<string> {
    let set = exclusions.get(resources);
    if (!set) {
        set = new Set(resources.filter((r) => scopeExclusion(r.props) !== undefined).map((r) => r.urn));
        exclusions.set(resources, set);
    }
    return set;
}

/** Builds the CrossGuard policy for one rule. */
export function toPolicy(rule: Rule): ResourceValidationPolicy | StackValidationPolicy {
    installSdkMemos();
    if (rule.kind === "resource") {
        const types = new Set(rule.resourceTypes);
        const validate = (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
            if (!types.has(args.type)) return;
            // Declared out of scope on the resource itself (listed by the scope report).
            if (scopeExclusion(plainProps(args.props)) !== undefined) return;
            const settings = readSettings(args.getConfig<Record<string, unknown>>());
            const resource: RuleResource = { type: args.type, name: args.name, urn: args.urn, props: plainProps(args.props) };
            report(rule, settings, rule.check(resource, { settings }), args.urn, reportViolation);
        };
        // With a single class, the SDK's own `validateResourceOfType` lets its server skip other types
        // before deserializing their properties.
        // With several, the types it judges let aiguard's Analyze handler skip it for the others (analyzer-server.ts).
        const [only] = rule.classes;
        const validateResource = rule.classes.length === 1 && only ? validateResourceOfType(only, (_props, args, reportViolation) => validate(args, reportViolation)) : Object.assign(validate, { [JUDGED_TYPES]: types });
        return { ...meta(rule), validateResource };
    }
    return {
        ...meta(rule),
        validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
            const settings = readSettings(args.getConfig<Record<string, unknown>>());
            const resources = stackView(args.resources);
            const findings = rule.check(resources, { settings }).filter((f) => f.urn === undefined || !excludedUrns(resources).has(f.urn));
            report(rule, settings, findings, "", reportViolation);
        },
    };
}
