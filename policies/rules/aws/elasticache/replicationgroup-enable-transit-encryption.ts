/** ElastiCache replication groups must require TLS in transit. */
import * as aws from "@pulumi/aws";
import { type Finding, UNKNOWN, stackRule } from "../../../framework/rule";
import { requireTrue } from "../kms/customer-key";
import { FLAGS_ON_UNKNOWN, judgeEach, STORE_SETTINGS } from "../datastores/stores";

export const elasticacheReplicationGroupEnableTransitEncryption = stackRule({
    judges: [aws.elasticache.ReplicationGroup],
    name: "aws-elasticache-replicationgroup-enable-transit-encryption",
    description:
        "ElastiCache replication groups in scope must set `transitEncryptionEnabled: true` and must not set `transitEncryptionMode: \"preferred\"` (which still accepts plaintext clients), so cached prompts, sessions and auth tokens never cross the network in clear text.",
    clauses: ["DV-2", "DP-1", "P5", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: 'Set `transitEncryptionEnabled: true` (and `transitEncryptionMode: "required"` once clients use TLS), and connect with TLS.',
    url: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html",
    settings: STORE_SETTINGS,
    onUnknown: FLAGS_ON_UNKNOWN,
    check: (resources, { settings }) =>
        judgeEach(resources, settings, aws.elasticache.ReplicationGroup, (r): Finding[] => {
            const what = `ElastiCache replication group "${r.name}"`;
            const enabled = requireTrue(r.props.transitEncryptionEnabled, what, "transitEncryptionEnabled", "the default is false");
            if (enabled.some((f) => !f.undecided)) return enabled;
            const mode = r.props.transitEncryptionMode;
            if (mode === UNKNOWN) return [...enabled, { undecided: true, message: `${what}: transitEncryptionMode is unknown at preview; decided at update` }];
            return mode === "preferred" ? [...enabled, { message: `${what}: transitEncryptionMode is "preferred", so clients may still connect without TLS; set "required"` }] : enabled;
        }),
});
