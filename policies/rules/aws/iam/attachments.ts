/**
 * Which managed policies are attached to which role, from every way @pulumi/aws v7 can attach one:
 * `Role.managedPolicyArns`, `RolePolicyAttachment`, `PolicyAttachment` and
 * `RolePolicyAttachmentsExclusive`. Built once per stack check.
 */
import { UNKNOWN, UNKNOWN_STRING } from "../../../../common/unknown";
import type { RuleResource } from "../../../framework/rule";
import { ReferenceIndex } from "../../../framework/references";
import { asList } from "../../../framework/values";
import { IamTypes, principalNames } from "./documents";

/** One attachment of a managed policy to a role, and the resource that makes it. */
export interface Attachment {
    /** The policy ARN when known (AWS-managed policies are always literal). */
    readonly policyArn?: string;
    /** The customer-managed policy of the stack it attaches, found by value or by dependency. */
    readonly policy?: RuleResource;
    /** URN of the resource that attaches it (the role itself for managedPolicyArns). */
    readonly urn: string;
}

function known(v: unknown): string[] {
    const list = asList(v);
    if (list === UNKNOWN) return [];
    return list.filter((x): x is string => typeof x === "string" && x.length > 0 && !x.includes(UNKNOWN_STRING));
}

/**
 * Attachments per role URN. Roles are found from the attachment's role name by value, or at a
 * first preview by the engine's dependency URNs; policies likewise from the policy ARN.
 */
export function attachmentsByRole(index: ReadonlyMap<string, readonly RuleResource[]>): Map<string, Attachment[]> {
    const roles = new ReferenceIndex(index.get(IamTypes.role) ?? [], ["name", "id", "arn"]);
    const policies = new ReferenceIndex(index.get(IamTypes.policy) ?? [], ["arn", "id"]);
    const out = new Map<string, Attachment[]>();
    const add = (roleUrn: string, a: Attachment) => {
        let list = out.get(roleUrn);
        if (!list) out.set(roleUrn, (list = []));
        list.push(a);
    };
    const attach = (from: RuleResource, roleProp: string, policyProp: string) => {
        const targets = roles.resolve(from, roleProp).targets;
        if (targets.length === 0) return;
        const arns = known(from.props[policyProp]);
        const found = policies.resolve(from, policyProp).targets;
        for (const role of targets) {
            for (const policyArn of arns) add(role.urn, { policyArn, policy: found.find((p) => p.props.arn === policyArn), urn: from.urn });
            for (const policy of found) if (!arns.includes(policy.props.arn as string)) add(role.urn, { policy, urn: from.urn });
        }
    };
    for (const role of index.get(IamTypes.role) ?? []) {
        for (const policyArn of known(role.props.managedPolicyArns)) add(role.urn, { policyArn, urn: role.urn });
        for (const policy of policies.resolve(role, "managedPolicyArns").targets) add(role.urn, { policy, urn: role.urn });
    }
    for (const a of index.get(IamTypes.rolePolicyAttachment) ?? []) attach(a, "role", "policyArn");
    for (const a of index.get(IamTypes.policyAttachment) ?? []) attach(a, "roles", "policyArn");
    for (const a of index.get(IamTypes.rolePolicyAttachmentsExclusive) ?? []) attach(a, "roleName", "policyArns");
    return out;
}

/** The first known name of a role, for messages. */
export function roleLabel(role: RuleResource): string {
    return principalNames(role)[0] ?? role.name;
}

/** Deduplicates attachments by policy and attaching URN. */
export function uniqueAttachments(list: readonly Attachment[]): Attachment[] {
    const seen = new Set<string>();
    return list.filter((a) => {
        const k = `${a.policyArn ?? a.policy?.urn}|${a.urn}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
    });
}
