/**
 * The webhook's Kubernetes reads (admission-webhook/server/cluster/kube.ts: `loadKubeConfig`,
 * `KubeClusterFacts` on @kubernetes/client-node) against a real kube-apiserver: namespace labels,
 * service accounts, docker registry secrets, RBAC, authentication and deadlines. These are the
 * direct reads (`watch: false`), which the webhook uses before its watches sync, while they are
 * broken, and for objects not yet delivered; kube-watch.test.ts covers the watches. Every failure must
 * be a `ClusterError` whose message names the object and the fix, so the webhook fails closed.
 */
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClusterError, KubeClusterFacts, loadKubeConfig } from "../../admission-webhook/server/cluster/kube";
import { documentedClusterRole, serviceAccountToken, writeTokenKubeconfig } from "./kube-identity";
import { startKubeCluster, type KubeCluster } from "../../fixtures/engines/kube-fixture";
import { kubectlOk } from "../../fixtures/engines/kubectl";
import { freePort, waitUntil } from "../../fixtures/engines/tools";
import { namespaceJson } from "../../fixtures/engines/workloads";

const NS = "models";
const never = () => new AbortController().signal;
const pod = (imagePullSecrets: string[] = [], serviceAccountName = "default") => ({ serviceAccountName, imagePullSecrets });

let cluster: KubeCluster;
let kc: string;
let admin: KubeClusterFacts;

const applyJson = (obj: object) => kubectlOk(kc, ["apply", "-f", "-"], { input: JSON.stringify(obj) });
const b64 = (s: string) => Buffer.from(s).toString("base64");

function secret(name: string, type: string, data: Record<string, string>): object {
    return { apiVersion: "v1", kind: "Secret", metadata: { name, namespace: NS }, type, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])) };
}

beforeAll(async () => {
    // No controller manager: nothing creates `default` service accounts, which the tests rely on.
    cluster = await startKubeCluster({ controllerManager: false });
    kc = cluster.kubeconfigPath;
    admin = new KubeClusterFacts(loadKubeConfig(kc), { namespaceLabelTtlMs: 0, watch: false });
    await kubectlOk(kc, ["apply", "-f", "-"], { input: namespaceJson(NS, { "aiguard.io/model-serving": "true", team: "ml" }) });
});

afterAll(async () => {
    await cluster?.stop();
});

describe("loadKubeConfig", () => {
    it("reads the given kubeconfig file", () => {
        const config = loadKubeConfig(kc);
        expect(config.getCurrentCluster()?.server).toBe(cluster.server);
        expect(config.getCurrentUser()?.name).toBe("admin");
    });

    it("throws naming the file when it does not exist", () => {
        const missing = path.join(cluster.dir, "no-such-kubeconfig");
        expect(() => loadKubeConfig(missing)).toThrow(missing);
    });
});

describe("namespace labels", () => {
    it("returns the labels stored by the API server, including the one it adds itself", async () => {
        expect(await admin.namespaceLabels(NS, never())).toEqual({
            "aiguard.io/model-serving": "true",
            team: "ml",
            "kubernetes.io/metadata.name": NS,
        });
    });

    it("fails closed on a namespace that does not exist", async () => {
        const err = await admin.namespaceLabels("ghost", never()).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ClusterError);
        expect((err as Error).message).toBe("namespace ghost not found");
    });

    it("serves cached labels for the TTL, then reads the new ones", async () => {
        await kubectlOk(kc, ["apply", "-f", "-"], { input: namespaceJson("relabelled", { stage: "a" }) });
        let now = 1_000_000;
        const cached = new KubeClusterFacts(loadKubeConfig(kc), { namespaceLabelTtlMs: 30_000, now: () => now, watch: false });
        expect(await cached.namespaceLabels("relabelled", never())).toMatchObject({ stage: "a" });
        await kubectlOk(kc, ["label", "namespace", "relabelled", "stage=b", "--overwrite"]);
        now += 29_000;
        expect(await cached.namespaceLabels("relabelled", never())).toMatchObject({ stage: "a" });
        now += 2_000;
        expect(await cached.namespaceLabels("relabelled", never())).toMatchObject({ stage: "b" });
        expect(await admin.namespaceLabels("relabelled", never())).toMatchObject({ stage: "b" });
    });
});

