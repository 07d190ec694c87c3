/**
 * The webhook's watches of namespaces and service accounts (admission-webhook/server/cluster/
 * reflector.ts through `KubeClusterFacts`) against a real kube-apiserver: a label change is seen
 * within a bound without a direct read; before the watches sync (no list/watch rights yet) and
 * while a watch is broken beyond `watchStaleMs`, every lookup is a direct read with a deadline
 * (fail closed on its errors), never an answer from a view that may be stale.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KubeClusterFacts, loadKubeConfig } from "../../admission-webhook/server/cluster/kube";
import type { WatchEvent } from "../../admission-webhook/server/cluster/reflector";
import { documentedClusterRole, serviceAccountToken, writeTokenKubeconfig } from "./kube-identity";
import { startKubeCluster, type KubeCluster } from "../../fixtures/engines/kube-fixture";
import { kubectlOk } from "../../fixtures/engines/kubectl";
import { waitUntil } from "../../fixtures/engines/tools";
import { namespaceJson } from "../../fixtures/engines/workloads";

const NS = "watched";
const never = () => new AbortController().signal;
/** How quickly a label change must reach the webhook's view (it takes a few ms on loopback). */
const LABEL_BOUND_MS = 2_000;

let cluster: KubeCluster;
let kc: string;
const opened: KubeClusterFacts[] = [];
const applyJson = (obj: object) => kubectlOk(kc, ["apply", "-f", "-"], { input: JSON.stringify(obj) });

function facts(kubeconfig: string, events: WatchEvent[] = [], o: { staleMs?: number; watchTimeoutSeconds?: number } = {}): KubeClusterFacts {
    const f = new KubeClusterFacts(loadKubeConfig(kubeconfig), {
        namespaceLabelTtlMs: 0,
        callTimeoutMs: 2_000,
        watchStaleMs: o.staleMs ?? 1_000,
        ...(o.watchTimeoutSeconds !== undefined ? { watchTimeoutSeconds: o.watchTimeoutSeconds } : {}),
        onWatchEvent: (e) => events.push(e),
    });
    opened.push(f);
    return f;
}

beforeAll(async () => {
    cluster = await startKubeCluster({ controllerManager: false });
    kc = cluster.kubeconfigPath;
    await kubectlOk(kc, ["apply", "-f", "-"], { input: namespaceJson(NS, { stage: "a" }) });
    await applyJson({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "puller", namespace: NS }, imagePullSecrets: [{ name: "regcred" }] });
}, 120_000);

afterAll(async () => {
    await Promise.all(opened.map((f) => f.close()));
    await cluster?.stop();
});

describe("synced watches", () => {
    it("answer from the watch, and a namespace label change is seen within the bound without a direct read", async () => {
        const f = facts(kc);
        expect(await f.waitForSync(15_000)).toBe(true);
        expect(await f.namespaceLabels(NS, never())).toMatchObject({ stage: "a" });
        const before = { ...f.reads };
        const t0 = Date.now();
        await kubectlOk(kc, ["label", "namespace", NS, "stage=b", "--overwrite"]);
        await waitUntil(async () => (await f.namespaceLabels(NS, never()))["stage"] === "b", {
            timeoutMs: LABEL_BOUND_MS, intervalMs: 5, describe: () => `the label change did not reach the watch within ${LABEL_BOUND_MS} ms`,
        });
        console.log(`namespace label change seen ${Date.now() - t0} ms after kubectl label started`);
        expect(f.reads.direct).toBe(before.direct);
        expect(f.reads.watched).toBeGreaterThan(before.watched);
    });

    it("a service account's pull-secret names come from the watch, including one created after sync", async () => {
        const f = facts(kc);
        expect(await f.waitForSync(15_000)).toBe(true);
        await applyJson({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "late", namespace: NS }, imagePullSecrets: [{ name: "late-cred" }] });
        await waitUntil(async () => (await f.pullCredentials(NS, { serviceAccountName: "late", imagePullSecrets: [] }, never())).notes.includes(`secret ${NS}/late-cred not found; skipped`), {
            timeoutMs: LABEL_BOUND_MS, intervalMs: 20, describe: () => "the new service account's pull secret never showed",
        });
        const direct = f.reads.direct;
        const res = await f.pullCredentials(NS, { serviceAccountName: "puller", imagePullSecrets: [] }, never());
        expect(res.notes).toEqual([`secret ${NS}/regcred not found; skipped`]);
        expect(f.reads.direct).toBe(direct);
    });

    it("a namespace the watch has not delivered (or that does not exist) is read directly and fails closed", async () => {
        const f = facts(kc);
        expect(await f.waitForSync(15_000)).toBe(true);
        await expect(f.namespaceLabels("ghost", never())).rejects.toThrow("namespace ghost not found");
        expect(f.reads.direct).toBe(1);
    });
});

