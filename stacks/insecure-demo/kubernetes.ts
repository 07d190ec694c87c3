/**
 * The demo's Kubernetes side, declared the way teams get it wrong: a model-serving namespace at
 * Pod Security "baseline", with an allow-policy but no default-deny NetworkPolicy, an image
 * admission webhook that fails open, and a privileged model server from Docker Hub by tag, on the
 * host network, mounting a host path, as root, with no resource limits.
 */
import * as k8s from "@pulumi/kubernetes";
import { DOCKER_HUB_IMAGE } from "./ml-services";

/** The model-serving namespace (labelled with the pack's default `modelNamespaceLabel`). */
export const MODEL_NAMESPACE = "models";

export function buildKubernetes(): void {
    const ns = new k8s.core.v1.Namespace("models-ns", {
        metadata: {
            name: MODEL_NAMESPACE,
            labels: { "aiguard.io/model-serving": "true", "pod-security.kubernetes.io/enforce": "baseline" },
        },
    });
    new k8s.networking.v1.NetworkPolicy("allow-gateway", {
        metadata: { name: "allow-gateway", namespace: MODEL_NAMESPACE },
        spec: {
            podSelector: { matchLabels: { app: "sentiment" } },
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "gateway" } } }] }],
        },
    }, { dependsOn: [ns] });
    // Registered, but fails open: when the verifier is down, unsigned images run.
    new k8s.admissionregistration.v1.ValidatingWebhookConfiguration("image-policy", {
        metadata: { name: "image-policy" },
        webhooks: [{
            name: "images.example.com",
            admissionReviewVersions: ["v1"],
            sideEffects: "None",
            failurePolicy: "Ignore",
            clientConfig: { url: "https://image-policy.example.com/validate" },
            rules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"] }],
            namespaceSelector: { matchLabels: { "aiguard.io/model-serving": "true" } },
        }],
    });
    new k8s.apps.v1.Deployment("sentiment-server", {
        metadata: { name: "sentiment-server", namespace: MODEL_NAMESPACE },
        spec: {
            replicas: 2,
            selector: { matchLabels: { app: "sentiment" } },
            template: {
                metadata: { labels: { app: "sentiment" } },
                spec: {
                    hostNetwork: true,
                    containers: [{
                        name: "server",
                        image: DOCKER_HUB_IMAGE,
                        ports: [{ containerPort: 8080 }],
                        securityContext: {
                            privileged: true,
                            allowPrivilegeEscalation: true,
                            runAsUser: 0,
                            capabilities: { add: ["SYS_ADMIN"] },
                        },
                        volumeMounts: [{ name: "docker-sock", mountPath: "/var/run/docker.sock" }],
                    }],
                    volumes: [{ name: "docker-sock", hostPath: { path: "/var/run/docker.sock" } }],
                },
            },
        },
    }, { dependsOn: [ns] });
}
