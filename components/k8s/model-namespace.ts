/**
 * A hardened Kubernetes namespace for model serving (DP-1, SD-3, DP-5 / P2, P6; DP-2 / P8 through
 * admission).
 *
 * Secure defaults (each opening is a named option):
 *  - Pod Security Admission `restricted` for enforce, audit and warn (version `latest`);
 *  - the label `aiguard.io/model-serving: "true"`, which puts the namespace under the model-image
 *    admission webhook (see {@link ImageAdmissionWebhook}) and the policy pack's Kubernetes rules;
 *  - a default-deny NetworkPolicy for ingress and egress, then only: DNS to kube-dns, ingress to the
 *    serving pods on the serving ports from the declared `ingress` peers/CIDRs (none by default),
 *    egress to the model store endpoint (`modelStoreEgress`, none by default);
 *  - a ResourceQuota and a LimitRange (every container gets requests and limits);
 *  - a service account for the model servers with `automountServiceAccountToken: false`.
 *
 * Kubernetes resources use the provider from `opts` (`provider`/`providers`), e.g.
 * `InferenceCluster.provider`.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { dnsLabelError, MODEL_SERVING_LABEL, podSecurityRestricted, reservedLabelError } from "./labels";
import {
    defaultDenySpec, dnsEgressSpec, type IngressPeerArgs, isEmptySelector, isPort, type LabelSelectorArgs, modelStoreEgressSpec, type NetworkPolicySpec,
    policyCidrError, servingIngressSpec,
} from "./model-namespace-policies";

export type { IngressPeerArgs, LabelSelectorArgs } from "./model-namespace-policies";

/** Who may reach the model servers. */
export interface ModelIngressArgs {
    /** Namespace/pod selectors of allowed clients (e.g. the ingress gateway's namespace). */
    readonly peers?: readonly IngressPeerArgs[];
    /** IPv4 CIDRs of allowed clients (e.g. the internal load balancer's subnets). Never /0. */
    readonly cidrs?: readonly pulumi.Input<string>[];
    /** Container ports the servers listen on. Default `[8080]`. */
    readonly ports?: readonly number[];
    /** Which pods receive the traffic. Default: every pod of the namespace. */
    readonly podSelector?: LabelSelectorArgs;
}

/** Where the model store's endpoint is. */
export interface ModelStoreEgressArgs {
    /** IPv4 CIDRs of the endpoint (e.g. the VPC CIDR holding the interface endpoints). Never /0. At least one. */
    readonly cidrs: readonly pulumi.Input<string>[];
    /** TCP port. Default 443. */
    readonly port?: number;
}

/** Namespace-wide quota. */
export interface ModelQuotaArgs {
    /** Default `"16"`. */
    readonly requestsCpu?: string;
    /** Default `"64Gi"`. */
    readonly requestsMemory?: string;
    /** Default `"32"`. */
    readonly limitsCpu?: string;
    /** Default `"128Gi"`. */
    readonly limitsMemory?: string;
    /** Default `"50"`. */
    readonly pods?: string;
    /** `requests.nvidia.com/gpu`. Default: not limited by the quota. */
    readonly gpus?: string;
}

/** Per-container defaults and ceiling (LimitRange). */
export interface ModelLimitArgs {
    /** Default request. Default `{ cpu: "250m", memory: "512Mi" }`. */
    readonly defaultRequest?: { readonly cpu: string; readonly memory: string };
    /** Default limit. Default `{ cpu: "2", memory: "4Gi" }`. */
    readonly defaultLimit?: { readonly cpu: string; readonly memory: string };
    /** Largest limit one container may ask for. Default `{ cpu: "16", memory: "64Gi" }`. */
    readonly max?: { readonly cpu: string; readonly memory: string };
}

export interface ModelNamespaceArgs {
    /** Namespace name. Default: the component name. */
    readonly namespace?: string;
    /** Extra namespace labels (not `pod-security.kubernetes.io/*`, `aiguard.io/*`, `kubernetes.io/*`). */
    readonly labels?: Readonly<Record<string, string>>;
    /** Pod Security Standards version pinned in the labels. Default `latest`. */
    readonly podSecurityVersion?: string;
    /** Allowed clients of the model servers. Default: none (no ingress at all). */
    readonly ingress?: ModelIngressArgs;
    /** Egress to the model store endpoint. Default: none (DNS only). */
    readonly modelStoreEgress?: ModelStoreEgressArgs;
    readonly quota?: ModelQuotaArgs;
    readonly limits?: ModelLimitArgs;
    /** Name of the model servers' service account. Default `model-server`. */
    readonly serviceAccountName?: string;
}

/**
 * The first problem with the arguments, or `undefined`. `componentName` is the namespace name's
 * default. Computed (output) CIDRs are not checked.
 */
export function modelNamespaceArgsProblem(args: ModelNamespaceArgs, componentName: string): string | undefined {
    const nsName = args.namespace ?? componentName;
    const nameProblem = dnsLabelError(nsName, "namespace");
    if (nameProblem !== undefined) return nameProblem;
    if (["kube-system", "kube-public", "kube-node-lease", "default"].includes(nsName)) {
        return `namespace "${nsName}" is a system or shared namespace; model serving needs a namespace of its own`;
    }
    const problem = reservedLabelError(args.labels ?? {}, "labels") ?? dnsLabelError(args.serviceAccountName ?? "model-server", "serviceAccountName");
    if (problem !== undefined) return problem;
    return ingressProblem(args.ingress) ?? modelStoreEgressProblem(args.modelStoreEgress);
}