describe("before sync and with a broken watch", () => {
    const SA_NS = "aiguard-system";
    let kubeconfig: string;
    const role = (rules: object[]) => applyJson({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "aiguard-watch-test" }, rules });

    beforeAll(async () => {
        await kubectlOk(kc, ["apply", "-f", "-"], { input: namespaceJson(SA_NS) });
        const token = await serviceAccountToken(cluster, SA_NS, "aiguard-admission");
        kubeconfig = writeTokenKubeconfig(cluster, "aiguard-admission", token);
        await role([{ apiGroups: [""], resources: ["namespaces", "serviceaccounts", "secrets"], verbs: ["get"] }]);
        await kubectlOk(kc, ["create", "clusterrolebinding", "aiguard-watch-test", "--clusterrole=aiguard-watch-test", `--serviceaccount=${SA_NS}:aiguard-admission`]);
    });

    it("before sync (get only: the list is refused) every lookup is a direct read; the README's ClusterRole lets the watches sync", async () => {
        const events: WatchEvent[] = [];
        const f = facts(kubeconfig, events);
        await waitUntil(async () => events.some((e) => e.state === "error"), { timeoutMs: 10_000, describe: () => "the refused list was never reported" });
        expect(events.find((e) => e.resource === "namespaces")?.error).toBe(
            'the Kubernetes API refused to read namespaces (list) (HTTP 403); grant the webhook\'s service account "list namespaces" in RBAC',
        );
        expect(await f.namespaceLabels(NS, never())).toMatchObject({ "kubernetes.io/metadata.name": NS });
        expect(f.reads).toEqual({ watched: 0, direct: 1 });

        await applyJson({ ...documentedClusterRole(), metadata: { name: "aiguard-watch-test" } });
        expect(await f.waitForSync(15_000)).toBe(true);
        await f.namespaceLabels(NS, never());
        expect(f.reads).toEqual({ watched: 1, direct: 1 });
    });

    it("a watch broken beyond watchStaleMs (watch refused on reconnect) is not trusted: lookups read directly and stay current", async () => {
        await applyJson({ ...documentedClusterRole(), metadata: { name: "aiguard-watch-test" } });
        const events: WatchEvent[] = [];
        const f = facts(kubeconfig, events, { staleMs: 1_000, watchTimeoutSeconds: 1 });
        expect(await f.waitForSync(15_000)).toBe(true);
        await role([{ apiGroups: [""], resources: ["namespaces", "serviceaccounts"], verbs: ["get", "list"] }, { apiGroups: [""], resources: ["secrets"], verbs: ["get"] }]);
        // The running watch ends after 1 s; its successor is refused; 1 s later the view is stale.
        await waitUntil(async () => events.some((e) => e.state === "error" && e.error?.includes('"watch namespaces"') === true), {
            timeoutMs: 10_000, describe: () => `the refused watch was never reported (events: ${JSON.stringify(events)})`,
        });
        await kubectlOk(kc, ["label", "namespace", NS, "stage=c", "--overwrite"]);
        await waitUntil(async () => {
            const direct = f.reads.direct;
            const labels = await f.namespaceLabels(NS, never());
            return f.reads.direct === direct + 1 && labels["stage"] === "c";
        }, { timeoutMs: 5_000, intervalMs: 100, describe: () => "lookups never fell back to direct reads after the watch broke" });
        expect(events.find((e) => e.state === "error" && e.resource === "namespaces")?.error).toBe(
            'the Kubernetes API refused to read namespaces (watch) (HTTP 403); grant the webhook\'s service account "watch namespaces" in RBAC',
        );
    });
});
