/**
 * The real control plane (etcd + kube-apiserver + kube-controller-manager from
 * scripts/build-engines.sh) behaves as the admission tests rely on.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDenyingWebhook, type DenyingWebhookServer } from "./deny-webhook-server";
import { startKubeCluster, type KubeCluster } from "../../fixtures/engines/kube-fixture";
import { getJson, kubectl, kubectlOk } from "../../fixtures/engines/kubectl";
import { builtVersion, waitUntil } from "../../fixtures/engines/tools";
import { registerValidatingWebhook, type RegisteredWebhook } from "../../fixtures/engines/webhook";

const DENY_MESSAGE = "aiguard-test: every pod is denied here";
const POD_RULE = { operations: ["CREATE"], apiGroups: [""], apiVersions: ["v1"], resources: ["pods"] } as const;

let cluster: KubeCluster;
let kc: string;

function groupAlive(pgid: number): boolean {
    try {
        process.kill(-pgid, 0);
        return true;
    } catch {
        return false;
    }
}

async function createNamespace(name: string, labels: Record<string, string> = {}): Promise<void> {
    const ns = { apiVersion: "v1", kind: "Namespace", metadata: { name, labels } };
    await kubectlOk(kc, ["apply", "-f", "-"], { input: JSON.stringify(ns) });
    // Pods need the namespace's `default` service account, which the controller manager creates.
    await waitUntil(async () => (await kubectl(kc, ["get", "serviceaccount", "default", "-n", name])).code === 0, {
        timeoutMs: 30_000,
        describe: () => `no default service account in ${name}: is kube-controller-manager running?`,
    });
}

function deployment(name: string, selectorApp: string, templateApp: string): string {
    return JSON.stringify({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name },
        spec: {
            replicas: 1,
            selector: { matchLabels: { app: selectorApp } },
            template: {
                metadata: { labels: { app: templateApp } },
                spec: { containers: [{ name: "main", image: "registry.example/model-server@sha256:" + "a".repeat(64) }] },
            },
        },
    });
}

beforeAll(async () => {
    cluster = await startKubeCluster();
    kc = cluster.kubeconfigPath;
    console.log(`kube fixture ready in ${cluster.startupMs} ms at ${cluster.server}`);
});

afterAll(async () => {
    await cluster?.stop();
});

describe("engine binaries", () => {
    it("fails with the build command when the engines are missing", async () => {
        const empty = mkdtempSync(path.join(os.tmpdir(), "aiguard-no-tools-"));
        const saved = process.env.AIGUARD_TOOLS_DIR;
        process.env.AIGUARD_TOOLS_DIR = empty;
        try {
            await expect(startKubeCluster()).rejects.toThrow(/engine 'etcd' is missing.*bash scripts\/build-engines\.sh/);
        } finally {
            if (saved === undefined) delete process.env.AIGUARD_TOOLS_DIR;
            else process.env.AIGUARD_TOOLS_DIR = saved;
            rmSync(empty, { recursive: true, force: true });
        }
    });
});

describe("local control plane", () => {
    it("serves the Kubernetes version that build-engines.sh built", async () => {
        const out = JSON.parse(await kubectlOk(kc, ["version", "-o", "json"])) as {
            serverVersion: { gitVersion: string; major: string; minor: string };
        };
        expect(out.serverVersion.gitVersion).toBe(builtVersion("kube-apiserver"));
        expect(out.serverVersion.gitVersion).toMatch(/^v1\.3[56]\.\d+$/);
        expect(out.serverVersion.major).toBe("1");
    });

    it("applies a namespace", async () => {
        await createNamespace("engines-ns", { "aiguard.test/purpose": "namespace" });
        const ns = await getJson<{ metadata: { labels: Record<string, string> }; status: { phase: string } }>(kc, [
            "namespace", "engines-ns",
        ]);
        expect(ns.status.phase).toBe("Active");
        expect(ns.metadata.labels["aiguard.test/purpose"]).toBe("namespace");
    });

    it("turns a Deployment into a ReplicaSet and a Pending Pod (controller manager at work)", async () => {
        await createNamespace("engines-deploy");
        await kubectlOk(kc, ["apply", "-n", "engines-deploy", "-f", "-"], { input: deployment("model", "model", "model") });
        type PodList = { items: Array<{ metadata: { name: string; ownerReferences?: Array<{ kind: string; name: string }> }; status: { phase: string } }> };
        let pods: PodList = { items: [] };
        await waitUntil(
            async () => {
                pods = await getJson<PodList>(kc, ["pods", "-n", "engines-deploy", "-l", "app=model"]);
                return pods.items.length === 1;
            },
            { timeoutMs: 45_000, intervalMs: 250, describe: () => `no Pod for deployment/model (got ${pods.items.length})` },
        );
        const rs = await getJson<{ items: Array<{ metadata: { name: string; ownerReferences: Array<{ kind: string; name: string }> } }> }>(
            kc, ["replicasets", "-n", "engines-deploy", "-l", "app=model"],
        );
        expect(rs.items).toHaveLength(1);
        expect(rs.items[0]?.metadata.ownerReferences[0]).toMatchObject({ kind: "Deployment", name: "model" });
        const pod = pods.items[0];
        expect(pod?.metadata.ownerReferences?.[0]).toMatchObject({ kind: "ReplicaSet", name: rs.items[0]?.metadata.name });
        // No scheduler and no kubelet: the Pod is admitted and stays Pending.
        expect(pod?.status.phase).toBe("Pending");
    });

    it("rejects an invalid object on a server-side dry run and stores nothing", async () => {
        await createNamespace("engines-invalid");
        const res = await kubectl(kc, ["apply", "--dry-run=server", "-n", "engines-invalid", "-f", "-"], {
            input: deployment("mismatch", "model", "other"),
        });
        expect(res.code).not.toBe(0);
        expect(res.stderr).toContain('The Deployment "mismatch" is invalid: spec.template.metadata.labels');
        expect(res.stderr).toContain("`selector` does not match template `labels`");

        const unknownField = await kubectl(kc, ["apply", "--dry-run=server", "-n", "engines-invalid", "-f", "-"], {
            input: JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm" }, dataa: { a: "b" } }),
        });
        expect(unknownField.code).not.toBe(0);
        expect(unknownField.stderr).toMatch(/unknown field "dataa"/);

        const ok = await kubectl(kc, ["apply", "--dry-run=server", "-n", "engines-invalid", "-f", "-"], {
            input: deployment("valid", "model", "model"),
        });
        expect(ok.stderr).toBe("");
        expect(ok.code).toBe(0);
        expect((await kubectl(kc, ["get", "deployment", "valid", "-n", "engines-invalid"])).code).not.toBe(0);
    });
});

describe("validating admission webhook on 127.0.0.1", () => {
    const ns = "engines-webhook";
    let webhookDir: string;
    let server: DenyingWebhookServer;
    let webhook: RegisteredWebhook;

    const runPod = (name: string, namespace = ns, extra: string[] = []) =>
        kubectl(kc, ["run", name, "-n", namespace, "--restart=Never", "--image=registry.example/model@sha256:" + "b".repeat(64), ...extra]);

    beforeAll(async () => {
        webhookDir = mkdtempSync(path.join(os.tmpdir(), "aiguard-webhook-"));
        server = await startDenyingWebhook(webhookDir, DENY_MESSAGE);
        await createNamespace(ns, { "aiguard.test/webhook": "deny" });
        await createNamespace("engines-unwatched");
        webhook = await registerValidatingWebhook(kc, {
            url: server.url,
            caPem: server.caPem,
            namespaceSelector: { matchLabels: { "aiguard.test/webhook": "deny" } },
            failurePolicy: "Fail",
            rules: [POD_RULE],
        });
        // The apiserver loads webhook configurations asynchronously: wait until a dry run hits it.
        await waitUntil(async () => (await runPod("probe", ns, ["--dry-run=server"])).stderr.includes(DENY_MESSAGE), {
            timeoutMs: 20_000,
            intervalMs: 200,
            describe: () => `webhook ${webhook.name} never called (server saw ${server.reviews.length} reviews)`,
        });
    });

    afterAll(async () => {
        await webhook?.remove().catch(() => undefined);
        await server?.close();
        if (webhookDir) rmSync(webhookDir, { recursive: true, force: true });
    });

    it("rejects `kubectl run` with the webhook's own message", async () => {
        const res = await runPod("denied");
        expect(res.code).not.toBe(0);
        expect(res.stderr).toContain(`admission webhook "${webhook.name}.aiguard.test" denied the request: ${DENY_MESSAGE}`);
        expect(server.reviews).toContainEqual({ uid: expect.any(String), kind: "Pod", name: "denied", dryRun: false });
        expect((await kubectl(kc, ["get", "pod", "denied", "-n", ns])).code).not.toBe(0);
    });

    it("leaves namespaces outside its namespaceSelector alone", async () => {
        const res = await runPod("admitted", "engines-unwatched");
        expect(res.stderr).toBe("");
        expect(res.code).toBe(0);
        expect(server.reviews.map((r) => r.name)).not.toContain("admitted");
    });

    it("rejects pods while the webhook is down when failurePolicy is Fail", async () => {
        await server.close();
        const res = await runPod("webhook-down");
        expect(res.code).not.toBe(0);
        expect(res.stderr).toContain(`failed calling webhook "${webhook.name}.aiguard.test"`);
        expect((await kubectl(kc, ["get", "pod", "webhook-down", "-n", ns])).code).not.toBe(0);
    });

    it("admits pods while the webhook is down only after failurePolicy is relaxed to Ignore", async () => {
        await registerValidatingWebhook(kc, {
            name: webhook.name,
            url: server.url,
            caPem: server.caPem,
            namespaceSelector: { matchLabels: { "aiguard.test/webhook": "deny" } },
            failurePolicy: "Ignore",
            rules: [POD_RULE],
        });
        await waitUntil(async () => (await runPod("ignored", ns, ["--dry-run=server"])).code === 0, {
            timeoutMs: 20_000,
            intervalMs: 200,
            describe: () => "failurePolicy Ignore never took effect",
        });
        const res = await runPod("ignored");
        expect(res.code).toBe(0);
    });
});

describe("fixture teardown", () => {
    it("stop() kills every engine process group and removes the temp dir", async () => {
        expect(cluster.processGroups.map((p) => p.name)).toEqual(["etcd", "kube-apiserver", "kube-controller-manager"]);
        for (const p of cluster.processGroups) expect(groupAlive(p.pgid)).toBe(true);
        await cluster.stop();
        for (const p of cluster.processGroups) expect(groupAlive(p.pgid)).toBe(false);
        expect(existsSync(cluster.dir)).toBe(false);
    });
});
