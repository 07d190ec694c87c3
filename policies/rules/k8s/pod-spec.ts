/**
 * One pod-spec extractor for every Kubernetes workload kind: finds the pod spec inside a Pod,
 * PodTemplate, ReplicationController, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or
 * CronJob and lists every container (`containers`, `initContainers`, `ephemeralContainers`) with
 * its field path, so each rule reports e.g. `spec.template.spec.initContainers[0].image`.
 */
import { UNKNOWN, type Maybe, type RuleResource } from "../../framework/rule";
import { get } from "../../framework/values";

/** Where the pod spec sits in each workload kind. */
export const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
    "kubernetes:core/v1:Pod": ["spec"],
    "kubernetes:core/v1:PodTemplate": ["template", "spec"],
    "kubernetes:core/v1:ReplicationController": ["spec", "template", "spec"],
    "kubernetes:apps/v1:Deployment": ["spec", "template", "spec"],
    "kubernetes:apps/v1:StatefulSet": ["spec", "template", "spec"],
    "kubernetes:apps/v1:DaemonSet": ["spec", "template", "spec"],
    "kubernetes:apps/v1:ReplicaSet": ["spec", "template", "spec"],
    "kubernetes:batch/v1:Job": ["spec", "template", "spec"],
    "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
};

export const WORKLOAD_TYPES: readonly string[] = Object.keys(POD_SPEC_PATHS);

export type ContainerKind = "containers" | "initContainers" | "ephemeralContainers";
export const CONTAINER_KINDS: readonly ContainerKind[] = ["containers", "initContainers", "ephemeralContainers"];

/** A container of a pod spec with its field path. */
export interface ContainerView {
    readonly kind: ContainerKind;
    /** e.g. `spec.template.spec.initContainers[0]`. */
    readonly path: string;
    readonly container: Readonly<Record<string, unknown>>;
}

/** A workload's pod spec, its path, and its known containers. */
export interface PodView {
    /** e.g. `spec.template.spec`. */
    readonly path: string;
    readonly spec: Readonly<Record<string, unknown>>;
    /** Every container whose value is known; unknown lists or entries are left out. */
    readonly containers: readonly ContainerView[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The pod spec of a workload: `undefined` for a type that has none or a workload without a spec,
 * `UNKNOWN` when the spec (or an object on the way to it) is unknown at preview.
 */
export function podSpecOf(resource: RuleResource): Maybe<PodView> | undefined {
    const steps = POD_SPEC_PATHS[resource.type];
    if (!steps) return undefined;
    const spec = get(resource.props, ...steps);
    if (spec === UNKNOWN) return UNKNOWN;
    if (!isRecord(spec)) return undefined;
    const path = steps.join(".");
    return { path, spec, containers: containersOf(spec, path) };
}

/** Lists the known containers of a pod spec found at `path`. */
export function containersOf(spec: Readonly<Record<string, unknown>>, path: string): ContainerView[] {
    const out: ContainerView[] = [];
    for (const kind of CONTAINER_KINDS) {
        const list = spec[kind];
        if (!Array.isArray(list)) continue;
        list.forEach((c, i) => {
            if (isRecord(c)) out.push({ kind, path: `${path}.${kind}[${i}]`, container: c });
        });
    }
    return out;
}

/**
 * The effective value of a security-context field for a container: the container's own
 * `securityContext` wins over the pod's (Kubernetes semantics for runAsNonRoot, runAsUser, ...).
 * Returns the value and the path it came from (`undefined` path when set nowhere).
 */
export function effectiveSecurityField(pod: PodView, c: ContainerView, field: string): { value: unknown; path: string | undefined } {
    const own = get(c.container, "securityContext", field);
    if (own !== undefined && own !== null) return { value: own, path: `${c.path}.securityContext.${field}` };
    const podValue = get(pod.spec, "securityContext", field);
    if (podValue !== undefined && podValue !== null) return { value: podValue, path: `${pod.path}.securityContext.${field}` };
    return { value: undefined, path: undefined };
}
