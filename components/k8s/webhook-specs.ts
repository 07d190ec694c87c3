/**
 * Pure builders for {@link ImageAdmissionWebhook}: the admission rules, the namespace selector, the
 * server arguments and the hardened pod spec. Exported for table tests.
 */
import type * as k8s from "@pulumi/kubernetes";
import { tryParseReference } from "../../common/image-reference";
import { type LabelMatch, NAMESPACE_NAME_LABEL } from "./labels";

/** Where the ConfigMap and the TLS Secret are mounted in the webhook container. */
export const POLICY_DIR = "/etc/aiguard/policy";
export const TLS_DIR = "/etc/aiguard/tls";
/** The HTTPS port the server listens on (non-root, so above 1024); the Service maps 443 to it. */
export const WEBHOOK_PORT = 8443;
/** The distroless `nonroot` user. */
export const NONROOT_UID = 65532;
/** Time kept between the server's decision deadline and the API server's webhook timeout. */
export const DEADLINE_MARGIN_MS = 2000;
/** Graceful shutdown: keep serving (unready) for this long so endpoints drop the pod, then drain. */
export const SHUTDOWN_DELAY_MS = 5000;
export const SHUTDOWN_GRACE_MS = 20000;

/**
 * Every API that creates or changes a pod template, with its group and version, for CREATE and
 * UPDATE (`pods/ephemeralcontainers` is how `kubectl debug` adds containers to a running pod).
 */
export function admissionRules(): k8s.types.input.admissionregistration.v1.RuleWithOperations[] {
    const rule = (apiGroups: string[], resources: string[]) => ({
        apiGroups,
        apiVersions: ["v1"],
        operations: ["CREATE", "UPDATE"],
        resources,
        scope: "Namespaced",
    });
    return [
        rule([""], ["pods", "pods/ephemeralcontainers", "replicationcontrollers"]),
        rule(["apps"], ["deployments", "replicasets", "statefulsets", "daemonsets"]),
        rule(["batch"], ["jobs", "cronjobs"]),
    ];
}

/**
 * Namespaces whose requests reach the webhook: those with the model-serving label, and never
 * kube-system or the webhook's own namespace (or any other listed), so the webhook can never lock
 * out the control plane or its own restart.
 */
export function admissionNamespaceSelector(label: LabelMatch, excluded: readonly string[]): k8s.types.input.meta.v1.LabelSelector {
    return {
        matchLabels: { [label.key]: label.value },
        matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: "NotIn", values: [...new Set(["kube-system", ...excluded])] }],
    };
}

/** The decision deadline for an API-server timeout: `timeoutSeconds` minus {@link DEADLINE_MARGIN_MS}. */
export function deadlineMs(timeoutSeconds: number): number {
    return timeoutSeconds * 1000 - DEADLINE_MARGIN_MS;
}

/**
 * `aiguard-admission serve` arguments for the mounted policy and certificate. `ecrCredentials`:
 * `auto` when the webhook has an AWS identity for ECR (`ecrAccess`), else `off` (no AWS calls;
 * ECR images then need pull secrets). Default `off`.
 */
export function serverArgs(timeoutSeconds: number, logLevel: string, ecrCredentials: "auto" | "off" = "off"): string[] {
    return [
        "serve",
        "--policy", POLICY_DIR,
        "--tls-cert", `${TLS_DIR}/tls.crt`,
        "--tls-key", `${TLS_DIR}/tls.key`,
        "--port", String(WEBHOOK_PORT),
        "--deadline-ms", String(deadlineMs(timeoutSeconds)),
        "--shutdown-delay-ms", String(SHUTDOWN_DELAY_MS),
        "--shutdown-grace-ms", String(SHUTDOWN_GRACE_MS),
        "--ecr-credentials", ecrCredentials,
        "--log-level", logLevel,
    ];
}

