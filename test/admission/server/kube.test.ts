import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { credentialsFromSecret, decodeDockerConfig, PullSecretError } from "../../../admission-webhook/server/cluster/dockerconfig";
import { ClusterError, KubeClusterFacts } from "../../../admission-webhook/server/cluster/kube";
import { makeCa } from "../../../fixtures/admission/certs";
import { kubectl, startFakeApiServer, type FakeApiServer, type Json } from "./support/fake-apiserver";

const NS = "/api/v1/namespaces/models";
const never = new AbortController().signal;

describe("pull secret decoding", () => {
    it("decodes a kubectl-made kubernetes.io/dockerconfigjson secret", () => {
        const s = kubectl("secret", "docker-registry", "regcred", "-n", "models", "--docker-server=127.0.0.1:5000", "--docker-username=puller", "--docker-password=s3cr:et");
        expect(credentialsFromSecret(s["type"] as string, s["data"] as Record<string, string>, "secret models/regcred")).toEqual([
            { registry: "127.0.0.1:5000", username: "puller", password: "s3cr:et" },
        ]);
    });

    it("decodes `auth` when username/password are absent, and identity tokens", () => {
        const cfg = { auths: { "ghcr.io": { auth: Buffer.from("bot:p:w").toString("base64") }, "reg.example": { identitytoken: "tok" } } };
        expect(decodeDockerConfig(JSON.stringify(cfg), "dockerconfigjson", "s")).toEqual([
            { registry: "ghcr.io", username: "bot", password: "p:w" },
            { registry: "reg.example", identityToken: "tok" },
        ]);
    });

    it("decodes the legacy kubernetes.io/dockercfg format", () => {
        const data = { ".dockercfg": Buffer.from(JSON.stringify({ "https://index.docker.io/v1/": { username: "u", password: "p", email: "e@x" } })).toString("base64") };
        expect(credentialsFromSecret("kubernetes.io/dockercfg", data, "s")).toEqual([{ registry: "https://index.docker.io/v1/", username: "u", password: "p" }]);
    });

    it("ignores secrets of other types, like the kubelet", () => {
        const s = kubectl("secret", "generic", "plain", "--from-literal=a=b");
        expect(credentialsFromSecret(s["type"] as string | undefined, s["data"] as Record<string, string>, "s")).toBeUndefined();
    });

    it("names the secret and the fix when it is malformed", () => {
        const bad = { ".dockerconfigjson": Buffer.from("{not json").toString("base64") };
        expect(() => credentialsFromSecret("kubernetes.io/dockerconfigjson", bad, "secret models/broken")).toThrow(
            new PullSecretError("secret models/broken: the docker config is not valid JSON; recreate it with `kubectl create secret docker-registry`"),
        );
        expect(() => credentialsFromSecret("kubernetes.io/dockerconfigjson", {}, "secret models/empty")).toThrow('secret models/empty: a kubernetes.io/dockerconfigjson secret must have data[".dockerconfigjson"]');
        expect(() => decodeDockerConfig(JSON.stringify({ auths: { r: { auth: "bm9jb2xvbg==" } } }), "dockerconfigjson", "s")).toThrow('s: r.auth must be base64 of "username:password"');
    });
});

