/** EKS clusters must envelope-encrypt Kubernetes secrets with a customer-managed KMS key. */
import * as aws from "@pulumi/aws";
import { type Finding, UNKNOWN, resourceRule } from "../../../framework/rule";
import { get, isKnownMissingKey } from "../../../framework/values";


export const eksClusterMissingSecretsEncryption = resourceRule({
    name: "aws-eks-cluster-missing-secrets-encryption",
    description:
        "EKS clusters must set `encryptionConfig` with `resources` containing `secrets` and `provider.keyArn` naming a customer-managed KMS key, so Kubernetes Secrets (registry credentials, model-store and API keys) are envelope-encrypted in etcd under a key the owner controls.",
    clauses: ["DV-2", "DP-1", "P5", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    classes: [aws.eks.Cluster],
    remediationSteps: 'Set `encryptionConfig: { resources: ["secrets"], provider: { keyArn: <customer-managed KMS key ARN> } }` (it cannot be removed once enabled).',
    url: "https://docs.aws.amazon.com/eks/latest/userguide/envelope-encryption.html",
    onUnknown: "Reports nothing when `encryptionConfig`, its resource list or its key ARN is unknown at preview; checked again at update.",
    check({ props }): Finding[] {
        const cfg = props.encryptionConfig;
        if (cfg === UNKNOWN) return [];
        if (cfg === undefined || cfg === null) return [{ message: "encryptionConfig is not set to a customer-managed key; Kubernetes secrets are not envelope-encrypted with your key" }];
        const findings: Finding[] = [];
        const resources = get(cfg, "resources");
        if (resources !== UNKNOWN && !(Array.isArray(resources) && (resources.includes("secrets") || resources.includes(UNKNOWN)))) {
            findings.push({ message: 'encryptionConfig.resources does not contain "secrets"' });
        }
        if (isKnownMissingKey(get(cfg, "provider", "keyArn"))) findings.push({ message: "encryptionConfig.provider.keyArn is not set to a customer-managed key" });
        return findings;
    },
});