describe("pull credentials", () => {
    beforeAll(async () => {
        await kubectlOk(kc, [
            "create", "secret", "docker-registry", "regcred", "-n", NS,
            "--docker-server=registry.example:5000", "--docker-username=robot", "--docker-password=pa:ss",
        ]);
        await applyJson(secret("legacy", "kubernetes.io/dockercfg", {
            ".dockercfg": JSON.stringify({ "legacy.example": { auth: b64("old:timer") } }),
        }));
        await applyJson(secret("sa-cred", "kubernetes.io/dockerconfigjson", {
            ".dockerconfigjson": JSON.stringify({ auths: { "sa.example": { username: "sa-user", password: "sa-pass" }, "tok.example": { identitytoken: "id-tok" } } }),
        }));
        await applyJson(secret("opaque", "Opaque", { token: "not a pull secret" }));
        await applyJson({
            apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "puller", namespace: NS },
            imagePullSecrets: [{ name: "sa-cred" }, { name: "regcred" }],
        });
    });

    it("decodes the pod's secrets, then its service account's, once each, in order", async () => {
        const res = await admin.pullCredentials(NS, pod(["regcred", "legacy", "opaque", "gone"], "puller"), never());
        expect(res.credentials).toEqual([
            { registry: "registry.example:5000", username: "robot", password: "pa:ss" },
            { registry: "legacy.example", username: "old", password: "timer" },
            { registry: "sa.example", username: "sa-user", password: "sa-pass" },
            { registry: "tok.example", identityToken: "id-tok" },
        ]);
        expect(res.notes).toEqual([
            "secret models/opaque has type Opaque, not a docker registry secret; skipped",
            "secret models/gone not found; skipped",
        ]);
    });

    it("notes a service account that does not exist and still uses the pod's secrets", async () => {
        const res = await admin.pullCredentials(NS, pod(["regcred"], "not-created-yet"), never());
        expect(res.credentials.map((c) => c.registry)).toEqual(["registry.example:5000"]);
        expect(res.notes).toEqual(["service account models/not-created-yet not found; its pull secrets were not used"]);
    });

    it("fails closed on a docker config the API server accepts but that is not usable", async () => {
        // The API server only checks that .dockerconfigjson is a JSON object.
        await applyJson(secret("broken", "kubernetes.io/dockerconfigjson", { ".dockerconfigjson": JSON.stringify({ auths: ["registry.example"] }) }));
        const err = await admin.pullCredentials(NS, pod(["broken"]), never()).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ClusterError);
        expect((err as Error).message).toBe('secret models/broken: "auths" must be an object of registry host to credentials');
    });
});

describe("RBAC and authentication", () => {
    const SA_NS = "aiguard-system";
    let facts: KubeClusterFacts;
    const grant = (resources: string[]) =>
        applyJson({
            apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "aiguard-admission" },
            rules: [{ apiGroups: [""], resources, verbs: ["get"] }],
        });
    const refusal = async (p: Promise<unknown>) => {
        const err = await p.then(() => undefined, (e: unknown) => e);
        expect(err).toBeInstanceOf(ClusterError);
        return (err as Error).message;
    };

    beforeAll(async () => {
        await kubectlOk(kc, ["apply", "-f", "-"], { input: namespaceJson(SA_NS) });
        const token = await serviceAccountToken(cluster, SA_NS, "aiguard-admission");
        facts = new KubeClusterFacts(loadKubeConfig(writeTokenKubeconfig(cluster, "aiguard-admission", token)), { namespaceLabelTtlMs: 0, watch: false });
    });

    it("a service account without rights is refused, and the message names the RBAC verb to grant", async () => {
        expect(await refusal(facts.namespaceLabels(NS, never()))).toBe(
            'the Kubernetes API refused to read namespace models (HTTP 403); grant the webhook\'s service account "get namespaces" in RBAC',
        );
        expect(await refusal(facts.pullCredentials(NS, pod(["regcred"], "puller"), never()))).toBe(
            'the Kubernetes API refused to read service account models/puller (HTTP 403); grant the webhook\'s service account "get serviceaccounts" in RBAC',
        );
    });

    it("names each missing verb as rights are granted one by one", async () => {
        await kubectlOk(kc, ["create", "clusterrolebinding", "aiguard-admission", "--clusterrole=aiguard-admission", `--serviceaccount=${SA_NS}:aiguard-admission`]);
        await grant(["namespaces"]);
        await waitUntil(async () => (await facts.namespaceLabels(NS, never()))["team"] === "ml", { timeoutMs: 10_000, describe: () => "get namespaces never took effect" });
        await grant(["namespaces", "serviceaccounts"]);
        let last = "";
        await waitUntil(async () => {
            last = await refusal(facts.pullCredentials(NS, pod(["regcred"], "puller"), never()));
            return last.includes("secret");
        }, { timeoutMs: 10_000, describe: () => `get serviceaccounts never took effect (last: ${last})` });
        expect(last).toBe('the Kubernetes API refused to read secret models/regcred (HTTP 403); grant the webhook\'s service account "get secrets" in RBAC');
    });

    it("the ClusterRole documented in admission-webhook/README.md is enough", async () => {
        await applyJson(documentedClusterRole());
        await waitUntil(async () => (await facts.pullCredentials(NS, pod(["regcred"], "puller"), never()).then(() => true, () => false)), {
            timeoutMs: 10_000, describe: () => "the README's ClusterRole never allowed reading pull secrets",
        });
        const res = await facts.pullCredentials(NS, pod(["regcred"], "puller"), never());
        expect(res.credentials.map((c) => c.registry)).toEqual(["registry.example:5000", "sa.example", "tok.example"]);
    });

    it("a token the API server does not accept is reported as a credentials problem (HTTP 401), not as RBAC", async () => {
        const bogus = new KubeClusterFacts(loadKubeConfig(writeTokenKubeconfig(cluster, "bogus", "not-a-valid-token")), { watch: false });
        const expected = "the Kubernetes API did not accept the webhook's credentials reading namespace models (HTTP 401); check that the service account token (or --kubeconfig user) is valid and not expired";
        expect(await refusal(bogus.namespaceLabels(NS, never()))).toBe(expected);
        // A real, once valid token whose service account was deleted (e.g. recreated by a redeploy).
        const orphaned = await serviceAccountToken(cluster, "aiguard-system", "deleted-later");
        await kubectlOk(kc, ["delete", "serviceaccount", "deleted-later", "-n", "aiguard-system"]);
        const expired = new KubeClusterFacts(loadKubeConfig(writeTokenKubeconfig(cluster, "orphaned", orphaned)), { watch: false });
        expect(await refusal(expired.namespaceLabels(NS, never()))).toBe(expected);
    });
});