describe("KubeClusterFacts against an HTTPS API server on 127.0.0.1", () => {
    const ca = makeCa();
    let api: FakeApiServer;
    let now = 1_000;
    beforeAll(async () => {
        api = await startFakeApiServer(ca);
    });
    afterAll(() => api.close());
    beforeEach(() => {
        api.requests.length = 0;
        api.objects.clear();
        api.faults.clear();
        const ns = kubectl("namespace", "models");
        (ns["metadata"] as Json)["labels"] = { "aiguard.io/verify": "enforce", "kubernetes.io/metadata.name": "models" };
        api.objects.set(NS, ns);
        const sa = kubectl("serviceaccount", "runner", "-n", "models");
        sa["imagePullSecrets"] = [{ name: "sa-cred" }, { name: "pod-cred" }];
        api.objects.set(`${NS}/serviceaccounts/runner`, sa);
        api.objects.set(`${NS}/secrets/pod-cred`, kubectl("secret", "docker-registry", "pod-cred", "-n", "models", "--docker-server=ghcr.io", "--docker-username=pod", "--docker-password=pw1"));
        api.objects.set(`${NS}/secrets/sa-cred`, kubectl("secret", "docker-registry", "sa-cred", "-n", "models", "--docker-server=127.0.0.1:5000", "--docker-username=sa", "--docker-password=pw2"));
    });
    const facts = (o: { ttl?: number; timeout?: number } = {}) =>
        new KubeClusterFacts(api.kubeConfig, { namespaceLabelTtlMs: o.ttl ?? 30_000, callTimeoutMs: o.timeout ?? 2_000, now: () => now, watch: false });

    it("reads namespace labels and caches them for the TTL", async () => {
        const f = facts();
        expect(await f.namespaceLabels("models", never)).toEqual({ "aiguard.io/verify": "enforce", "kubernetes.io/metadata.name": "models" });
        await f.namespaceLabels("models", never);
        expect(api.requests).toEqual([NS]);
        now += 30_001;
        await f.namespaceLabels("models", never);
        expect(api.requests).toEqual([NS, NS]);
    });

    it("collects the pod's pull secrets first, then the service account's, once each", async () => {
        const out = await facts().pullCredentials("models", { serviceAccountName: "runner", imagePullSecrets: ["pod-cred"] }, never);
        expect(out).toEqual({
            credentials: [
                { registry: "ghcr.io", username: "pod", password: "pw1" },
                { registry: "127.0.0.1:5000", username: "sa", password: "pw2" },
            ],
            notes: [],
        });
        expect(api.requests).toEqual([`${NS}/serviceaccounts/runner`, `${NS}/secrets/pod-cred`, `${NS}/secrets/sa-cred`]);
    });

    it("skips a missing service account or secret with a note (as the kubelet does)", async () => {
        const out = await facts().pullCredentials("models", { serviceAccountName: "ghost", imagePullSecrets: ["gone"] }, never);
        expect(out).toEqual({ credentials: [], notes: ["service account models/ghost not found; its pull secrets were not used", "secret models/gone not found; skipped"] });
    });

    it("fails closed on RBAC refusal with the verb to grant", async () => {
        api.faults.set(`${NS}/secrets/pod-cred`, 403);
        await expect(facts().pullCredentials("models", { serviceAccountName: "runner", imagePullSecrets: [] }, never)).rejects.toThrow(
            new ClusterError('the Kubernetes API refused to read secret models/pod-cred (HTTP 403); grant the webhook\'s service account "get secrets" in RBAC'),
        );
    });

    it("fails closed on API errors and does not cache them", async () => {
        api.faults.set(NS, 500);
        const f = facts();
        await expect(f.namespaceLabels("models", never)).rejects.toThrow(new ClusterError("the Kubernetes API failed to read namespace models (HTTP 500)"));
        api.faults.delete(NS);
        expect(await f.namespaceLabels("models", never)).toMatchObject({ "aiguard.io/verify": "enforce" });
    });

    it("a hanging API call ends at the call timeout", async () => {
        api.faults.set(NS, "hang");
        const t0 = Date.now();
        await expect(facts({ timeout: 300 }).namespaceLabels("models", never)).rejects.toThrow(new ClusterError("reading namespace models from the Kubernetes API timed out after 300 ms"));
        expect(Date.now() - t0).toBeLessThan(2_000);
    });

    it("a hanging API call ends when the request's deadline signal fires", async () => {
        api.faults.set(`${NS}/serviceaccounts/runner`, "hang");
        const ctl = new AbortController();
        setTimeout(() => ctl.abort(), 200);
        await expect(facts({ timeout: 10_000 }).pullCredentials("models", { serviceAccountName: "runner", imagePullSecrets: [] }, ctl.signal)).rejects.toThrow(
            new ClusterError("reading service account models/runner was cancelled: the request deadline passed"),
        );
    });

    it("a malformed pull secret denies with the secret's name", async () => {
        api.objects.set(`${NS}/secrets/pod-cred`, { ...kubectl("secret", "generic", "pod-cred", "--from-literal=x=y"), type: "kubernetes.io/dockerconfigjson" });
        await expect(facts().pullCredentials("models", { serviceAccountName: "x", imagePullSecrets: ["pod-cred"] }, never)).rejects.toThrow(
            'secret models/pod-cred: a kubernetes.io/dockerconfigjson secret must have data[".dockerconfigjson"]',
        );
    });
});

describe("one connection pool for every API read (issue 14 case 2)", () => {
    let api: FakeApiServer;
    beforeAll(async () => {
        api = await startFakeApiServer(makeCa());
        api.objects.set(NS, kubectl("namespace", "models"));
        api.objects.set(`${NS}/serviceaccounts/default`, kubectl("serviceaccount", "default", "-n", "models"));
        api.objects.set(`${NS}/secrets/regcred`, kubectl("secret", "docker-registry", "regcred", "-n", "models", "--docker-server=127.0.0.1:5000", "--docker-username=u", "--docker-password=p"));
    });
    afterAll(() => api?.close());

    it("200 uncached decisions' reads reuse a handful of TLS connections instead of opening one each", async () => {
        const facts = new KubeClusterFacts(api.kubeConfig, { namespaceLabelTtlMs: 0, watch: false });
        for (let i = 0; i < 200; i++) {
            await facts.namespaceLabels("models", never);
            await facts.pullCredentials("models", { serviceAccountName: "default", imagePullSecrets: ["regcred"] }, never);
        }
        expect(api.requests.length).toBeGreaterThanOrEqual(600);
        expect(api.connections()).toBeLessThanOrEqual(8);
    });

    it("caches service accounts' pull-secret names like namespace labels (one read per TTL)", async () => {
        const facts = new KubeClusterFacts(api.kubeConfig, { namespaceLabelTtlMs: 30_000, watch: false });
        const before = api.requests.filter((p) => p.endsWith("/serviceaccounts/default")).length;
        for (let i = 0; i < 20; i++) await facts.pullCredentials("models", { serviceAccountName: "default", imagePullSecrets: [] }, never);
        expect(api.requests.filter((p) => p.endsWith("/serviceaccounts/default")).length - before).toBe(1);
    });
});
