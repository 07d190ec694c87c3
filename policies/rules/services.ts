/**
 * The service rules: SageMaker, Bedrock, ECR, EKS, AWS Backup and Kubernetes workloads/namespaces.
 * One rule per file under `aws/<service>/` and `k8s/`; this list fixes their order in the pack.
 */
import type { Rule } from "../framework/rule";
import { backupPlanConfigureAirGappedCopy } from "./aws/backup/plan-air-gapped-copy";
import { backupSelectionMissingAiDataStore } from "./aws/backup/selection-ai-data-stores";
import { backupVaultEnforceComplianceLock } from "./aws/backup/vault-compliance-lock";
import { backupVaultMissingKmsKey } from "./aws/backup/vault-kms-key";
import { bedrockAgentMissingGuardrail } from "./aws/bedrock/agent-guardrail";
import { bedrockAgentMissingKmsKey } from "./aws/bedrock/agent-kms-key";
import { bedrockCustomModelMissingKmsKey } from "./aws/bedrock/custom-model-kms-key";
import { bedrockGuardrailMissingKmsKey } from "./aws/bedrock/guardrail-kms-key";
import { bedrockInvocationLoggingEnableDataDelivery } from "./aws/bedrock/invocation-logging-delivery";
import { bedrockInvocationLoggingMissingEncryptedDestination } from "./aws/bedrock/invocation-logging-encryption";
import { ecrRepositoryEnableScanOnPush } from "./aws/ecr/repository-scan-on-push";
import { ecrRepositoryEnforceImmutableTags } from "./aws/ecr/repository-immutable-tags";
import { ecrRepositoryMissingKmsKey } from "./aws/ecr/repository-kms-key";
import { eksClusterDisallowPublicEndpoint } from "./aws/eks/cluster-public-endpoint";
import { eksClusterEnableAuditLogging } from "./aws/eks/cluster-audit-logging";
import { eksClusterEnforceSupportedVersion } from "./aws/eks/cluster-supported-version";
import { eksClusterMissingSecretsEncryption } from "./aws/eks/cluster-secrets-encryption";
import { kubernetesNamespaceEnforcePodSecurityRestricted } from "./k8s/namespace-pod-security";
import { kubernetesNetworkPolicyMissingDefaultDeny } from "./k8s/namespace-default-deny";
import { kubernetesPodDisallowHostNamespaces } from "./k8s/host-namespaces";
import { kubernetesPodDisallowHostPath } from "./k8s/host-path";
import { kubernetesPodDisallowPrivilegeEscalation } from "./k8s/privilege-escalation";
import { kubernetesPodDisallowPrivileged } from "./k8s/privileged";
import { kubernetesPodDisallowUnapprovedRegistry } from "./k8s/image-registry";
import { kubernetesPodEnforceDropAllCapabilities } from "./k8s/drop-capabilities";
import { kubernetesPodEnforceImageDigest } from "./k8s/image-digest";
import { kubernetesPodEnforceReadOnlyRootFilesystem } from "./k8s/read-only-root-filesystem";
import { kubernetesPodEnforceRunAsNonRoot } from "./k8s/run-as-non-root";
import { kubernetesPodMissingResourceLimits } from "./k8s/resource-limits";
import { kubernetesValidatingWebhookMissingImageAdmission } from "./k8s/namespace-image-admission";
import { sagemakerDomainDisallowRootAccess } from "./aws/sagemaker/domain-root-access";
import { sagemakerDomainEnforceVpcOnly } from "./aws/sagemaker/domain-vpc-only";
import { sagemakerDomainMissingKmsKey } from "./aws/sagemaker/domain-kms-key";
import { sagemakerDomainMissingSecurityGroups } from "./aws/sagemaker/domain-security-groups";
import { sagemakerEndpointConfigEnableDataCapture } from "./aws/sagemaker/endpoint-config-data-capture";
import { sagemakerEndpointConfigMissingKmsKey } from "./aws/sagemaker/endpoint-config-kms-key";
import { sagemakerModelDisallowUnapprovedRegistry } from "./aws/sagemaker/model-image-registry";
import { sagemakerModelEnableNetworkIsolation } from "./aws/sagemaker/model-network-isolation";
import { sagemakerModelEnforceImageDigest } from "./aws/sagemaker/model-image-digest";
import { sagemakerModelMissingVpcConfig } from "./aws/sagemaker/model-vpc-config";
import { sagemakerNotebookDisableDirectInternetAccess } from "./aws/sagemaker/notebook-direct-internet-access";
import { sagemakerNotebookDisableRootAccess } from "./aws/sagemaker/notebook-root-access";
import { sagemakerNotebookEnforceImdsV2 } from "./aws/sagemaker/notebook-imds-v2";
import { sagemakerNotebookMissingKmsKey } from "./aws/sagemaker/notebook-kms-key";
import { sagemakerNotebookMissingSubnet } from "./aws/sagemaker/notebook-subnet";
import { sagemakerTrainingJobDisallowUnapprovedRegistry } from "./aws/sagemaker/training-job-image-registry";
import { sagemakerTrainingJobEnableInterContainerEncryption } from "./aws/sagemaker/training-job-inter-container-encryption";
import { sagemakerTrainingJobEnableNetworkIsolation } from "./aws/sagemaker/training-job-network-isolation";
import { sagemakerTrainingJobEnforceImageDigest } from "./aws/sagemaker/training-job-image-digest";
import { sagemakerTrainingJobMissingKmsKey } from "./aws/sagemaker/training-job-kms-key";
import { sagemakerTrainingJobMissingVpcConfig } from "./aws/sagemaker/training-job-vpc-config";

