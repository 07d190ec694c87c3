/**
 * Which Kubernetes workloads the pod rules govern, and a factory for those rules.
 *
 * Scope (deliberate): the pod rules apply to workloads whose `metadata.namespace` is a *model
 * namespace* declared in the same stack — a `kubernetes:core/v1:Namespace` whose
 * `metadata.labels` carry `settings.modelNamespaceLabel` (default `aiguard.io/model-serving=true`).
 * That is what a reviewer of an AI policy pack expects: model serving and training run in labelled
 * namespaces that also get Pod Security "restricted", a default-deny NetworkPolicy and image
 * admission (the namespace rules), while cluster add-ons that legitimately need host access
 * (CNI, CSI, log agents) in other namespaces are not falsely reported. Consequences, stated
 * plainly: a workload in an unlabelled namespace, or in a namespace not declared in this stack, is
 * not checked by these rules; a workload without `metadata.namespace` is in `default`. The rules
 * see stack OUTPUTS (the applied objects), so they are stack rules.
 */
import * as k8s from "@pulumi/kubernetes";
import { type Finding, type RuleContext, type RuleResource, type StackRule, typeToken } from "../../framework/rule";
import { byType, get } from "../../framework/values";
import type { Settings } from "../../../common/settings";
import { knownString } from "../../framework/values";
import { podSpecOf, WORKLOAD_CLASSES, WORKLOAD_TYPES, type PodView } from "./pod-spec";

export const NAMESPACE_TYPE = typeToken(k8s.core.v1.Namespace);

/** Short kind name from a type token (`kubernetes:apps/v1:Deployment` → `Deployment`). */
export function kindOf(type: string): string {
    return type.slice(type.lastIndexOf(":") + 1);
}

/** True/false when the namespace's label is known; `undefined` when the name or label is unknown. */
function modelNamespaceName(ns: RuleResource, settings: Settings): string | undefined {
    const name = knownString(get(ns.props, "metadata", "name"));
    if (typeof name !== "string") return undefined;
    const label = get(ns.props, "metadata", "labels", settings.modelNamespaceLabel.key);
    return label === settings.modelNamespaceLabel.value ? name : undefined;
}

/** Model namespaces of the stack, by name. Namespaces whose name or labels are unknown are left out. */
export function modelNamespaces(index: ReadonlyMap<string, readonly RuleResource[]>, settings: Settings): Map<string, RuleResource> {
    const out = new Map<string, RuleResource>();
    for (const ns of index.get(NAMESPACE_TYPE) ?? []) {
        const name = modelNamespaceName(ns, settings);
        if (name !== undefined) out.set(name, ns);
    }
    return out;
}

/** The namespace a namespaced object lives in: `default` when absent, `undefined` when unknown. */
export function namespaceOf(r: RuleResource): string | undefined {
    const ns = get(r.props, "metadata", "namespace");
    if (ns === undefined || ns === null || ns === "") return "default";
    const s = knownString(ns);
    return typeof s === "string" ? s : undefined;
}

/** A governed workload and its pod spec. */
export interface ModelWorkload {
    readonly resource: RuleResource;
    readonly namespace: string;
    readonly pod: PodView;
}

/** Workloads in model namespaces whose pod spec is known. */
export function modelWorkloads(resources: readonly RuleResource[], settings: Settings): ModelWorkload[] {
    const index = byType(resources);
    const namespaces = modelNamespaces(index, settings);
    if (namespaces.size === 0) return [];
    const out: ModelWorkload[] = [];
    for (const type of WORKLOAD_TYPES) {
        for (const r of index.get(type) ?? []) {
            const namespace = namespaceOf(r);
            if (namespace === undefined || !namespaces.has(namespace)) continue;
            const pod = podSpecOf(r);
            if (pod === undefined || typeof pod === "symbol") continue;
            out.push({ resource: r, namespace, pod });
        }
    }
    return out;
}

/** One problem in a pod spec: the exact field path and what is wrong with it. */
export interface PodIssue {
    readonly path: string;
    readonly message: string;
}

/** Metadata of a pod rule (everything but `kind` and `check`). */
export type PodRuleMeta = Omit<StackRule, "kind" | "check" | "judges">;

/**
 * Builds a stack rule that runs `checkPod` on every workload in a model namespace and reports
 * each issue on the workload's URN as `<field path>: <message> (<Kind> "<name>" in model namespace "<ns>")`.
 */
export function podRule(meta: PodRuleMeta, checkPod: (pod: PodView, ctx: RuleContext) => readonly PodIssue[]): StackRule {
    return {
        ...meta,
        kind: "stack",
        judges: WORKLOAD_CLASSES,
        settings: [...new Set(["modelNamespaceLabel" as const, ...(meta.settings ?? [])])],
        check(resources: readonly RuleResource[], ctx: RuleContext): Finding[] {
            const findings: Finding[] = [];
            for (const w of modelWorkloads(resources, ctx.settings)) {
                for (const issue of checkPod(w.pod, ctx)) {
                    findings.push({
                        urn: w.resource.urn,
                        message: `${issue.path}: ${issue.message} (${kindOf(w.resource.type)} "${w.resource.name}" in model namespace "${w.namespace}")`,
                    });
                }
            }
            return findings;
        },
    };
}

/** Shared `onUnknown` text of the pod rules. */
export const POD_RULE_ON_UNKNOWN =
    "Skips, without a finding, any workload whose namespace, pod spec, container list or checked field is unknown at preview, and any namespace whose name or labels are unknown; the stack is checked again with known values at update.";

/** Shared remediation preface: where the fields live in each kind. */
export const POD_FIELD_HINT =
    "The pod spec is `spec` (Pod), `spec.template.spec` (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, ReplicationController), `template.spec` (PodTemplate) or `spec.jobTemplate.spec.template.spec` (CronJob).";
