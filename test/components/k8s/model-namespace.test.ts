import { beforeAll, describe, expect, it } from "vitest";
import { type ModelNamespace, type ModelNamespaceArgs, modelNamespaceArgsProblem } from "../../../components/k8s/model-namespace";
import { record, type Recorded } from "../../harness";
import { modelNamespace, modelNamespaceArgs, Names } from "./fixtures";

const T = {
    component: "aiguard:k8s:ModelNamespace",
    ns: "kubernetes:core/v1:Namespace",
    np: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    quota: "kubernetes:core/v1:ResourceQuota",
    limits: "kubernetes:core/v1:LimitRange",
    sa: "kubernetes:core/v1:ServiceAccount",
};
const META = (name: string) => ({ name, namespace: "models", labels: { "app.kubernetes.io/managed-by": "aiguard" } });

function run(o: ModelNamespaceArgs = {}): Promise<Recorded<ModelNamespace>> {
    return record(() => modelNamespace(o));
}

describe("ModelNamespace defaults", () => {
    let rec: Recorded<ModelNamespace>;
    beforeAll(async () => {
        rec = await run();
    });

    it("registers the namespace, four NetworkPolicies, quota, limits and service account, all children of the component", async () => {
        expect(rec.countByType()).toEqual({ [T.component]: 1, [T.ns]: 1, [T.np]: 4, [T.quota]: 1, [T.limits]: 1, [T.sa]: 1 });
        const top = rec.get(T.component, "mx-models");
        for (const r of rec.resources) if (r !== top) expect(r.parent).toBe(top.urn);
        expect(rec.run.calls).toEqual([]);
    });

    it("namespace: PSA restricted for enforce, audit and warn, and the model-serving label", () => {
        expect(rec.inputs(T.ns, "mx-models-ns")).toEqual({
            apiVersion: "v1",
            kind: "Namespace",
            metadata: {
                name: "models",
                labels: {
                    "pod-security.kubernetes.io/enforce": "restricted",
                    "pod-security.kubernetes.io/enforce-version": "latest",
                    "pod-security.kubernetes.io/audit": "restricted",
                    "pod-security.kubernetes.io/audit-version": "latest",
                    "pod-security.kubernetes.io/warn": "restricted",
                    "pod-security.kubernetes.io/warn-version": "latest",
                    "aiguard.io/model-serving": "true",
                },
            },
        });
    });

    it("network policies: default deny both ways, then DNS, the declared ingress and the model store only", () => {
        const spec = (name: string) => {
            const i = rec.inputs(T.np, name);
            expect(i.metadata.namespace).toBe("models");
            return i.spec;
        };
        expect(spec("mx-models-default-deny")).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
        expect(rec.inputs(T.np, "mx-models-default-deny").metadata).toEqual(META("default-deny"));
        expect(spec("mx-models-allow-dns")).toEqual({
            podSelector: {},
            policyTypes: ["Egress"],
            egress: [{
                to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
                ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }],
            }],
        });
        expect(spec("mx-models-allow-ingress")).toEqual({
            podSelector: {},
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "gateway" } } }], ports: [{ protocol: "TCP", port: 8080 }] }],
        });
        expect(spec("mx-models-allow-model-store")).toEqual({
            podSelector: {},
            policyTypes: ["Egress"],
            egress: [{ to: [{ ipBlock: { cidr: "10.30.0.0/16" } }], ports: [{ protocol: "TCP", port: 443 }] }],
        });
    });

    it("quota, limits and a service account that mounts no token", () => {
        expect(rec.inputs(T.quota, "mx-models-quota")).toMatchObject({
            metadata: META("model-serving"),
            spec: { hard: { "requests.cpu": "16", "requests.memory": "64Gi", "limits.cpu": "32", "limits.memory": "128Gi", pods: "50" } },
        });
        expect(rec.inputs(T.limits, "mx-models-limits").spec).toEqual({
            limits: [{ type: "Container", defaultRequest: { cpu: "250m", memory: "512Mi" }, default: { cpu: "2", memory: "4Gi" }, max: { cpu: "16", memory: "64Gi" } }],
        });
        expect(rec.inputs(T.sa, "mx-models-sa")).toMatchObject({ metadata: META("model-server"), automountServiceAccountToken: false });
    });
});

