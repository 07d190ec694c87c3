/**
 * The service rules: SageMaker, Bedrock, ECR, EKS, EC2 hosts, Secrets Manager, ECS, SNS/SQS/OpenSearch
 * resource policies, AWS Backup and Kubernetes workloads/namespaces.
 * One rule per file under `aws/<service>/` and `k8s/`; this list fixes their order in the pack.
 */
import type { Rule } from "../framework/rule";
import { backupPlanConfigureAirGappedCopy } from "./aws/backup/plan-configure-air-gapped-copy";
import { backupSelectionMissingAiDataStore } from "./aws/backup/selection-missing-ai-data-store";
import { backupVaultEnforceComplianceLock } from "./aws/backup/vault-enforce-compliance-lock";
import { backupVaultMissingKmsKey } from "./aws/backup/vault-missing-kms-key";
import { bedrockAgentMissingGuardrail } from "./aws/bedrock/agentagent-missing-guardrail";
import { bedrockAgentMissingKmsKey } from "./aws/bedrock/agentagent-missing-kms-key";
import { bedrockCustomModelMissingKmsKey } from "./aws/bedrock/custommodel-missing-kms-key";
import { bedrockGuardrailMissingKmsKey } from "./aws/bedrock/guardrail-missing-kms-key";
import { bedrockInvocationLoggingEnableDataDelivery } from "./aws/bedrockmodel/invocationloggingconfiguration-enable-data-delivery";
import { bedrockInvocationLoggingMissingEncryptedDestination } from "./aws/bedrockmodel/invocationloggingconfiguration-missing-encrypted-destination";
import { ec2InstanceDisallowTrainingPublicIp } from "./aws/ec2/instance-disallow-training-public-ip";
import { ec2InstanceEnforceEncryptedVolumes } from "./aws/ec2/instance-enforce-encrypted-volumes";
import { ec2InstanceEnforceImdsV2 } from "./aws/ec2/instance-enforce-imdsv2";
import { ecsServiceDisallowPublicIp } from "./aws/ecs/service-disallow-public-ip";
import { ecsTaskDefinitionDisallowPlaintextSecrets } from "./aws/ecs/taskdefinition-disallow-plaintext-secrets";
import { ecsTaskDefinitionDisallowUnapprovedRegistry } from "./aws/ecs/taskdefinition-disallow-unapproved-registry";
import { ecsTaskDefinitionEnforceImageDigest } from "./aws/ecs/taskdefinition-enforce-image-digest";
import { ecrRepositoryDisallowPublicPolicy } from "./aws/ecr/repository-disallow-public-policy";
import { opensearchDomainDisallowPublicPolicy } from "./aws/opensearch/domain-disallow-public-policy";
import { secretsmanagerSecretMissingKmsKey } from "./aws/secretsmanager/secret-missing-kms-key";
import { snsTopicDisallowPublicPolicy } from "./aws/sns/topic-disallow-public-policy";
import { sqsQueueDisallowPublicPolicy } from "./aws/sqs/queue-disallow-public-policy";
import { ecrRepositoryEnableScanOnPush } from "./aws/ecr/repository-enable-scan-on-push";
import { ecrRepositoryEnforceImmutableTags } from "./aws/ecr/repository-enforce-immutable-tags";
import { ecrRepositoryMissingKmsKey } from "./aws/ecr/repository-missing-kms-key";
import { eksClusterDisallowPublicEndpoint } from "./aws/eks/cluster-disallow-public-endpoint";
import { eksClusterEnableAuditLogging } from "./aws/eks/cluster-enable-audit-logging";
import { eksClusterEnforceSupportedVersion } from "./aws/eks/cluster-enforce-supported-version";
import { eksClusterMissingSecretsEncryption } from "./aws/eks/cluster-missing-secrets-encryption";
import { eksNodeGroupDisallowPublicRemoteAccess } from "./aws/eks/nodegroup-disallow-public-remote-access";
import { ec2LaunchTemplateEnforceEncryptedVolumes } from "./aws/ec2/launchtemplate-enforce-encrypted-volumes";
import { ec2LaunchTemplateEnforceImdsV2 } from "./aws/ec2/launchtemplate-enforce-imdsv2";
import { kubernetesNamespaceEnforcePodSecurityRestricted } from "./kubernetes/core/namespace-enforce-pod-security-restricted";
import { kubernetesNetworkPolicyMissingDefaultDeny } from "./kubernetes/networking/networkpolicy-missing-default-deny";
import { kubernetesPodDisallowHostNamespaces } from "./kubernetes/core/pod-disallow-host-namespaces";
import { kubernetesPodDisallowHostPath } from "./kubernetes/core/pod-disallow-host-path";
import { kubernetesPodDisallowPrivilegeEscalation } from "./kubernetes/core/pod-disallow-privilege-escalation";
import { kubernetesPodDisallowPrivileged } from "./kubernetes/core/pod-disallow-privileged";
import { kubernetesPodDisallowUnapprovedRegistry } from "./kubernetes/core/pod-disallow-unapproved-registry";
import { kubernetesPodEnforceDropAllCapabilities } from "./kubernetes/core/pod-enforce-drop-all-capabilities";
import { kubernetesPodEnforceImageDigest } from "./kubernetes/core/pod-enforce-image-digest";
import { kubernetesPodEnforceReadOnlyRootFilesystem } from "./kubernetes/core/pod-enforce-read-only-root-filesystem";
import { kubernetesPodEnforceRunAsNonRoot } from "./kubernetes/core/pod-enforce-run-as-non-root";
import { kubernetesPodMissingResourceLimits } from "./kubernetes/core/pod-missing-resource-limits";
import { kubernetesValidatingWebhookMissingImageAdmission } from "./kubernetes/admissionregistration/validatingwebhookconfiguration-missing-image-admission";
import { sagemakerDomainDisallowRootAccess } from "./aws/sagemaker/domain-disallow-root-access";
import { sagemakerDomainEnforceVpcOnly } from "./aws/sagemaker/domain-enforce-vpc-only";
import { sagemakerDomainMissingKmsKey } from "./aws/sagemaker/domain-missing-kms-key";
import { sagemakerDomainMissingSecurityGroups } from "./aws/sagemaker/domain-missing-security-groups";
import { sagemakerEndpointConfigEnableDataCapture } from "./aws/sagemaker/endpointconfiguration-enable-data-capture";
import { sagemakerEndpointConfigMissingKmsKey } from "./aws/sagemaker/endpointconfiguration-missing-kms-key";
import { sagemakerModelDisallowUnapprovedRegistry } from "./aws/sagemaker/model-disallow-unapproved-registry";
import { sagemakerModelEnableNetworkIsolation } from "./aws/sagemaker/model-enable-network-isolation";
import { sagemakerModelEnforceImageDigest } from "./aws/sagemaker/model-enforce-image-digest";
import { sagemakerModelMissingVpcConfig } from "./aws/sagemaker/model-missing-vpc-config";
import { sagemakerNotebookDisableDirectInternetAccess } from "./aws/sagemaker/notebookinstance-disable-direct-internet-access";
import { sagemakerNotebookDisableRootAccess } from "./aws/sagemaker/notebookinstance-disable-root-access";
import { sagemakerNotebookEnforceImdsV2 } from "./aws/sagemaker/notebookinstance-enforce-imdsv2";
import { sagemakerNotebookMissingKmsKey } from "./aws/sagemaker/notebookinstance-missing-kms-key";
import { sagemakerNotebookMissingSubnet } from "./aws/sagemaker/notebookinstance-missing-subnet";
import { sagemakerTrainingJobDisallowUnapprovedRegistry } from "./aws/sagemaker/trainingjob-disallow-unapproved-registry";
import { sagemakerTrainingJobEnableInterContainerEncryption } from "./aws/sagemaker/trainingjob-enable-inter-container-encryption";
import { sagemakerTrainingJobEnableNetworkIsolation } from "./aws/sagemaker/trainingjob-enable-network-isolation";
import { sagemakerTrainingJobEnforceImageDigest } from "./aws/sagemaker/trainingjob-enforce-image-digest";
import { sagemakerTrainingJobMissingKmsKey } from "./aws/sagemaker/trainingjob-missing-kms-key";
import { sagemakerTrainingJobMissingVpcConfig } from "./aws/sagemaker/trainingjob-missing-vpc-config";

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
    ecrRepositoryDisallowPublicPolicy,
    // EKS
    eksClusterEnableAuditLogging,
    eksClusterDisallowPublicEndpoint,
    eksClusterMissingSecretsEncryption,
    eksClusterEnforceSupportedVersion,
    eksNodeGroupDisallowPublicRemoteAccess,
    ec2LaunchTemplateEnforceImdsV2,
    ec2LaunchTemplateEnforceEncryptedVolumes,
    // EC2 hosts, secrets, and the resource policies of the data path
    ec2InstanceEnforceImdsV2,
    ec2InstanceEnforceEncryptedVolumes,
    ec2InstanceDisallowTrainingPublicIp,
    secretsmanagerSecretMissingKmsKey,
    // ECS
    ecsTaskDefinitionEnforceImageDigest,
    ecsTaskDefinitionDisallowUnapprovedRegistry,
    ecsTaskDefinitionDisallowPlaintextSecrets,
    ecsServiceDisallowPublicIp,
    snsTopicDisallowPublicPolicy,
    sqsQueueDisallowPublicPolicy,
    opensearchDomainDisallowPublicPolicy,
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
