/**
 * Which managed policies are attached to which role, from every way @pulumi/aws v7 can attach one:
 * `Role.managedPolicyArns`, `RolePolicyAttachment`, `PolicyAttachment` and
 * `RolePolicyAttachmentsExclusive`. Built once per stack check.
 */
import { UNKNOWN, type RuleResource } from "../../../framework/rule";
import { asList } from "../../../framework/values";
import { IamTypes, principalNames } from "./documents";

/** One attachment of a managed policy to a role, and the resource that makes it. */
export interface Attachment {
    readonly policyArn: string;
    /** URN of the resource that attaches it (the role itself for managedPolicyArns). */
    readonly urn: string;
}

function known(v: unknown): string[] {
    const list = asList(v);
    if (list === UNKNOWN) return [];
    return list.filter((x): x is string => typeof x === "string" && x.length > 0);
}

/** Attachments per role name. Entries whose role or policy ARN is unknown are left out. */
export function attachmentsByRole(index: ReadonlyMap<string, readonly RuleResource[]>): Map<string, Attachment[]> {
    const out = new Map<string, Attachment[]>();
    const add = (role: string, policyArn: string, urn: string) => {
        let list = out.get(role);
        if (!list) out.set(role, (list = []));
        list.push({ policyArn, urn });
    };
    for (const role of index.get(IamTypes.role) ?? []) {
        for (const name of principalNames(role)) for (const arn of known(role.props.managedPolicyArns)) add(name, arn, role.urn);
    }
    for (const a of index.get(IamTypes.rolePolicyAttachment) ?? []) {
        for (const role of known(a.props.role)) for (const arn of known(a.props.policyArn)) add(role, arn, a.urn);
    }
    for (const a of index.get(IamTypes.policyAttachment) ?? []) {
        for (const role of known(a.props.roles)) for (const arn of known(a.props.policyArn)) add(role, arn, a.urn);
    }
    for (const a of index.get(IamTypes.rolePolicyAttachmentsExclusive) ?? []) {
        for (const role of known(a.props.roleName)) for (const arn of known(a.props.policyArns)) add(role, arn, a.urn);
    }
    return out;
}

/** The first known name of a role, for messages. */
export function roleLabel(role: RuleResource): string {
    return principalNames(role)[0] ?? role.name;
}

/** Deduplicates attachments by policy ARN and attaching URN (a role's name and id are usually equal). */
export function uniqueAttachments(list: readonly Attachment[]): Attachment[] {
    const seen = new Set<string>();
    return list.filter((a) => {
        const k = `${a.policyArn}|${a.urn}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
    });
}
