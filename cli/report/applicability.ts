/**
 * Which resources a rule examines, so the compliance matrix can tell "pass" (the stack has
 * resources the rule checks, and none violates it) from "not applicable" (the stack has none).
 *
 * Resource rules declare their types (`resourceTypes`). Stack rules do not, so their subject comes
 * from the catalogue's naming convention `<provider>-<service>-<resource>-<verb>-<noun>`:
 * `aws-s3-bucket-...` examines `aws:s3/bucket:Bucket` (and `BucketV2`), `kubernetes-core-namespace-...`
 * examines `kubernetes:core/v1:Namespace`; a few rules whose subject is broader are listed in
 * {@link SUBJECT_OVERRIDES}. test/cli/applicability.test.ts checks that every rule of the catalogue
 * resolves, and applies to the insecure demo (which breaks every rule).
 */
import { RULES } from "../../policies/catalogue";
import { NAMESPACE_TYPE } from "../../policies/rules/k8s/model-workloads";
import { WORKLOAD_TYPES } from "../../policies/rules/k8s/pod-spec";

/** Tests whether a resource type token is one a rule examines. */
export type TypeMatcher = (type: string) => boolean;

const isAws: TypeMatcher = (t) => t.startsWith("aws:");
const isWorkload: TypeMatcher = (t) => WORKLOAD_TYPES.includes(t);
const isNamespace: TypeMatcher = (t) => t === NAMESPACE_TYPE;

/** Stack rules whose subject is not the resource their name says. */
export const SUBJECT_OVERRIDES: Readonly<Record<string, TypeMatcher>> = {
    // Every AI resource must carry the inventory tags: any AWS resource may be one.
    "aws-tags-resource-missing-required-tags": isAws,
    // Model namespaces must have a default deny and be covered by image admission.
    "kubernetes-networking-networkpolicy-missing-default-deny": isNamespace,
    "kubernetes-admissionregistration-validatingwebhookconfiguration-missing-image-admission": isNamespace,
};

/** `aws-ec2-securitygroup-disallow-...` → matches `aws:ec2/securityGroup:SecurityGroup`; pod rules → workloads. */
function fromName(name: string): TypeMatcher | undefined {
    const m = /^(aws|kubernetes)-([a-z0-9.]+)-([a-z0-9]+)-/.exec(name);
    if (!m) return undefined;
    const [, provider, service, resource] = m;
    if (provider === "kubernetes") {
        if (resource === "pod") return isWorkload;
        const group = service === "core" ? "core" : `${service}.k8s.io`;
        return (t) => {
            const lower = t.toLowerCase();
            return (lower.startsWith(`kubernetes:${group}/`) || lower.startsWith(`kubernetes:${service}/`)) && lower.endsWith(`:${resource}`);
        };
    }
    return (t) => {
        const lower = t.toLowerCase();
        return lower.startsWith(`aws:${service}/${resource}:`) || lower.startsWith(`aws:${service}/${resource}v2:`);
    };
}

/** The matcher for a rule, or `undefined` for a policy aiguard does not know (no claim is made). */
export function subjectOf(ruleName: string): TypeMatcher | undefined {
    const override = SUBJECT_OVERRIDES[ruleName];
    if (override) return override;
    const rule = RULES.find((r) => r.name === ruleName);
    if (rule?.kind === "resource") {
        const types = new Set(rule.resourceTypes);
        return (t) => types.has(t);
    }
    return fromName(ruleName);
}

/** Whether the stack (its resource types) holds anything the rule examines. */
export function applies(ruleName: string, resourceTypes: ReadonlySet<string>): boolean {
    const match = subjectOf(ruleName);
    if (!match) return false;
    for (const t of resourceTypes) if (match(t)) return true;
    return false;
}
