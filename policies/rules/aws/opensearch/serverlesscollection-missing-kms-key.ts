/**
 * OpenSearch Serverless collections must be encrypted with a customer-managed KMS key: either
 * directly (`encryptionConfigs`) or by the encryption security policy that applies to them (the
 * matching policy with the most specific resource pattern; an exact name beats a wildcard).
 */
import * as aws from "@pulumi/aws";
import { type Finding, type RuleResource, UNKNOWN, stackRule } from "../../../framework/rule";
import { asList, get } from "../../../framework/values";
import { judgeCustomerKey, keyFinding } from "../kms/customer-key";
import { judgeEach, KEY_ON_UNKNOWN, STORE_SETTINGS } from "../datastores/stores";
import { matchEntry, securityPolicies, type PolicyEntry } from "./serverless-policies";

export const opensearchServerlessCollectionMissingKmsKey = stackRule({
    judges: [aws.opensearch.ServerlessCollection],
    name: "aws-opensearch-serverlesscollection-missing-kms-key",
    description:
        "OpenSearch Serverless collections in scope (the default vector store of Bedrock knowledge bases: every chunk of every indexed document, with its embedding) must be encrypted with a customer-managed KMS key: `encryptionConfigs: [{ kmsKeyArn }]` on the collection, or an `aws.opensearch.ServerlessSecurityPolicy` of type \"encryption\" in the stack whose most specific rule matching the collection sets `KmsARN` (not `AWSOwnedKey: true`). A collection covered only by a policy outside the stack cannot be checked and is reported.",
    clauses: ["DV-2", "P5", "P13"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: 'Declare `new aws.opensearch.ServerlessSecurityPolicy(..., { type: "encryption", policy: JSON.stringify({ Rules: [{ ResourceType: "collection", Resource: ["collection/<name>"] }], AWSOwnedKey: false, KmsARN: key.arn }) })` before the collection (dependsOn), or set `encryptionConfigs: [{ kmsKeyArn: key.arn }]`. The key of a collection is fixed at creation: recreate it and reindex.',
    url: "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-encryption.html",
    settings: STORE_SETTINGS,
    onUnknown: `${KEY_ON_UNKNOWN} An encryption policy whose type, document or resource patterns are unknown and that may apply leaves the collection undecided.`,
    check: (resources, { settings }) => {
        const policies = securityPolicies(resources, "encryption");
        return judgeEach(resources, settings, aws.opensearch.ServerlessCollection, (c): Finding[] => {
            const what = `OpenSearch Serverless collection "${c.name}"`;
            const direct = asList(c.props.encryptionConfigs);
            if (direct === UNKNOWN) return [{ undecided: true, message: `${what}: encryptionConfigs is unknown at preview; decided at update` }];
            if (direct.length > 0) {
                return direct.flatMap((cfg): Finding[] => {
                    const owned = get(cfg, "awsOwnedKey");
                    if (owned === true) return [{ message: `${what}: encryptionConfigs sets awsOwnedKey: true, so an AWS-owned key encrypts it instead of a customer-managed key` }];
                    const undecided: Finding[] = owned === UNKNOWN ? [{ undecided: true, message: `${what}: encryptionConfigs.awsOwnedKey is unknown at preview; decided at update` }] : [];
                    return [...undecided, ...keyFinding(judgeCustomerKey(resources, c, "encryptionConfigs", get(cfg, "kmsKeyArn")), what, "encryptionConfigs.kmsKeyArn", "an AWS-owned key")];
                });
            }
            return judgeByPolicy(resources, c, what, policies);
        });
    },
});

function judgeByPolicy(resources: readonly RuleResource[], c: RuleResource, what: string, policies: ReturnType<typeof securityPolicies>): Finding[] {
    const name = c.props.name;
    let best = -1;
    let applicable: PolicyEntry[] = [];
    const maybe: string[] = policies.unreadable.map((u) => `"${u.policy.name}" (${u.why})`);
    for (const e of policies.entries) {
        const m = matchEntry(e, name, ["collection"]);
        if (m.kind === "unknown") maybe.push(`"${e.policy.name}" (its rules or the collection name are unknown)`);
        if (m.kind !== "yes") continue;
        if (m.specificity > best) [best, applicable] = [m.specificity, [e]];
        else if (m.specificity === best) applicable.push(e);
    }
    if (maybe.length > 0) return [{ undecided: true, message: `${what}: encryption policy ${maybe.join(", ")} may apply to it; which key encrypts it is decided at update` }];
    if (applicable.length === 0) {
        return [{ message: `${what}: no encryption policy of this stack matches it and it sets no encryptionConfigs, so the key that encrypts it (possibly AWS-owned) cannot be checked` }];
    }
    return applicable.flatMap((e): Finding[] => {
        const source = `${what} (encryption policy "${e.policy.name}")`;
        const owned = e.body.AWSOwnedKey;
        if (owned === true) return [{ message: `${source}: AWSOwnedKey is true, so an AWS-owned key encrypts it instead of a customer-managed key` }];
        const undecided: Finding[] = owned === UNKNOWN ? [{ undecided: true, message: `${source}: AWSOwnedKey is unknown at preview; decided at update` }] : [];
        return [...undecided, ...keyFinding(judgeCustomerKey(resources, e.policy, "policy", e.body.KmsARN), source, "KmsARN", "no customer-managed key")];
    });
}
