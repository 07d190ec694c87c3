/**
 * A real, local Kubernetes control plane for tests: etcd + kube-apiserver + kube-controller-manager
 * built by `scripts/build-engines.sh`, on 127.0.0.1 with random free ports, in a temp dir.
 *
 * No scheduler and no kubelet: Pods are admitted and stay Pending, which is what admission tests
 * need. Deployments get their ReplicaSets and Pods and namespaces their `default` service account
 * (the controller manager does that).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as https from "node:https";
import * as os from "node:os";
import * as path from "node:path";
import { createCertificateAuthority, createSigningKeyPair, issueCertificate } from "./pki";
import { freePort, requireTool, supervise, tail, waitUntil, type Supervised } from "./tools";

/** A running control plane. */
export interface KubeCluster {
    /** Kubeconfig for the admin user (client certificate, group `system:masters`). */
    readonly kubeconfigPath: string;
    /** `https://127.0.0.1:<port>` */
    readonly server: string;
    /** The cluster CA (signs the serving and client certificates). */
    readonly caPem: string;
    /** The temp dir holding certificates, logs and etcd data (removed by stop()). */
    readonly dir: string;
    /** Log files, for diagnosing a failing test. */
    readonly logs: { readonly etcd: string; readonly apiserver: string; readonly controllerManager: string };
    /** Milliseconds from start to a ready apiserver. */
    readonly startupMs: number;
    /** Process-group ids of the running engines (etcd, apiserver, controller manager). */
    readonly processGroups: ReadonlyArray<{ readonly name: string; readonly pgid: number }>;
    /** Kills every process (whole process groups) and removes the temp dir. Idempotent. */
    stop(): Promise<void>;
}

/** Options for {@link startKubeCluster}. */
export interface KubeClusterOptions {
    /** Start kube-controller-manager too. Default true. */
    readonly controllerManager?: boolean;
    /** How long to wait for etcd and then for the apiserver's `/readyz`. Default 60000 ms. */
    readonly readyTimeoutMs?: number;
    /** Service CIDR. Default `10.0.0.0/24` (the apiserver takes 10.0.0.1, which the serving cert names). */
    readonly serviceCidr?: string;
    /**
     * Keep the temp dir (certificates, logs, etcd data) after stop(), for debugging; its path is
     * printed. Default: true only when the environment sets `AIGUARD_KEEP_ENGINE_DIRS=1`.
     */
    readonly keepDir?: boolean;
}

/** SANs of the apiserver serving certificate. */
export const APISERVER_SANS = [
    "127.0.0.1",
    "10.0.0.1",
    "localhost",
    "kubernetes",
    "kubernetes.default",
    "kubernetes.default.svc",
    "kubernetes.default.svc.cluster.local",
] as const;

/** GET over mutual TLS; resolves with status and body. */
function httpsGet(
    url: string,
    tls: { ca: string; cert: string; key: string },
    timeoutMs = 2000,
): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
        const req = https.get(url, { ...tls, timeout: timeoutMs }, (res) => {
            let body = "";
            res.setEncoding("utf8");
            res.on("data", (c: string) => (body += c));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on("timeout", () => req.destroy(new Error(`GET ${url} timed out`)));
        req.on("error", reject);
    });
}

function kubeconfig(server: string, caPem: string, certPem: string, keyPem: string): string {
    const b64 = (s: string) => Buffer.from(s).toString("base64");
    return JSON.stringify(
        {
            apiVersion: "v1",
            kind: "Config",
            clusters: [{ name: "aiguard-test", cluster: { server, "certificate-authority-data": b64(caPem) } }],
            users: [{ name: "admin", user: { "client-certificate-data": b64(certPem), "client-key-data": b64(keyPem) } }],
            contexts: [{ name: "aiguard-test", context: { cluster: "aiguard-test", user: "admin" } }],
            "current-context": "aiguard-test",
        },
        null,
        2,
    );
}

/**
 * Starts etcd, kube-apiserver and (by default) kube-controller-manager, waits for `/readyz`.
 * Throws, after cleaning up, when a binary is missing (naming the build command) or the control
 * plane does not become ready in time (with the tail of the relevant log).
 */