function ingressProblem(ingress: ModelIngressArgs | undefined): string | undefined {
    if (ingress === undefined) return undefined;
    const peers = ingress.peers ?? [];
    const cidrs = ingress.cidrs ?? [];
    if (peers.length + cidrs.length === 0) return "ingress needs at least one peer or CIDR; omit ingress to allow none";
    for (const [i, p] of peers.entries()) {
        if (isEmptySelector(p.namespaceSelector) && isEmptySelector(p.podSelector)) {
            return `ingress.peers[${i}] has no labels in namespaceSelector or podSelector, so it would admit every pod of ${p.namespaceSelector !== undefined ? "every namespace" : "the namespace"}: name the client namespace or pods with labels`;
        }
    }
    const cidrProblem = policyCidrError(cidrs, "ingress.cidrs");
    if (cidrProblem !== undefined) return cidrProblem;
    const ports = ingress.ports ?? [8080];
    if (ports.length === 0 || !ports.every(isPort)) return `ingress.ports must be TCP port numbers (1-65535); got ${JSON.stringify(ports)}`;
    return undefined;
}

function modelStoreEgressProblem(store: ModelStoreEgressArgs | undefined): string | undefined {
    if (store === undefined) return undefined;
    if (store.cidrs.length === 0) return "modelStoreEgress.cidrs must name the model store endpoint's network; omit modelStoreEgress to allow none";
    const cidrProblem = policyCidrError(store.cidrs, "modelStoreEgress.cidrs");
    if (cidrProblem !== undefined) return cidrProblem;
    const storePort = store.port ?? 443;
    if (!isPort(storePort)) return `modelStoreEgress.port must be a TCP port number; got ${storePort}`;
    return undefined;
}

export class ModelNamespace extends pulumi.ComponentResource {
    readonly namespace: k8s.core.v1.Namespace;
    readonly serviceAccount: k8s.core.v1.ServiceAccount;
    readonly networkPolicies: readonly k8s.networking.v1.NetworkPolicy[];
    readonly resourceQuota: k8s.core.v1.ResourceQuota;
    readonly limitRange: k8s.core.v1.LimitRange;
    /** The namespace name (known at preview). */
    readonly namespaceName: pulumi.Output<string>;
    readonly serviceAccountName: pulumi.Output<string>;

    constructor(name: string, args: ModelNamespaceArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("aiguard:k8s:ModelNamespace", name, {}, opts);
        const problem = modelNamespaceArgsProblem(args, name);
        if (problem !== undefined) throw new pulumi.ResourceError(problem, this);
        const nsName = args.namespace ?? name;
        const saName = args.serviceAccountName ?? "model-server";
        const ingress = args.ingress;
        const ports = ingress?.ports ?? [8080];
        const store = args.modelStoreEgress;
        const storePort = store?.port ?? 443;

        const parent = { parent: this };
        this.namespace = new k8s.core.v1.Namespace(`${name}-ns`, {
            metadata: {
                name: nsName,
                labels: {
                    ...args.labels,
                    ...podSecurityRestricted(args.podSecurityVersion ?? "latest"),
                    [MODEL_SERVING_LABEL.key]: MODEL_SERVING_LABEL.value,
                },
            },
        }, parent);
        // The output carries the dependency: every object below waits for the namespace.
        const ns = this.namespace.metadata.name;
        const meta = (objectName: string) => ({ name: objectName, namespace: ns, labels: { "app.kubernetes.io/managed-by": "aiguard" } });
        const policy = (suffix: string, objectName: string, spec: NetworkPolicySpec) =>
            new k8s.networking.v1.NetworkPolicy(`${name}-${suffix}`, { metadata: meta(objectName), spec }, parent);

        const policies = [
            policy("default-deny", "default-deny", defaultDenySpec()),
            policy("allow-dns", "allow-dns-egress", dnsEgressSpec()),
        ];
        if (ingress !== undefined) {
            policies.push(policy("allow-ingress", "allow-serving-ingress", servingIngressSpec(ingress.podSelector ?? {}, ingress.peers ?? [], ingress.cidrs ?? [], ports)));
        }
        if (store !== undefined) {
            policies.push(policy("allow-model-store", "allow-model-store-egress", modelStoreEgressSpec(store.cidrs, storePort)));
        }
        this.networkPolicies = policies;

        const q = args.quota ?? {};
        this.resourceQuota = new k8s.core.v1.ResourceQuota(`${name}-quota`, {
            metadata: meta("model-serving"),
            spec: {
                hard: {
                    "requests.cpu": q.requestsCpu ?? "16",
                    "requests.memory": q.requestsMemory ?? "64Gi",
                    "limits.cpu": q.limitsCpu ?? "32",
                    "limits.memory": q.limitsMemory ?? "128Gi",
                    pods: q.pods ?? "50",
                    ...(q.gpus !== undefined ? { "requests.nvidia.com/gpu": q.gpus } : {}),
                },
            },
        }, parent);
        const l = args.limits ?? {};
        this.limitRange = new k8s.core.v1.LimitRange(`${name}-limits`, {
            metadata: meta("model-serving"),
            spec: {
                limits: [{
                    type: "Container",
                    defaultRequest: { ...(l.defaultRequest ?? { cpu: "250m", memory: "512Mi" }) },
                    default: { ...(l.defaultLimit ?? { cpu: "2", memory: "4Gi" }) },
                    max: { ...(l.max ?? { cpu: "16", memory: "64Gi" }) },
                }],
            },
        }, parent);
        this.serviceAccount = new k8s.core.v1.ServiceAccount(`${name}-sa`, {
            metadata: meta(saName),
            automountServiceAccountToken: false,
        }, parent);

        this.namespaceName = ns;
        this.serviceAccountName = this.serviceAccount.metadata.name;
        this.registerOutputs({ namespaceName: this.namespaceName, serviceAccountName: this.serviceAccountName });
    }
}
