/**
 * Where each Kubernetes workload kind keeps its pod spec: one table for the webhook (which reads
 * AdmissionReview objects by API group and kind) and the pack (which reads Pulumi resources by type
 * token, `kubernetes:apps/v1:Deployment`). Both judge `containers`, `initContainers` and
 * `ephemeralContainers` of the spec found here.
 */

/** One workload kind and the path (from the object root) of its pod spec. */
export interface WorkloadKind {
    /** API group (`""` for the core group). */
    readonly group: string;
    readonly version: string;
    readonly kind: string;
    readonly podSpecPath: readonly string[];
}

const TEMPLATE = ["spec", "template", "spec"] as const;

/** Every kind whose pod spec aiguard knows. */
export const WORKLOAD_KINDS: readonly WorkloadKind[] = [
    { group: "", version: "v1", kind: "Pod", podSpecPath: ["spec"] },
    { group: "", version: "v1", kind: "PodTemplate", podSpecPath: ["template", "spec"] },
    { group: "", version: "v1", kind: "ReplicationController", podSpecPath: TEMPLATE },
    { group: "apps", version: "v1", kind: "Deployment", podSpecPath: TEMPLATE },
    { group: "apps", version: "v1", kind: "ReplicaSet", podSpecPath: TEMPLATE },
    { group: "apps", version: "v1", kind: "StatefulSet", podSpecPath: TEMPLATE },
    { group: "apps", version: "v1", kind: "DaemonSet", podSpecPath: TEMPLATE },
    { group: "batch", version: "v1", kind: "Job", podSpecPath: TEMPLATE },
    { group: "batch", version: "v1", kind: "CronJob", podSpecPath: ["spec", "jobTemplate", "spec", "template", "spec"] },
];

/** The containers lists of a pod spec, in the order they are reported. */
export const CONTAINER_LISTS = ["containers", "initContainers", "ephemeralContainers"] as const;
export type ContainerList = (typeof CONTAINER_LISTS)[number];

/** The Pulumi type token of a workload kind (`kubernetes:core/v1:Pod`). */
export function pulumiTypeOf(w: WorkloadKind): string {
    return `kubernetes:${w.group === "" ? "core" : w.group}/${w.version}:${w.kind}`;
}

const BY_GROUP_KIND: ReadonlyMap<string, WorkloadKind> = new Map(WORKLOAD_KINDS.map((w) => [`${w.group}/${w.kind}`, w]));
const BY_PULUMI_TYPE: ReadonlyMap<string, WorkloadKind> = new Map(WORKLOAD_KINDS.map((w) => [pulumiTypeOf(w), w]));

/** The workload kind of an API `group` (core: `""`) and `kind`, or undefined when it has no pod spec aiguard knows. */
export function workloadKind(group: string, kind: string): WorkloadKind | undefined {
    return BY_GROUP_KIND.get(`${group}/${kind}`);
}

/** The workload kind of a Pulumi type token, or undefined. */
export function workloadKindOfType(type: string): WorkloadKind | undefined {
    return BY_PULUMI_TYPE.get(type);
}

/** Pulumi type tokens of every workload kind. */
export const WORKLOAD_TYPES: readonly string[] = WORKLOAD_KINDS.map(pulumiTypeOf);

/** `Deployment.apps`, `Pod`: how kubectl names a kind. */
export function displayKind(w: Pick<WorkloadKind, "group" | "kind">): string {
    return w.group === "" ? w.kind : `${w.kind}.${w.group}`;
}
