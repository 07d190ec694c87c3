/** Builders for realistic AdmissionReview requests and workload objects (shared by server and e2e tests). */
import { randomUUID } from "node:crypto";

export type Json = Record<string, unknown>;

/** Resource name, group and version of each kind as the API server sends them. */
export const KINDS = {
    Pod: { group: "", version: "v1", resource: "pods" },
    ReplicationController: { group: "", version: "v1", resource: "replicationcontrollers" },
    Deployment: { group: "apps", version: "v1", resource: "deployments" },
    ReplicaSet: { group: "apps", version: "v1", resource: "replicasets" },
    StatefulSet: { group: "apps", version: "v1", resource: "statefulsets" },
    DaemonSet: { group: "apps", version: "v1", resource: "daemonsets" },
    Job: { group: "batch", version: "v1", resource: "jobs" },
    CronJob: { group: "batch", version: "v1", resource: "cronjobs" },
} as const;
export type KindName = keyof typeof KINDS;

/** Where each kind keeps its pod spec, as a path prefix. */
export const POD_SPEC_PREFIX: Record<KindName, string> = {
    Pod: "spec",
    ReplicationController: "spec.template.spec",
    Deployment: "spec.template.spec",
    ReplicaSet: "spec.template.spec",
    StatefulSet: "spec.template.spec",
    DaemonSet: "spec.template.spec",
    Job: "spec.template.spec",
    CronJob: "spec.jobTemplate.spec.template.spec",
};

export function podSpec(images: { containers?: string[]; initContainers?: string[]; ephemeralContainers?: string[]; volumes?: string[] }, extra: Json = {}): Json {
    const c = (prefix: string, list: string[] | undefined) => (list ?? []).map((image, i) => ({ name: `${prefix}${i}`, image, resources: {} }));
    const spec: Json = { containers: c("main", images.containers), restartPolicy: "Always", ...extra };
    if (images.initContainers) spec["initContainers"] = c("init", images.initContainers);
    if (images.ephemeralContainers) spec["ephemeralContainers"] = c("debug", images.ephemeralContainers);
    if (images.volumes) spec["volumes"] = images.volumes.map((reference, i) => ({ name: `model${i}`, image: { reference, pullPolicy: "IfNotPresent" } }));
    return spec;
}

/** A whole object of `kind` around a pod spec. */
export function workload(kind: KindName, spec: Json, meta: Json = {}): Json {
    const metadata = { name: "model-server", namespace: "models", labels: { app: "model-server" }, ...meta };
    const g = KINDS[kind];
    const apiVersion = g.group === "" ? g.version : `${g.group}/${g.version}`;
    const template = { metadata: { labels: { app: "model-server" } }, spec };
    switch (kind) {
        case "Pod":
            return { apiVersion, kind, metadata, spec };
        case "CronJob":
            return { apiVersion, kind, metadata, spec: { schedule: "0 * * * *", jobTemplate: { spec: { template: { ...template, spec: { ...spec, restartPolicy: "OnFailure" } } } } } };
        case "Job":
            return { apiVersion, kind, metadata, spec: { template: { ...template, spec: { ...spec, restartPolicy: "OnFailure" } } } };
        default:
            return { apiVersion, kind, metadata, spec: { replicas: 1, selector: { matchLabels: { app: "model-server" } }, template } };
    }
}

export interface ReviewOptions {
    readonly operation?: "CREATE" | "UPDATE" | "DELETE" | "CONNECT";
    readonly subResource?: string;
    readonly namespace?: string;
    readonly oldObject?: Json | null;
    readonly uid?: string;
}

/** An AdmissionReview v1 request for `object` of `kind`. */
export function review(kind: KindName, object: Json | null, o: ReviewOptions = {}): Json {
    const g = KINDS[kind];
    const operation = o.operation ?? "CREATE";
    const meta = (object?.["metadata"] ?? {}) as Json;
    return {
        apiVersion: "admission.k8s.io/v1",
        kind: "AdmissionReview",
        request: {
            uid: o.uid ?? randomUUID(),
            kind: { group: g.group, version: g.version, kind },
            resource: { group: g.group, version: g.version, resource: g.resource },
            ...(o.subResource ? { subResource: o.subResource } : {}),
            requestKind: { group: g.group, version: g.version, kind },
            requestResource: { group: g.group, version: g.version, resource: g.resource },
            name: meta["name"] ?? "",
            namespace: o.namespace ?? "models",
            operation,
            userInfo: { username: "alice", groups: ["system:authenticated"] },
            object,
            oldObject: o.oldObject ?? null,
            dryRun: false,
            options: operation === "CREATE" ? { apiVersion: "meta.k8s.io/v1", kind: "CreateOptions" } : null,
        },
    };
}
