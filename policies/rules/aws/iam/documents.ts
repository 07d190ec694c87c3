/**
 * Least-privilege analysis of IAM policy documents, shared by the IAM rules.
 */
import * as aws from "@pulumi/aws";
import { UNKNOWN, type Finding, type RuleResource, typeToken } from "../../../framework/rule";
import { asList, containsUnknown, parsePolicy } from "../../../framework/values";

/** What a document analysis found: problem descriptions, and whether some part could not be judged yet. */
export interface GrantAnalysis {
    readonly problems: readonly string[];
    readonly unknown: boolean;
}

const SERVICE_WIDE = /^[a-z0-9-]+:\*$/i;

function label(sid: string | undefined, i: number): string {
    return sid ? `statement "${sid}"` : `statement #${i + 1}`;
}

/**
 * Finds Allow statements that grant too broadly:
 *  - `Action: "*"` (every action of every service), on any resource;
 *  - a service-wide action (`s3:*`, `kms:*`, ...) on `Resource: "*"`;
 *  - `NotAction` or `NotResource` with Allow (grants everything except a list).
 * Specific actions on `Resource: "*"` are not flagged: several AWS actions support only `*`
 * (documented exception: `ecr:GetAuthorizationToken`, needed to pull model images).
 */
export function analyseGrants(doc: unknown): GrantAnalysis {
    const parsed = parsePolicy(doc);
    if (!parsed.ok) return parsed.unknown ? { problems: [], unknown: true } : { problems: [`policy document cannot be read: ${parsed.error}`], unknown: false };
    const problems: string[] = [];
    let unknown = false;
    parsed.statements.forEach((s, i) => {
        if (s.effectUnknown) {
            unknown = true;
            return;
        }
        if (s.effect !== "Allow") return;
        const where = label(s.sid, i);
        if (s.notAction !== undefined) problems.push(`${where} uses NotAction with Allow`);
        if (s.notResource !== undefined) problems.push(`${where} uses NotResource with Allow`);
        const actions = s.action;
        const resources = s.resource;
        if (actions === UNKNOWN || (actions && containsUnknown(actions))) unknown = true;
        const list = actions === UNKNOWN || !actions ? [] : actions;
        if (list.includes("*")) {
            problems.push(`${where} allows Action "*"`);
            return;
        }
        const serviceWide = list.filter((a): a is string => typeof a === "string" && SERVICE_WIDE.test(a));
        if (serviceWide.length === 0) return;
        if (resources === UNKNOWN || (resources && containsUnknown(resources))) {
            unknown = true;
            return;
        }
        if (resources && resources.includes("*")) problems.push(`${where} allows ${serviceWide.join(", ")} on Resource "*"`);
    });
    return { problems, unknown };
}

/** The documents of a Role's `inlinePolicies` (name and policy); an unknown list yields UNKNOWN entries. */
export function inlinePolicies(props: Readonly<Record<string, unknown>>): { name: string; policy: unknown }[] {
    const list = asList(props.inlinePolicies);
    if (list === UNKNOWN) return [{ name: "(unknown)", policy: UNKNOWN }];
    return list.map((p, i) => {
        const o = (p && typeof p === "object" ? p : {}) as Record<string, unknown>;
        return { name: typeof o.name === "string" ? o.name : `#${i + 1}`, policy: p === UNKNOWN ? UNKNOWN : o.policy };
    });
}

/** Findings for a document on `where`, reported on `urn` (undefined: the resource under check). */
export function grantFindings(doc: unknown, where: string, urn?: string): Finding[] {
    return analyseGrants(doc).problems.map((p) => ({ message: `${where}: ${p}`, ...(urn ? { urn } : {}) }));
}

/** A role's (or user's) identifying names: `name` and `id` outputs (the id of a role is its name). */
export function principalNames(r: RuleResource): string[] {
    return [r.props.name, r.props.id].filter((v): v is string => typeof v === "string" && v.length > 0);
}

/** Type tokens. */
export const IamTypes = {
    role: typeToken(aws.iam.Role),
    user: typeToken(aws.iam.User),
    policy: typeToken(aws.iam.Policy),
    rolePolicy: typeToken(aws.iam.RolePolicy),
    userPolicy: typeToken(aws.iam.UserPolicy),
    rolePolicyAttachment: typeToken(aws.iam.RolePolicyAttachment),
    userPolicyAttachment: typeToken(aws.iam.UserPolicyAttachment),
    policyAttachment: typeToken(aws.iam.PolicyAttachment),
    rolePolicyAttachmentsExclusive: typeToken(aws.iam.RolePolicyAttachmentsExclusive),
} as const;
