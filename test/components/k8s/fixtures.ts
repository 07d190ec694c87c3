/**
 * Minimal valid instantiations of the Kubernetes-side components (and the EKS cluster), for their
 * own tests and the components x rules matrix. Builders take overrides of the Args so a test flips
 * one switch. `modelServing()` builds what the pack needs to judge a model namespace: the
 * namespace and the admission webhook that covers it.
 */
import { generateKeyPairSync } from "node:crypto";
import { InferenceCluster, type InferenceClusterArgs } from "../../../components/aws/eks-cluster";
import type { AssetTags } from "../../../components/aws/tags";
import { ImageAdmissionWebhook, type ImageAdmissionWebhookArgs } from "../../../components/k8s/image-admission-webhook";
import { ModelNamespace, type ModelNamespaceArgs } from "../../../components/k8s/model-namespace";
import type { TrustPolicyArgs } from "../../../components/k8s/trust-policy";

export const TAGS: AssetTags = { owner: "ml-platform@example.com", dataClassification: "confidential" };
export const ADMIN = "arn:aws:iam::123456789012:role/platform-admin";
export const WEBHOOK_IMAGE = `123456789012.dkr.ecr.eu-west-2.amazonaws.com/aiguard/admission@sha256:${"c0ffee00".repeat(8)}`;
export const MODEL_REGISTRY = "123456789012.dkr.ecr.eu-west-2.amazonaws.com/models/**";

/** A fresh ECDSA P-256 public key in SPKI PEM (what `cosign generate-key-pair` writes to cosign.pub). */
export function publicKeyPem(): string {
    return generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ type: "spki", format: "pem" }).toString();
}

/** One enforce rule for the model registry, one key authority (no tlog: private signing). */
export function trustPolicy(pem: string = publicKeyPem(), images: readonly string[] = [MODEL_REGISTRY]): TrustPolicyArgs {
    return {
        policies: [{
            name: "models",
            images,
            authorities: [{ name: "release-key", key: { pem, ignoreTlog: true } }],
        }],
    };
}

export const Names = { cluster: "mx-eks", namespace: "mx-models", webhook: "mx-admission" } as const;

type Overrides<T> = Partial<{ -readonly [K in keyof T]: T[K] }>;

export function clusterArgs(o: Overrides<InferenceClusterArgs> = {}): InferenceClusterArgs {
    return {
        assetTags: TAGS,
        vpcId: "vpc-0inference",
        subnetIds: ["subnet-0aaa", "subnet-0bbb"],
        apiClientCidrs: ["10.30.0.0/16"],
        adminRoleArns: [ADMIN],
        keyAdministratorArns: [ADMIN],
        ...o,
    };
}

export function cluster(o: Overrides<InferenceClusterArgs> = {}): InferenceCluster {
    return new InferenceCluster(Names.cluster, clusterArgs(o));
}

export function modelNamespaceArgs(o: ModelNamespaceArgs = {}): ModelNamespaceArgs {
    return {
        namespace: "models",
        ingress: { peers: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "gateway" } } }] },
        modelStoreEgress: { cidrs: ["10.30.0.0/16"] },
        ...o,
    };
}

export function modelNamespace(o: ModelNamespaceArgs = {}): ModelNamespace {
    return new ModelNamespace(Names.namespace, modelNamespaceArgs(o));
}

export function webhookArgs(o: Overrides<ImageAdmissionWebhookArgs> = {}): ImageAdmissionWebhookArgs {
    return { image: WEBHOOK_IMAGE, trustPolicy: trustPolicy(), ...o };
}

export function webhook(o: Overrides<ImageAdmissionWebhookArgs> = {}): ImageAdmissionWebhook {
    return new ImageAdmissionWebhook(Names.webhook, webhookArgs(o));
}

/** A model namespace and the webhook that covers it: the unit the pack's namespace rules judge. */
export function modelServing(o: { namespace?: ModelNamespaceArgs; webhook?: Overrides<ImageAdmissionWebhookArgs> } = {}): void {
    modelNamespace(o.namespace);
    webhook(o.webhook);
}
