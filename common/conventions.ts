/**
 * The tagging contract between aiguard's components and its policy pack.
 *
 * The pack decides which resources are "AI" resources (and therefore governed) from these tags;
 * the components put them on every resource they create. Users of the pack who do not use the
 * components tag their own resources the same way, or change the keys through the pack's config.
 * This module has no dependencies so that both sides (and the compiled pack) can import it.
 */

/** Tag keys aiguard reads and writes. */
export const TagKeys = {
    /** Team or person accountable for the asset (DV-2 / P5 inventory). */
    owner: "aiguard:owner",
    /** Data classification of what the asset holds or processes. */
    dataClassification: "aiguard:data-classification",
    /** What kind of AI asset this is (one of {@link AssetKinds}). */
    assetKind: "aiguard:asset-kind",
    /** Which segregated network a network resource belongs to (one of {@link NetworkRoles}). */
    networkRole: "aiguard:network-role",
    /** `"true"` on stores that hold released (signed-off) models: they need object lock. */
    releasedModels: "aiguard:released-models",
    /** `"excluded"` takes the resource out of the pack's scope; only with {@link TagKeys.scopeJustification}. */
    scope: "aiguard:scope",
    /** Why the resource is out of scope (at least 20 characters); listed in every report. */
    scopeJustification: "aiguard:scope-justification",
} as const;
export type TagKey = (typeof TagKeys)[keyof typeof TagKeys];

/** The classification levels a caller may give. */
export const DataClassifications = {
    public: "public",
    internal: "internal",
    confidential: "confidential",
    restricted: "restricted",
} as const;
export type DataClassification = (typeof DataClassifications)[keyof typeof DataClassifications];

/** Asset kinds. Stores of these kinds are "AI data stores" for the pack's storage rules. */
export const AssetKinds = {
    modelStore: "model-store",
    datasetStore: "dataset-store",
    inferenceCapture: "inference-capture",
    accessLogs: "access-logs",
    auditLogs: "audit-logs",
    network: "network",
    encryptionKey: "encryption-key",
    role: "role",
    backup: "backup",
    notebook: "notebook",
    trainingJob: "training-job",
    model: "model",
    endpoint: "endpoint",
    cluster: "cluster",
    registry: "registry",
    monitoring: "monitoring",
} as const;
export type AssetKind = (typeof AssetKinds)[keyof typeof AssetKinds];

/** Asset kinds whose S3 buckets hold models, training data or captured inference data. */
export const AI_DATA_STORE_KINDS: readonly AssetKind[] = [
    AssetKinds.modelStore,
    AssetKinds.datasetStore,
    AssetKinds.inferenceCapture,
];

/** Kubernetes labels aiguard reads and writes. */
export const Labels = {
    /**
     * `"true"` on namespaces that serve or train models: the webhook's namespace selector, the
     * components' `ModelNamespace` and the pack's Kubernetes rules all key on it.
     */
    modelServing: "aiguard.io/model-serving",
    /** `"excluded"` takes the object out of the pack's scope; only with the justification annotation. */
    scope: "aiguard.io/scope",
} as const;

/** Kubernetes annotations aiguard reads. */
export const Annotations = {
    /** Why the object is out of scope (at least 20 characters); listed in every report. */
    scopeJustification: "aiguard.io/scope-justification",
} as const;

/** The value of the scope tag or label that takes a resource out of scope. */
export const SCOPE_EXCLUDED = "excluded";
/** The shortest justification accepted for an exclusion or an exemption. */
export const MIN_JUSTIFICATION_LENGTH = 20;

/** The two segregated networks of an AI platform (DP-1 / P6). */
export const NetworkRoles = {
    training: "training",
    inference: "inference",
} as const;
export type NetworkRole = (typeof NetworkRoles)[keyof typeof NetworkRoles];
