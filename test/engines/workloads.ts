/**
 * Kubernetes objects for engine tests, as JSON for `kubectl apply -f -`, and small waits on the
 * cluster they go to.
 */
import { kubectl } from "./kubectl";
import { waitUntil } from "./tools";

/** Pod-level extras. */
export interface PodExtras {
    readonly imagePullSecrets?: readonly string[];
    readonly serviceAccountName?: string;
    readonly initImages?: readonly string[];
}

function podSpec(image: string, extras: PodExtras): Record<string, unknown> {
    return {
        containers: [{ name: "model", image }],
        ...(extras.initImages?.length ? { initContainers: extras.initImages.map((img, i) => ({ name: `init-${i}`, image: img })) } : {}),
        ...(extras.imagePullSecrets?.length ? { imagePullSecrets: extras.imagePullSecrets.map((name) => ({ name })) } : {}),
        ...(extras.serviceAccountName !== undefined ? { serviceAccountName: extras.serviceAccountName } : {}),
    };
}

/** A one-container Pod (`model`) as JSON. */
export function podJson(name: string, namespace: string, image: string, extras: PodExtras = {}): string {
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, namespace, labels: { app: name } },
        spec: podSpec(image, extras),
    });
}

/** A one-replica Deployment whose Pods carry `app: <name>`, as JSON. */
export function deploymentJson(name: string, namespace: string, image: string, extras: PodExtras = {}): string {
    return JSON.stringify({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name, namespace, labels: { app: name } },
        spec: {
            replicas: 1,
            selector: { matchLabels: { app: name } },
            template: { metadata: { labels: { app: name } }, spec: podSpec(image, extras) },
        },
    });
}

/** Workload kinds other than Pod and Deployment, with where their pod template sits. */
export const WORKLOAD_KINDS = {
    ReplicaSet: { apiVersion: "apps/v1", templatePath: "spec.template.spec" },
    StatefulSet: { apiVersion: "apps/v1", templatePath: "spec.template.spec" },
    DaemonSet: { apiVersion: "apps/v1", templatePath: "spec.template.spec" },
    Job: { apiVersion: "batch/v1", templatePath: "spec.template.spec" },
    CronJob: { apiVersion: "batch/v1", templatePath: "spec.jobTemplate.spec.template.spec" },
} as const;

export type WorkloadKind = keyof typeof WORKLOAD_KINDS;

/** A minimal valid object of `kind` running `image`, as JSON. */
export function workloadJson(kind: WorkloadKind, name: string, namespace: string, image: string): string {
    const labels = { app: name };
    const template = {
        metadata: { labels },
        spec: { ...podSpec(image, {}), ...(kind === "Job" || kind === "CronJob" ? { restartPolicy: "Never" } : {}) },
    };
    const selected = { selector: { matchLabels: labels }, template };
    const spec: Record<WorkloadKind, Record<string, unknown>> = {
        ReplicaSet: { replicas: 1, ...selected },
        StatefulSet: { replicas: 1, serviceName: name, ...selected },
        DaemonSet: selected,
        Job: { template },
        CronJob: { schedule: "*/5 * * * *", jobTemplate: { spec: { template } } },
    };
    return JSON.stringify({ apiVersion: WORKLOAD_KINDS[kind].apiVersion, kind, metadata: { name, namespace, labels }, spec: spec[kind] });
}

/** A Namespace with labels, as JSON. */
export function namespaceJson(name: string, labels: Record<string, string> = {}): string {
    return JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels } });
}

/** Whether `kubectl get <kind> <name> -n <namespace>` finds the object. */
export async function exists(kubeconfigPath: string, kind: string, name: string, namespace: string): Promise<boolean> {
    return (await kubectl(kubeconfigPath, ["get", kind, name, "-n", namespace, "-o", "name"])).code === 0;
}

/** Waits for the namespace's `default` service account (created by kube-controller-manager). */
export async function waitForDefaultServiceAccount(kubeconfigPath: string, namespace: string): Promise<void> {
    await waitUntil(async () => exists(kubeconfigPath, "serviceaccount", "default", namespace), {
        timeoutMs: 30_000,
        intervalMs: 200,
        describe: () => `no default service account in ${namespace}: is kube-controller-manager running?`,
    });
}