describe("ModelNamespace options", () => {
    it("without ingress or model store args only the deny and DNS policies exist", async () => {
        const rec = await run({ ingress: undefined, modelStoreEgress: undefined });
        expect(rec.ofType(T.np).map((p) => p.name).sort()).toEqual(["mx-models-allow-dns", "mx-models-default-deny"]);
    });

    it("ingress CIDRs, pod selector and ports, extra labels, GPU quota, custom store port", async () => {
        const rec = await run({
            labels: { team: "nlp" },
            ingress: { cidrs: ["10.30.0.0/20"], ports: [8080, 8081], podSelector: { matchLabels: { app: "llm" } } },
            modelStoreEgress: { cidrs: ["10.30.128.0/24"], port: 8443 },
            quota: { gpus: "4" },
        });
        expect(rec.inputs(T.ns, "mx-models-ns").metadata.labels).toMatchObject({ team: "nlp", "aiguard.io/model-serving": "true" });
        expect(rec.inputs(T.np, "mx-models-allow-ingress").spec).toEqual({
            podSelector: { matchLabels: { app: "llm" } },
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ ipBlock: { cidr: "10.30.0.0/20" } }], ports: [{ protocol: "TCP", port: 8080 }, { protocol: "TCP", port: 8081 }] }],
        });
        expect(rec.inputs(T.np, "mx-models-allow-model-store").spec.egress[0].ports).toEqual([{ protocol: "TCP", port: 8443 }]);
        expect(rec.inputs(T.quota, "mx-models-quota").spec.hard["requests.nvidia.com/gpu"]).toBe("4");
    });

    it.each<[string, ModelNamespaceArgs, RegExp]>([
        ["ingress from everywhere", { ingress: { cidrs: ["0.0.0.0/0"] } }, /never 0\.0\.0\.0\/0/],
        ["a peer without labels", { ingress: { peers: [{ namespaceSelector: {} }] } }, /would admit every pod of every namespace/],
        ["an ingress with no source", { ingress: { ports: [8080] } }, /at least one peer or CIDR/],
        ["an invalid port", { ingress: { cidrs: ["10.0.0.0/8"], ports: [70000] } }, /TCP port numbers/],
        ["egress to everywhere", { modelStoreEgress: { cidrs: ["0.0.0.0/0"] } }, /modelStoreEgress\.cidrs must list specific networks/],
        ["an empty model store egress", { modelStoreEgress: { cidrs: [] } }, /must name the model store endpoint/],
        ["a label overriding Pod Security", { labels: { "pod-security.kubernetes.io/enforce": "privileged" } }, /must not set "pod-security\.kubernetes\.io\/enforce"/],
        ["faking the model label", { labels: { "aiguard.io/model-serving": "false" } }, /must not set "aiguard\.io\/model-serving"/],
        ["kube-system", { namespace: "kube-system" }, /system or shared namespace/],
        ["an invalid name", { namespace: "Models" }, /DNS-1123 label/],
    ])("rejects %s", async (_what, o, message) => {
        expect(modelNamespaceArgsProblem(modelNamespaceArgs(o), Names.namespace)).toMatch(message);
        await expect(run(o)).rejects.toThrow(message);
    });

    it("modelNamespaceArgsProblem passes the fixture's arguments and defaults the namespace to the component name", () => {
        expect(modelNamespaceArgsProblem(modelNamespaceArgs(), Names.namespace)).toBeUndefined();
        expect(modelNamespaceArgsProblem({}, "default")).toMatch(/namespace "default" is a system or shared namespace/);
    });
});