export const SERVICE_RULES: Rule[] = [
    // SageMaker
    sagemakerDomainMissingKmsKey,
    sagemakerDomainDisallowRootAccess,
    sagemakerDomainMissingSecurityGroups,
    sagemakerDomainEnforceVpcOnly,
    sagemakerEndpointConfigEnableDataCapture,
    sagemakerEndpointConfigMissingKmsKey,
    sagemakerModelEnforceImageDigest,
    sagemakerModelDisallowUnapprovedRegistry,
    sagemakerModelEnableNetworkIsolation,
    sagemakerModelMissingVpcConfig,
    sagemakerNotebookDisableDirectInternetAccess,
    sagemakerNotebookMissingKmsKey,
    sagemakerNotebookDisableRootAccess,
    sagemakerNotebookEnforceImdsV2,
    sagemakerNotebookMissingSubnet,
    sagemakerTrainingJobEnforceImageDigest,
    sagemakerTrainingJobDisallowUnapprovedRegistry,
    sagemakerTrainingJobEnableInterContainerEncryption,
    sagemakerTrainingJobMissingKmsKey,
    sagemakerTrainingJobEnableNetworkIsolation,
    sagemakerTrainingJobMissingVpcConfig,
    // Bedrock
    bedrockAgentMissingGuardrail,
    bedrockAgentMissingKmsKey,
    bedrockCustomModelMissingKmsKey,
    bedrockGuardrailMissingKmsKey,
    bedrockInvocationLoggingEnableDataDelivery,
    bedrockInvocationLoggingMissingEncryptedDestination,
    // ECR
    ecrRepositoryEnforceImmutableTags,
    ecrRepositoryMissingKmsKey,
    ecrRepositoryEnableScanOnPush,
    // EKS
    eksClusterEnableAuditLogging,
    eksClusterDisallowPublicEndpoint,
    eksClusterMissingSecretsEncryption,
    eksClusterEnforceSupportedVersion,
    // AWS Backup
    backupPlanConfigureAirGappedCopy,
    backupSelectionMissingAiDataStore,
    backupVaultEnforceComplianceLock,
    backupVaultMissingKmsKey,
    // Kubernetes
    kubernetesPodEnforceDropAllCapabilities,
    kubernetesPodDisallowHostNamespaces,
    kubernetesPodDisallowHostPath,
    kubernetesPodEnforceImageDigest,
    kubernetesPodDisallowUnapprovedRegistry,
    kubernetesNetworkPolicyMissingDefaultDeny,
    kubernetesValidatingWebhookMissingImageAdmission,
    kubernetesNamespaceEnforcePodSecurityRestricted,
    kubernetesPodDisallowPrivilegeEscalation,
    kubernetesPodDisallowPrivileged,
    kubernetesPodEnforceReadOnlyRootFilesystem,
    kubernetesPodMissingResourceLimits,
    kubernetesPodEnforceRunAsNonRoot,
];
