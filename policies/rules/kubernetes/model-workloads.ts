/**
 * Which Kubernetes workloads and namespaces the Kubernetes rules govern, and a factory for the pod rules.
 *
 * Scope (fail closed): by default (`scope: "all"`) the pod rules judge every workload of the stack,
 * in any namespace, declared in the stack or not (a workload without `metadata.namespace` is in
 * `default`). A cluster add-on that legitimately needs host access (CNI, CSI, log agents) is taken
 * out explicitly: the `aiguard.io/scope=excluded` label with an `aiguard.io/scope-justification`
 * annotation on the workload or on its namespace, or an exemption in the config; every run lists
 * it. The namespace rules (Pod Security "restricted", default-deny, image admission) govern *model
 * namespaces*: labelled with `settings.modelNamespaceLabel` (default `aiguard.io/model-serving=true`),
 * or recognised from what runs in them (a workload requesting an accelerator or running a
 * well-known model server). Under `scope: "ai-assets"` the pod rules judge only workloads in model
 * namespaces and model workloads. The rules see stack OUTPUTS (the applied objects), so they are
 * stack rules.
 */
import * as k8s from "@pulumi/kubernetes";
import { type Finding, type RuleContext, type RuleResource, type StackRule, typeToken } from "../../framework/rule";
import { byType, get } from "../../framework/values";
import type { Settings } from "../../../common/settings";
import { knownString } from "../../framework/values";
import { scopeExclusion } from "../../framework/scope";
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

/** Extended resources that schedule a pod onto accelerators. */
const ACCELERATORS = ["nvidia.com/gpu", "amd.com/gpu", "aws.amazon.com/neuron", "aws.amazon.com/neuroncore", "google.com/tpu", "habana.ai/gaudi"];
/** Images of well-known model servers and runtimes. */
const MODEL_SERVER_IMAGE = /(^|\/)(vllm|vllm-openai|text-generation-inference|tgi|tritonserver|kserve[\w-]*|ollama|torchserve|tensorflow-serving|serving|llama\.cpp|llama-cpp[\w-]*|lmdeploy|sglang|ray-ml|seldon[\w-]*|mlserver|bentoml[\w-]*)(:|@|$)/i;

/**
 * Whether a pod spec runs a model: it requests an accelerator, or runs a well-known model server.
 * How the pack recognises model workloads (and so model namespaces) that no label announces.
 */
export function isModelPod(pod: PodView): boolean {
    return pod.containers.some(({ container }) => {
        const limits = { ...(get(container, "resources", "limits") as Record<string, unknown> | undefined), ...(get(container, "resources", "requests") as Record<string, unknown> | undefined) };
        const image = knownString(container.image);
        return ACCELERATORS.some((a) => limits[a] !== undefined) || (typeof image === "string" && MODEL_SERVER_IMAGE.test(image.split("@")[0]!));
    });
}

/** Whether the object is declared out of scope on itself (label plus justification annotation). */
function excluded(r: RuleResource): boolean {
    return scopeExclusion(r.props) !== undefined;
}

/**
 * Model namespaces of the stack, by name: labelled with `modelNamespaceLabel`, or running a model
 * workload (an accelerator request or a model-server image), unless declared out of scope.
 * Namespaces whose name is unknown are left out.
 */
export function modelNamespaces(index: ReadonlyMap<string, readonly RuleResource[]>, settings: Settings): Map<string, RuleResource> {
    const out = new Map<string, RuleResource>();
    const byName = new Map<string, RuleResource>();
    for (const ns of index.get(NAMESPACE_TYPE) ?? []) {
        const name = knownString(get(ns.props, "metadata", "name"));
        if (typeof name === "string") byName.set(name, ns);
        if (excluded(ns)) continue;
        const model = modelNamespaceName(ns, settings);
        if (model !== undefined) out.set(model, ns);
    }
    for (const type of WORKLOAD_TYPES) {
        for (const r of index.get(type) ?? []) {
            const namespace = namespaceOf(r);
            const ns = namespace === undefined ? undefined : byName.get(namespace);
            const pod = podSpecOf(r);
            if (ns && !excluded(ns) && pod !== undefined && typeof pod !== "symbol" && isModelPod(pod)) out.set(namespace!, ns);
        }
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

/**
 * The workloads the pod rules judge, with their pod spec when known. Under scope `all` (default)
 * every workload of the stack, unless it or its namespace is declared out of scope; under
 * `ai-assets`, workloads in model namespaces and model workloads themselves.
 */
export function modelWorkloads(resources: readonly RuleResource[], settings: Settings): ModelWorkload[] {
    const index = byType(resources);
    const namespaces = modelNamespaces(index, settings);
    const excludedNames = new Set((index.get(NAMESPACE_TYPE) ?? []).filter(excluded).map((ns) => knownString(get(ns.props, "metadata", "name"))).filter((n): n is string => typeof n === "string"));
    const out: ModelWorkload[] = [];
    for (const type of WORKLOAD_TYPES) {
        for (const r of index.get(type) ?? []) {
            // A namespace not known yet (an output at a first preview) does not take a workload out of scope.
            const namespace = namespaceOf(r) ?? "(not known yet)";
            if (excluded(r) || excludedNames.has(namespace)) continue;
            const pod = podSpecOf(r);
            if (pod === undefined || typeof pod === "symbol") continue;
            if (settings.scope === "ai-assets" && !namespaces.has(namespace) && !isModelPod(pod)) continue;
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
        settings: [...new Set(["scope" as const, "modelNamespaceLabel" as const, ...(meta.settings ?? [])])],
        check(resources: readonly RuleResource[], ctx: RuleContext): Finding[] {
            const findings: Finding[] = [];
            for (const w of modelWorkloads(resources, ctx.settings)) {
                for (const issue of checkPod(w.pod, ctx)) {
                    findings.push({
                        urn: w.resource.urn,
                        message: `${issue.path}: ${issue.message} (${kindOf(w.resource.type)} "${w.resource.name}" in namespace "${w.namespace}")`,
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