describe("deadlines and unreachable servers", () => {
    const apiserverGroup = () => cluster.processGroups.find((p) => p.name === "kube-apiserver")!.pgid;

    /** Freezes the real apiserver (SIGSTOP): connections are accepted by the kernel but never answered. */
    async function whileFrozen<T>(fn: () => Promise<T>): Promise<T> {
        process.kill(-apiserverGroup(), "SIGSTOP");
        try {
            return await fn();
        } finally {
            process.kill(-apiserverGroup(), "SIGCONT");
        }
    }

    it("a call to a hung API server ends at the call deadline with a timeout message", async () => {
        const facts = new KubeClusterFacts(loadKubeConfig(kc), { callTimeoutMs: 500, namespaceLabelTtlMs: 30_000, watch: false });
        await facts.namespaceLabels(NS, never()); // warm the connection before freezing
        const t0 = Date.now();
        const err = await whileFrozen(() => facts.namespaceLabels("models-2", never()).catch((e: unknown) => e));
        const took = Date.now() - t0;
        expect(err).toBeInstanceOf(ClusterError);
        expect((err as Error).message).toBe("reading namespace models-2 from the Kubernetes API timed out after 500 ms");
        expect(took).toBeGreaterThanOrEqual(450);
        expect(took).toBeLessThan(3_000);
        // The failure was not cached: once the server answers again, so does the read.
        await kubectlOk(kc, ["apply", "-f", "-"], { input: namespaceJson("models-2", { late: "yes" }) });
        expect(await facts.namespaceLabels("models-2", never())).toMatchObject({ late: "yes" });
    });

    it("the request's own deadline cancels a call in flight", async () => {
        const facts = new KubeClusterFacts(loadKubeConfig(kc), { callTimeoutMs: 10_000, watch: false });
        const t0 = Date.now();
        const err = await whileFrozen(() => facts.pullCredentials(NS, pod(["regcred"], "puller"), AbortSignal.timeout(300)).catch((e: unknown) => e));
        expect(err).toBeInstanceOf(ClusterError);
        expect((err as Error).message).toBe("reading service account models/puller was cancelled: the request deadline passed");
        expect(Date.now() - t0).toBeLessThan(3_000);
    });

    it("a request whose deadline already passed makes no call", async () => {
        const ctl = new AbortController();
        ctl.abort();
        const err = await admin.namespaceLabels(NS, ctl.signal).catch((e: unknown) => e);
        expect((err as Error).message).toBe("reading namespace models was cancelled: the request deadline passed");
    });

    it("an API server that is not listening is reported as unreachable", async () => {
        const closed = `https://127.0.0.1:${await freePort()}`;
        const facts = new KubeClusterFacts(loadKubeConfig(writeTokenKubeconfig(cluster, "nowhere", "x", closed)), { watch: false });
        const err = await facts.namespaceLabels(NS, never()).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ClusterError);
        expect((err as Error).message).toMatch(/^the Kubernetes API could not be reached to read namespace models: .*ECONNREFUSED/);
    });
});
