/** Compliant Kubernetes fixtures (stack outputs) for the k8s rule tests. */
import type { RuleResource } from "../../../policies/framework/rule";
import { DIGEST, ECR, res } from "../support";

export const NS = "kubernetes:core/v1:Namespace";
export const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
export const CRONJOB = "kubernetes:batch/v1:CronJob";
export const POD = "kubernetes:core/v1:Pod";
export const NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
export const VWC = "kubernetes:admissionregistration.k8s.io/v1:ValidatingWebhookConfiguration";
export const IMAGE = `${ECR}/models/server@${DIGEST}`;

export const hardenedContainer = (name: string) => ({
    name,
    image: IMAGE,
    resources: { limits: { cpu: "2", memory: "8Gi" }, requests: { cpu: "1", memory: "4Gi" } },
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
});

export const podSpec = () => ({
    securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
    containers: [hardenedContainer("server")],
    initContainers: [hardenedContainer("fetch-model")],
    volumes: [{ name: "tmp", emptyDir: {} }],
});

export const modelNamespace = (name = "models") =>
    res(NS, name, { metadata: { name, labels: { "aiguard.io/model-serving": "true", "pod-security.kubernetes.io/enforce": "restricted" } } });

export const deployment = (name = "server", namespace = "models") =>
    res(DEPLOYMENT, name, { metadata: { name, namespace }, spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: podSpec() } } });

export const cronJob = (name = "retrain", namespace = "models") =>
    res(CRONJOB, name, { metadata: { name, namespace }, spec: { schedule: "0 3 * * *", jobTemplate: { spec: { template: { spec: { ...podSpec(), restartPolicy: "Never" } } } } } });

export const defaultDeny = (namespace = "models") =>
    res(NETPOL, `deny-${namespace}`, { metadata: { name: "default-deny", namespace }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } });

export const webhook = () =>
    res(VWC, "image-admission", {
        metadata: { name: "aiguard-image-admission" },
        webhooks: [
            {
                name: "images.aiguard.io",
                failurePolicy: "Fail",
                sideEffects: "None",
                admissionReviewVersions: ["v1"],
                clientConfig: { service: { name: "aiguard-webhook", namespace: "aiguard-system", path: "/validate" } },
                namespaceSelector: { matchLabels: { "aiguard.io/model-serving": "true" } },
                rules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods", "pods/ephemeralcontainers"], scope: "Namespaced" }],
            },
        ],
    });

/** A compliant model-serving stack. */
export const k8sStack = (): RuleResource[] => [modelNamespace(), deployment(), cronJob(), defaultDeny(), webhook()];