export async function startKubeCluster(options: KubeClusterOptions = {}): Promise<KubeCluster> {
    const started = Date.now();
    const etcdBin = requireTool("etcd");
    const apiserverBin = requireTool("kube-apiserver");
    const withKcm = options.controllerManager ?? true;
    const kcmBin = withKcm ? requireTool("kube-controller-manager") : "";
    const timeoutMs = options.readyTimeoutMs ?? 60_000;

    const dir = mkdtempSync(path.join(os.tmpdir(), "aiguard-kube-"));
    const procs: Supervised[] = [];
    let stopped: Promise<void> | undefined;
    const stop = () =>
        (stopped ??= (async () => {
            // Reverse start order: controller manager, apiserver, etcd.
            for (const p of [...procs].reverse()) await p.stop();
            if (options.keepDir ?? process.env.AIGUARD_KEEP_ENGINE_DIRS === "1") {
                console.error(`kube fixture: kept ${dir} (logs: etcd.log, kube-apiserver.log, kube-controller-manager.log)`);
            } else {
                rmSync(dir, { recursive: true, force: true });
            }
        })());
    const logs = {
        etcd: path.join(dir, "etcd.log"),
        apiserver: path.join(dir, "kube-apiserver.log"),
        controllerManager: path.join(dir, "kube-controller-manager.log"),
    };

    try {
        const ca = createCertificateAuthority(dir, "aiguard-test-kubernetes-ca");
        const serving = issueCertificate(ca, dir, {
            name: "apiserver", commonName: "kube-apiserver", usage: "server", subjectAltNames: APISERVER_SANS,
        });
        const admin = issueCertificate(ca, dir, {
            name: "admin", commonName: "aiguard-test-admin", organizations: ["system:masters"], usage: "client",
        });
        const sa = createSigningKeyPair(dir, "service-account");

        const [etcdClient, etcdPeer, securePort] = await Promise.all([freePort(), freePort(), freePort()]);
        const etcdUrl = `http://127.0.0.1:${etcdClient}`;
        const etcd = supervise("etcd", etcdBin, [
            "--name=aiguard-test",
            `--data-dir=${path.join(dir, "etcd-data")}`,
            `--listen-client-urls=${etcdUrl}`,
            `--advertise-client-urls=${etcdUrl}`,
            `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
            `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
            `--initial-cluster=aiguard-test=http://127.0.0.1:${etcdPeer}`,
            "--log-level=warn",
        ], { logPath: logs.etcd, cwd: dir });
        procs.push(etcd);
        await waitUntil(
            async () => (await fetch(`${etcdUrl}/health`)).ok,
            { timeoutMs, describe: () => `etcd did not become healthy at ${etcdUrl}:\n${tail(logs.etcd)}`, abort: etcd.exited },
        );

        const server = `https://127.0.0.1:${securePort}`;
        const apiserver = supervise("kube-apiserver", apiserverBin, [
            `--etcd-servers=${etcdUrl}`,
            "--bind-address=127.0.0.1",
            `--secure-port=${securePort}`,
            "--advertise-address=127.0.0.1",
            `--cert-dir=${dir}`,
            `--tls-cert-file=${serving.certPath}`,
            `--tls-private-key-file=${serving.keyPath}`,
            `--client-ca-file=${ca.certPath}`,
            "--authorization-mode=RBAC",
            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
            `--service-account-key-file=${sa.publicKeyPath}`,
            `--service-account-signing-key-file=${sa.privateKeyPath}`,
            `--service-cluster-ip-range=${options.serviceCidr ?? "10.0.0.0/24"}`,
            "--endpoint-reconciler-type=none",
            "--profiling=false",
        ], { logPath: logs.apiserver, cwd: dir });
        procs.push(apiserver);
        const tls = { ca: ca.certPem, cert: admin.certPem, key: admin.keyPem };
        let lastReadyz = "(no answer yet)";
        await waitUntil(
            async () => {
                const res = await httpsGet(`${server}/readyz`, tls);
                lastReadyz = `${res.status} ${res.body.slice(0, 300)}`;
                return res.status === 200;
            },
            {
                timeoutMs,
                intervalMs: 200,
                describe: () => `kube-apiserver not ready at ${server}/readyz (last: ${lastReadyz}):\n${tail(logs.apiserver)}`,
                abort: apiserver.exited,
            },
        );

        const kubeconfigPath = path.join(dir, "kubeconfig.json");
        writeFileSync(kubeconfigPath, kubeconfig(server, ca.certPem, admin.certPem, admin.keyPem), { mode: 0o600 });

        if (withKcm) {
            procs.push(supervise("kube-controller-manager", kcmBin, [
                `--kubeconfig=${kubeconfigPath}`,
                "--leader-elect=false",
                `--service-account-private-key-file=${sa.privateKeyPath}`,
                `--root-ca-file=${ca.certPath}`,
                "--use-service-account-credentials=false",
                "--secure-port=0",
                "--controllers=*",
            ], { logPath: logs.controllerManager, cwd: dir }));
        }

        const processGroups = procs.map((p) => ({ name: p.name, pgid: p.child.pid ?? -1 }));
        return { kubeconfigPath, server, caPem: ca.certPem, dir, logs, startupMs: Date.now() - started, processGroups, stop };
    } catch (err) {
        await stop();
        throw err;
    }
}