/** Returns an error message unless `image` is a valid reference pinned by a sha256 digest. */
export function imageError(image: string): string | undefined {
    const ref = tryParseReference(image);
    if (ref === undefined) return `image ${JSON.stringify(image)} is not a valid image reference; write it as <registry>/<repository>@sha256:<64 hex>`;
    if (!ref.pinned || !ref.digest?.startsWith("sha256:")) {
        return `image ${JSON.stringify(image)} must be pinned by digest (<registry>/<repository>@sha256:<64 hex>): a tag can be moved to other content (DP-2, DV-1 / P7); find the digest with: crane digest ${image}`;
    }
    if (ref.registry === "docker.io" && !image.startsWith("docker.io/") && !image.startsWith("index.docker.io/")) {
        return `image ${JSON.stringify(image)} must name its registry host explicitly (e.g. 123456789012.dkr.ecr.eu-west-2.amazonaws.com/aiguard/admission@sha256:...)`;
    }
    return undefined;
}

/** Container resources. */
export interface ResourceSpec {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly cpu: string; readonly memory: string };
}

export const DEFAULT_RESOURCES: ResourceSpec = {
    requests: { cpu: "100m", memory: "128Mi" },
    limits: { cpu: "1", memory: "256Mi" },
};

/** The restricted container security context (Pod Security `restricted` and then some). */
export function containerSecurityContext(): k8s.types.input.core.v1.SecurityContext {
    return {
        runAsNonRoot: true,
        runAsUser: NONROOT_UID,
        runAsGroup: NONROOT_UID,
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
    };
}

/** What the pod spec is built from. */
export interface PodSpecInputs {
    readonly image: string;
    readonly serviceAccountName: string;
    readonly configMapName: string;
    readonly tlsSecretName: string;
    readonly podLabels: Readonly<Record<string, string>>;
    readonly timeoutSeconds: number;
    readonly logLevel: string;
    readonly resources: ResourceSpec;
    /** Read ECR with the pod's AWS identity (`--ecr-credentials auto`). Default false (`off`). */
    readonly ecrCredentials?: boolean;
}

/** The webhook's pod spec: non-root, read-only root FS, no capabilities, probes on HTTPS, spread over nodes. */
export function webhookPodSpec(i: PodSpecInputs): k8s.types.input.core.v1.PodSpec {
    const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
        httpGet: { path, port: "https", scheme: "HTTPS" },
        periodSeconds,
        timeoutSeconds: 2,
        failureThreshold,
    });
    return {
        serviceAccountName: i.serviceAccountName,
        // The service account does not mount tokens; this pod needs one to read namespaces and pull secrets.
        automountServiceAccountToken: true,
        securityContext: {
            runAsNonRoot: true,
            runAsUser: NONROOT_UID,
            runAsGroup: NONROOT_UID,
            fsGroup: NONROOT_UID,
            seccompProfile: { type: "RuntimeDefault" },
        },
        affinity: {
            podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { ...i.podLabels } }, topologyKey: "kubernetes.io/hostname" }],
            },
        },
        terminationGracePeriodSeconds: Math.ceil((SHUTDOWN_DELAY_MS + SHUTDOWN_GRACE_MS) / 1000) + 5,
        containers: [{
            name: "webhook",
            image: i.image,
            imagePullPolicy: "IfNotPresent",
            args: serverArgs(i.timeoutSeconds, i.logLevel, i.ecrCredentials === true ? "auto" : "off"),
            ports: [{ name: "https", containerPort: WEBHOOK_PORT, protocol: "TCP" }],
            securityContext: containerSecurityContext(),
            resources: { requests: { ...i.resources.requests }, limits: { ...i.resources.limits } },
            livenessProbe: probe("/healthz", 10, 3),
            readinessProbe: probe("/readyz", 5, 2),
            volumeMounts: [
                { name: "policy", mountPath: POLICY_DIR, readOnly: true },
                { name: "tls", mountPath: TLS_DIR, readOnly: true },
                { name: "tmp", mountPath: "/tmp" },
            ],
        }],
        volumes: [
            { name: "policy", configMap: { name: i.configMapName } },
            { name: "tls", secret: { secretName: i.tlsSecretName, defaultMode: 0o440 } },
            { name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "16Mi" } },
        ],
    };
}
