/**
 * Joins between resources that hold at a first preview as well as at update.
 *
 * A property that names another resource (`bucket`, `vpcId`, `role`, `roleArn`, an S3 URI) holds a
 * literal value when the program wrote one or when the other resource already exists, and an
 * unknown value when it is an output of a resource not yet created. The engine says, for every
 * property, which resources its value came from (`propertyDependencies`). A join therefore uses the
 * value when it is known and the dependency URNs when it is not, and says "cannot tell" only when
 * neither decides (an unknown that came from a lookup, or input without dependency information).
 */
import { UNKNOWN, UNKNOWN_STRING } from "../../common/unknown";
import type { RuleResource } from "./rule";

/** Where a property's value points. `unknown`: some part could not be resolved, so "refers to nothing else" is not known. */
export interface Resolution {
    readonly targets: readonly RuleResource[];
    readonly unknown: boolean;
}

/** Turns one known string into the identifiers it names (default: the string itself). */
export type Extract = (value: string) => readonly string[];

/** Bucket name of an S3 URI or bucket ARN (`s3://b/p`, `arn:aws:s3:::b/p`), else the string itself. */
export const s3BucketOf: Extract = (v) => {
    const m = /^s3:\/\/([^/]+)/.exec(v) ?? /^arn:aws[a-z-]*:s3:::([^/]+)/.exec(v);
    return m ? [m[1]!] : [v];
};

/** Known strings inside a value (a string, or a list of them); `unknown` if any part is unknown. */
function strings(value: unknown): { values: string[]; unknown: boolean } {
    const values: string[] = [];
    let unknown = false;
    const visit = (v: unknown): void => {
        if (v === UNKNOWN) unknown = true;
        else if (typeof v === "string") {
            if (v.includes(UNKNOWN_STRING)) unknown = true;
            else values.push(v);
        } else if (Array.isArray(v)) v.forEach(visit);
    };
    visit(value);
    return { values, unknown };
}

/**
 * An index of the resources a property may name (e.g. all buckets), by their known identifiers
 * (`keys`: the properties whose values other resources quote, e.g. `bucket`, `id`, `arn`).
 */
export class ReferenceIndex {
    private readonly byId = new Map<string, RuleResource>();
    private readonly byUrn = new Map<string, RuleResource>();
    /** Some candidate has no known identifier: a literal that matches nothing may still mean it. */
    private readonly someUnidentified: boolean;

    constructor(readonly candidates: readonly RuleResource[], keys: readonly string[], private readonly extract: Extract = (v) => [v]) {
        let unidentified = false;
        for (const c of candidates) {
            this.byUrn.set(c.urn, c);
            let identified = false;
            for (const k of keys) {
                const { values } = strings(c.props[k]);
                for (const v of values) {
                    this.byId.set(v, c);
                    identified = true;
                }
            }
            if (!identified) unidentified = true;
        }
        this.someUnidentified = unidentified;
    }

    /**
     * The candidates that `from`'s property `prop` refers to. `value` defaults to the property
     * itself; pass a nested part of it (e.g. `vpcConfig.subnets`) with the top-level name as `prop`,
     * since the engine records dependencies per top-level property.
     */
    resolve(from: RuleResource, prop: string, value: unknown = from.props[prop]): Resolution {
        const { values, unknown: hasUnknown } = strings(value);
        const targets = new Set<RuleResource>();
        let unknown = false;
        for (const v of values) {
            let matched = false;
            for (const id of this.extract(v)) {
                const t = this.byId.get(id);
                if (t) {
                    targets.add(t);
                    matched = true;
                }
            }
            if (!matched && this.someUnidentified) unknown = true;
        }
        if (hasUnknown) {
            const deps = from.propertyDependencies?.[prop];
            const fromDeps = (deps ?? []).map((u) => this.byUrn.get(u)).filter((t): t is RuleResource => t !== undefined);
            for (const t of fromDeps) targets.add(t);
            // Without dependency information, or when the unknown came from no candidate (a lookup), the join cannot be decided.
            if (fromDeps.length === 0) unknown = true;
        }
        return { targets: [...targets], unknown };
    }
}

/**
 * The resources of `configs` that refer to each candidate through `prop`, and whether some config
 * could not be resolved (then "has none" cannot be decided for candidates).
 */
export function groupByTarget(index: ReferenceIndex, configs: readonly RuleResource[], prop: string): { byTarget: Map<string, RuleResource[]>; unresolved: boolean } {
    const byTarget = new Map<string, RuleResource[]>();
    let unresolved = false;
    for (const c of configs) {
        const r = index.resolve(c, prop);
        if (r.unknown) unresolved = true;
        for (const t of r.targets) {
            let list = byTarget.get(t.urn);
            if (!list) byTarget.set(t.urn, (list = []));
            list.push(c);
        }
    }
    return { byTarget, unresolved };
}
