/**
 * The controls besides the pack's rules that serve each clause: aiguard's hardened components
 * (secure by default, so a platform built from them complies before any rule runs) and the image
 * admission webhook. Each entry names the file whose header states its clauses;
 * test/cli/controls.test.ts checks that the header cites every clause listed here.
 */
export interface Control {
    readonly name: string;
    readonly kind: "component" | "admission";
    /** Repository path of the file that defines it. */
    readonly path: string;
    readonly summary: string;
    readonly clauses: readonly string[];
}

export const CONTROLS: readonly Control[] = [
    { name: "AiNetworks", kind: "component", path: "components/aws/network.ts", summary: "segregated training and inference VPCs, private endpoints, flow logs", clauses: ["DP-1", "P6", "OM-1", "P12"] },
    { name: "ModelStore", kind: "component", path: "components/aws/model-store.ts", summary: "KMS-encrypted, versioned, locked model and dataset stores", clauses: ["DV-2", "P5", "DP-3", "P13"] },
    { name: "EncryptionKey", kind: "component", path: "components/aws/encryption-key.ts", summary: "customer-managed KMS keys with rotation and scoped key policies", clauses: ["DV-2", "P5", "P13"] },
    { name: "SageMakerRoles", kind: "component", path: "components/aws/ml-roles.ts", summary: "separate least-privilege training and inference roles", clauses: ["DP-1", "P6"] },
    { name: "OfflineBackups", kind: "component", path: "components/aws/backup.ts", summary: "compliance-locked vault with air-gapped copies", clauses: ["DP-3", "P5", "P6"] },
    { name: "AuditTrail", kind: "component", path: "components/aws/audit.ts", summary: "multi-region, validated, encrypted CloudTrail with tamper alarms", clauses: ["OM-1", "OM-2", "P12", "DV-2"] },
    { name: "TrainingWorkspace", kind: "component", path: "components/aws/sagemaker-training.ts", summary: "notebook in the training network, no internet, no root", clauses: ["DP-1", "P6", "DV-2"] },
    { name: "InferenceEndpoint", kind: "component", path: "components/aws/sagemaker-inference.ts", summary: "network-isolated endpoint, digest-pinned image, input capture", clauses: ["DP-2", "DP-1", "OM-2", "P12", "DV-3"] },
    { name: "InferenceCluster", kind: "component", path: "components/aws/eks-cluster.ts", summary: "private EKS with audit logs, secrets encryption, supported version", clauses: ["DP-1", "P6", "OM-1", "OM-2", "P12", "OM-3", "P11", "DV-2", "P5"] },
    { name: "ModelNamespace", kind: "component", path: "components/k8s/model-namespace.ts", summary: "restricted Pod Security, default-deny NetworkPolicies, admission label", clauses: ["DP-1", "SD-3", "DP-5", "P2", "P6", "DP-2", "P8"] },
    { name: "ImageAdmissionWebhook", kind: "component", path: "components/k8s/image-admission-webhook.ts", summary: "deploys the webhook, failing closed, for model namespaces", clauses: ["DP-2", "DV-1", "DV-3", "DP-4", "P7", "P8", "P9"] },
    { name: "image admission webhook", kind: "admission", path: "admission-webhook/cli.ts", summary: "rejects model images not pinned by digest and signed by a trusted authority", clauses: ["DP-2", "DV-1", "P7"] },
];

/**
 * Why each organisational clause is beyond infrastructure code, in plain words. Clauses marked
 * not enforceable in common/clauses.ts must have an entry (checked by test/cli/matrix.test.ts).
 */
export const NOT_ENFORCEABLE: Readonly<Record<string, string>> = {
    "SD-1": "Staff awareness is built by training people. No resource setting can show that anyone was trained.",
    P1: "Staff awareness is built by training people. No resource setting can show that anyone was trained.",
    "SD-2": "Threat modelling is a design activity done by people. aiguard enforces many mitigations a threat model calls for, but it cannot do or check the modelling itself.",
    P3: "Evaluating threats and managing risks is a judgement made by people, and it is recorded in documents, not in infrastructure. aiguard enforces controls that treat common risks; it cannot show that the risks were assessed.",
    "SD-4": "Choosing a model, an architecture, hyperparameters or external APIs is an engineering decision made before any infrastructure exists.",
    "DV-4": "Managing technical debt and planning decommissioning are planning work. aiguard does enforce the disposal controls (deletion windows, lifecycle expiry, P13); the plans themselves are not in the infrastructure.",
    "OM-4": "Collecting lessons learned and running vulnerability disclosure are processes between people and organisations.",
    P4: "Human responsibility means named people who are accountable and who oversee the system. The owner tag (DV-2/P5) records an accountable team, but it cannot show that oversight happens.",
    P10: "Communicating with end users and affected parties is done through processes and documents, not infrastructure.",
};
