/**
 * The shape every "no public principal" rule over a resource policy shares: a resource that may
 * carry its policy inline (`Bucket.policy`, `Topic.policy`, `Domain.accessPolicies`) and a separate
 * policy resource that names it (`BucketPolicy.bucket`, `TopicPolicy.arn`, `DomainPolicy.domainName`).
 * Policies are joined to their resource by value or, at a first preview, by the engine's dependency
 * URNs; the resource decides scope. Statements are judged by `principals.ts`.
 */
import type { Settings } from "../../../common/settings";
import { typeToken, UNKNOWN, type Finding, type Maybe, type ResourceClass, type RuleResource } from "../../framework/rule";
import { ReferenceIndex, type Extract } from "../../framework/references";
import { byType, knownString } from "../../framework/values";
import { awsAssetFacts } from "./ai-assets";
import { publicPolicyFindings } from "./principals";

export interface ResourcePolicySpec {
    /** Human name of the resource (`S3 bucket`, `SNS topic`). */
    readonly noun: string;
    /** The resource classes (holders of the policy). */
    readonly holders: readonly ResourceClass[];
    /** Their identifiers other resources quote (`bucket`, `arn`, `url`...). */
    readonly holderKeys: readonly string[];
    /** Turns a quoted value into identifiers (e.g. an S3 ARN into the bucket name). */
    readonly extract?: Extract;
    /** The holder's name for messages. */
    readonly label: (holder: RuleResource) => string;
    /** The holder's inline policy property, if it has one. */
    readonly inlineProp?: string;
    /** The separate policy resource class, the property naming the holder, and its document property. */
    readonly policyClass: ResourceClass;
    readonly policyRef: string;
    readonly policyProp: string;
    /** Service condition keys that also restrict (lower-cased). */
    readonly extraKeys?: ReadonlySet<string>;
    /**
     * Holders whose policy cannot make them public (e.g. an OpenSearch domain inside a VPC): a
     * reason, `undefined` when the policy decides, UNKNOWN when that is not known yet (a public
     * statement is then reported as undecided).
     */
    readonly shielded?: (holder: RuleResource) => Maybe<string> | undefined;
}

/**
 * Judges the inline and separate policies of every holder in scope. A separate policy whose holder
 * is not in the stack (or not known) is judged under scope "all". When a holder has a separate
 * policy resource, its inline output (which repeats that document after an update) is not judged again.
 */
export function checkResourcePolicies(resources: readonly RuleResource[], settings: Settings, spec: ResourcePolicySpec): Finding[] {
    const facts = awsAssetFacts(resources, settings);
    const index = byType(resources);
    const holders = spec.holders.flatMap((c) => index.get(typeToken(c)) ?? []);
    const byRef = new ReferenceIndex(holders, spec.holderKeys, spec.extract);
    const findings: Finding[] = [];
    const withPolicyResource = new Set<string>();
    const shield = (hs: readonly RuleResource[]): Maybe<boolean> => {
        if (!spec.shielded || hs.length === 0) return false;
        const verdicts = hs.map((h) => spec.shielded!(h));
        if (verdicts.every((v) => typeof v === "string")) return true;
        return verdicts.some((v) => v === UNKNOWN) ? UNKNOWN : false;
    };
    const judge = (doc: unknown, what: string, urn: string, shielded: Maybe<boolean>) => {
        if (shielded === true) return;
        for (const f of publicPolicyFindings(doc, what, urn, spec.extraKeys)) {
            findings.push(shielded === UNKNOWN && !f.undecided ? { ...f, undecided: true, message: `${f.message} (whether its network keeps it private is not known yet)` } : f);
        }
    };
    for (const p of index.get(typeToken(spec.policyClass)) ?? []) {
        const { targets, unknown } = byRef.resolve(p, spec.policyRef);
        for (const t of targets) withPolicyResource.add(t.urn);
        const judged = targets.length === 0 ? settings.scope === "all" : targets.some(facts.inScope);
        if (!judged) continue;
        const ref = knownString(p.props[spec.policyRef]);
        const label = targets.length > 0 ? `${spec.noun} "${spec.label(targets[0]!)}"` : typeof ref === "string" ? `${spec.noun} "${ref}"` : `a ${spec.noun} not known yet`;
        // A policy whose holder cannot be told yet may belong to a shielded holder of the stack.
        const shielded = targets.length === 0 && unknown && spec.shielded ? UNKNOWN : shield(targets);
        judge(p.props[spec.policyProp], `policy "${p.name}" of ${label}`, p.urn, shielded);
    }
    if (spec.inlineProp !== undefined) {
        for (const h of holders) {
            if (withPolicyResource.has(h.urn) || !facts.inScope(h)) continue;
            judge(h.props[spec.inlineProp], `inline policy of ${spec.noun} "${spec.label(h)}"`, h.urn, shield([h]));
        }
    }
    return findings;
}

/** A holder's name: its first known value of `keys`, else its logical name. */
export function labelBy(...keys: string[]): (r: RuleResource) => string {
    return (r) => {
        for (const k of keys) {
            const v = knownString(r.props[k]);
            if (typeof v === "string" && v.length > 0) return v;
        }
        return r.name;
    };
}

/** `onUnknown` of the resource-policy rules. */
export const RESOURCE_POLICY_ON_UNKNOWN =
    "A policy document that is unknown at preview, or a statement whose Effect, Principal or restricting Condition is unknown, is reported as decided at update (advisory aiguard-undecided-at-preview), never passed silently; known statements are judged. Separate policy resources are joined to their resource by value or by the engine's dependency URNs; one whose resource is outside the stack is judged under scope \"all\".";
