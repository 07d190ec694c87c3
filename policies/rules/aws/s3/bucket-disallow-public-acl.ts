import * as aws from "@pulumi/aws";
import { UNKNOWN, resourceRule } from "../../../framework/rule";
import { asList, get } from "../../../framework/values";

const PUBLIC_CANNED_ACLS: ReadonlySet<string> = new Set(["public-read", "public-read-write", "authenticated-read"]);
const PUBLIC_GRANTEE_URIS: ReadonlySet<string> = new Set([
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
]);

/** Grantee URIs that make a grant public, from `accessControlPolicy.grants` (BucketAcl) or `grants` (Bucket). */
function publicGrantees(grants: unknown): string[] {
    const list = asList(grants);
    if (list === UNKNOWN) return [];
    const out: string[] = [];
    for (const g of list) {
        const uri = get(g, "grantee", "uri") ?? get(g, "uri");
        if (typeof uri === "string" && PUBLIC_GRANTEE_URIS.has(uri)) out.push(uri);
    }
    return out;
}

export const s3BucketDisallowPublicAcl = resourceRule({
    name: "aws-s3-bucket-disallow-public-acl",
    description:
        "S3 bucket ACLs must not grant access to all users or to all authenticated AWS users, whether through a canned ACL or an explicit grant. A public ACL exposes stored models and data to anyone on the internet.",
    clauses: ["DP-1", "DV-2", "P5", "P6"],
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Remove the public canned ACL (`public-read`, `public-read-write`, `authenticated-read`) and any grant to the AllUsers or AuthenticatedUsers groups; prefer `aws.s3.BucketOwnershipControls` with `BucketOwnerEnforced`, which disables ACLs altogether.",
    url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl",
    classes: [aws.s3.BucketAcl, aws.s3.BucketAclV2, aws.s3.Bucket, aws.s3.BucketV2],
    onUnknown: "Skips an ACL or grant whose value is unknown; the pack re-runs at update time when the values are known.",
    check: (r) => {
        const findings = [];
        const acl = r.props.acl;
        if (typeof acl === "string" && PUBLIC_CANNED_ACLS.has(acl)) findings.push({ message: `bucket ACL "${r.name}" uses the public canned ACL "${acl}"` });
        const grants = [...publicGrantees(get(r.props, "accessControlPolicy", "grants")), ...publicGrantees(get(r.props, "grants"))];
        for (const uri of grants) findings.push({ message: `bucket ACL "${r.name}" grants access to ${uri}` });
        return findings;
    },
});
