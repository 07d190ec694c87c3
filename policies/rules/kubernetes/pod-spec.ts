/**
 * One pod-spec extractor for every Kubernetes workload kind: finds the pod spec inside each kind
 * of the shared table (`common/pod-spec.ts`, the webhook's too) and lists every container (`containers`, `initContainers`, `ephemeralContainers`) with
 * its field path, so each rule reports e.g. `spec.template.spec.initContainers[0].image`.
 */
import { CONTAINER_LISTS, workloadKindOfType, type ContainerList } from "../../../common/pod-spec";
import * as k8s from "@pulumi/kubernetes";
import { UNKNOWN, type Maybe, type ResourceClass, type RuleResource } from "../../framework/rule";
import { get, getPath } from "../../framework/values";

export { WORKLOAD_TYPES } from "../../../common/pod-spec";

/** The SDK classes of every workload kind of the shared table (a meta-test keeps the two in step). */
export const WORKLOAD_CLASSES: readonly ResourceClass[] = [
    k8s.core.v1.Pod,
    k8s.core.v1.PodTemplate,
    k8s.core.v1.ReplicationController,
    k8s.apps.v1.Deployment,
    k8s.apps.v1.ReplicaSet,
    k8s.apps.v1.StatefulSet,
    k8s.apps.v1.DaemonSet,
    k8s.batch.v1.Job,
    k8s.batch.v1.CronJob,
];

export type ContainerKind = ContainerList;

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
    const steps = workloadKindOfType(resource.type)?.podSpecPath;
    if (!steps) return undefined;
    const spec = getPath(resource.props, steps);
    if (spec === UNKNOWN) return UNKNOWN;
    if (!isRecord(spec)) return undefined;
    const path = steps.join(".");
    return { path, spec, containers: containersOf(spec, path) };
}

/** Lists the known containers of a pod spec found at `path`. */
export function containersOf(spec: Readonly<Record<string, unknown>>, path: string): ContainerView[] {
    const out: ContainerView[] = [];
    for (const kind of CONTAINER_LISTS) {
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
