/**
 * Benchmark of the admission webhook on the real API-server path (not a test; it prints figures).
 * Starts the test bed's real etcd + kube-apiserver, Debian's docker-registry with a signed image,
 * and `admission-webhook/cli.ts serve --kubeconfig …` as operators run it, **inside a memory
 * cgroup limited to the component's default memory limit** (components/k8s/webhook-specs.ts),
 * registered through a ValidatingWebhookConfiguration. Namespace labels and service accounts come
 * from the webhook's watches of that API server. Phases:
 *
 *   apiserver   dry-run Pod creates sent to the kube-apiserver (which calls the webhook): req/s
 *               and latency of the whole path; every answer must be an admission;
 *   throughput  AdmissionReviews sent straight to the webhook at maximum rate (autocannon, 2 cores
 *               shared by load generator and server): the apiserver itself cannot generate
 *               5,000 admission calls/s on this machine, so the webhook is measured directly with
 *               the reviews the apiserver sends (namespace `models`, its facts from the watches);
 *   paced       1,000 req/s, open loop, for a warm-up then a soak: server-side p99 from the
 *               webhook's own histogram, and RSS of the webhook process sampled every second;
 *   hostile     one Pod naming 10,000 distinct digests while 50 signed Pods are sent.
 *
 * Usage: node --import tsx bench/webhook-apiserver.ts [--duration 10] [--warmup 10] [--soak 30]
 *        [--baseline <checkout>]   (issue 14's figures: --warmup 60 --soak 300)
 * Duration ≈ 40 s of setup + duration (throughput) + warmup + soak + ~15 s, and the same again
 * for the throughput phase of a --baseline checkout (e.g. a `git worktree` of 3f51314). Needs root
 * for the cgroup. Loopback only.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { stringify } from "yaml";
import { describeError } from "../common/errors";
import { DEFAULT_RESOURCES } from "../components/k8s/webhook-specs";
import { call } from "../fixtures/admission/https";
import { OciPusher } from "../fixtures/admission/oci";
import { keyPolicyDoc, MODEL_NAMESPACE } from "../fixtures/admission/policy";
import { startRegistry } from "../fixtures/admission/registry";
import { podSpec, review, workload } from "../fixtures/admission/reviews";
import { generateTestKey, signLegacy } from "../fixtures/admission/sign";
import { startKubeCluster } from "../fixtures/engines/kube-fixture";
import { kubectlOk } from "../fixtures/engines/kubectl";
import { createCertificateAuthority, issueCertificate } from "../fixtures/engines/pki";
import { freePort, NODE_BIN_DIR, supervise, waitUntil, type Supervised } from "../fixtures/engines/tools";
import { registerValidatingWebhook } from "../fixtures/engines/webhook";
import { namespaceJson } from "../fixtures/engines/workloads";
import { pacedLoad, percentile } from "./paced-load";
import { createMemoryCgroup, quantityBytes, type MemoryCgroup } from "./webhook-cgroup";
import { histogram, histogramDelta, rssOf } from "./webhook-figures";

const mib = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
const hex = (i: number) => i.toString(16).padStart(64, "0");

interface Webhook { readonly proc: Supervised; readonly port: number; readonly ca: Buffer; readonly log: string }

async function startWebhook(root: string, dir: string, cgroup: MemoryCgroup, args: string[]): Promise<Webhook> {
    mkdirSync(dir, { recursive: true });
    const ca = createCertificateAuthority(dir, "bench-webhook-ca");
    const cert = issueCertificate(ca, dir, { name: "webhook", commonName: "aiguard-admission", usage: "server", subjectAltNames: ["127.0.0.1", "localhost"] });
    const port = await freePort();
    const log = path.join(dir, "webhook.log");
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${NODE_BIN_DIR}${path.delimiter}${process.env.PATH ?? ""}` };
    delete env.KUBERNETES_SERVICE_HOST;
    const proc = supervise("aiguard-webhook", "bash", [
        "-c", `echo $$ > ${cgroup.procsFile} && exec "$0" "$@"`, process.execPath, "--import", "tsx", path.join(root, "admission-webhook/cli.ts"), "serve",
        "--tls-cert", cert.certPath, "--tls-key", cert.keyPath, "--host", "127.0.0.1", "--port", String(port), "--log-level", "warn", ...args,
    ], { logPath: log, cwd: root, env });
    const caPem = Buffer.from(ca.certPem);
    await waitUntil(async () => (await call(port, caPem, "/readyz").then((r) => r.status, () => 0)) === 200, { timeoutMs: 90_000, intervalMs: 250, describe: () => `webhook not ready: ${readFileSync(log, "utf8").slice(-2000)}`, abort: proc.exited });
    return { proc, port, ca: caPem, log };
}

async function main(): Promise<void> {
    const { values } = parseArgs({ options: { duration: { type: "string", default: "10" }, warmup: { type: "string", default: "10" }, soak: { type: "string", default: "30" }, baseline: { type: "string" } } });
    const num = (n: string, v: string | undefined, max: number) => {
        const x = Number(v);
        if (!Number.isInteger(x) || x < 1 || x > max) throw new Error(`--${n} must be an integer from 1 to ${max}`);
        return x;
    };
    const duration = num("duration", values.duration, 600);
    const warmup = num("warmup", values.warmup, 600);
    const soak = num("soak", values.soak, 1800);
    const limit = quantityBytes(DEFAULT_RESOURCES.limits.memory);
    const dir = mkdtempSync(path.join(tmpdir(), "aiguard-bench-api-"));
    const cleanup: Array<() => Promise<void> | void> = [() => rmSync(dir, { recursive: true, force: true })];
    try {
        const [cluster, reg] = await Promise.all([startKubeCluster({ controllerManager: false }), startRegistry()]);
        cleanup.unshift(() => cluster.stop(), () => reg.stop());
        const kc = cluster.kubeconfigPath;
        const oci = new OciPusher(reg);
        cleanup.unshift(() => oci.close());
        const key = generateTestKey();
        const img = await oci.pushImage("ml/llm");
        await signLegacy(oci, reg.host, "ml/llm", img.digest, key);
        await kubectlOk(kc, ["apply", "-f", "-"], { input: namespaceJson("models", { ...MODEL_NAMESPACE }) });
        await kubectlOk(kc, ["apply", "-f", "-"], { input: JSON.stringify({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "model-runner", namespace: "models" } }) });
        const policy = path.join(dir, "policy.yaml");
        writeFileSync(policy, stringify(keyPolicyDoc({ images: [`${reg.host}/ml/**`], pems: [key.publicPem], namespaceSelector: { matchLabels: { ...MODEL_NAMESPACE } } })));
        const flags = ["--policy", policy, "--kubeconfig", kc, "--insecure-registry", reg.host];
        const bodies = (["Pod", "Deployment"] as const).map((k) => JSON.stringify(review(k, workload(k, podSpec({ containers: [img.reference], initContainers: [img.reference] }, { serviceAccountName: "model-runner" })))));

        const cgroup = createMemoryCgroup(limit, `aiguard-bench-${process.pid}`);
        cleanup.push(() => cgroup.remove());
        console.log(`webhook memory limit ${DEFAULT_RESOURCES.limits.memory} (the component's default) via ${cgroup.description}`);
        const wh = await startWebhook(process.cwd(), path.join(dir, "current"), cgroup, flags);
        cleanup.unshift(() => wh.proc.stop());
        const synced = readFileSync(wh.log, "utf8");
        const reg1 = await registerValidatingWebhook(kc, { url: `https://127.0.0.1:${wh.port}/validate`, caPem: wh.ca.toString(), failurePolicy: "Fail", namespaceSelector: {}, rules: [{ operations: ["CREATE", "UPDATE"], apiGroups: [""], apiVersions: ["v1"], resources: ["pods"] }] });
        cleanup.unshift(() => reg1.remove());
        console.log(`watches: ${synced.includes("cluster watch failed") ? "FAILED (see log)" : "no failure logged"}`);

        // 1. Through the API server: dry-run Pod creates (the apiserver calls the webhook for each).
        const pod = (i: number) => JSON.stringify(workload("Pod", podSpec({ containers: [img.reference] }, { serviceAccountName: "model-runner" }), { name: `bench-${i}` }));
        const admin = JSON.parse(readFileSync(kc, "utf8")) as { users: Array<{ user: Record<string, string> }> };
        const u = admin.users[0]!.user;
        const apiUrl = new URL(cluster.server);
        const api = await autocannon({
            url: `${cluster.server}/api/v1/namespaces/models/pods?dryRun=All`, connections: 8, duration: Math.min(duration, 10), method: "POST",
            headers: { "content-type": "application/json" }, body: pod(0),
            tlsOptions: { ca: cluster.caPem, cert: Buffer.from(u["client-certificate-data"]!, "base64"), key: Buffer.from(u["client-key-data"]!, "base64"), servername: apiUrl.hostname },
        } as autocannon.Options);
        console.log(`apiserver path (dry-run Pod creates, 8 connections): ${(api.requests.total / api.duration).toFixed(0)} req/s, p50 ${api.latency.p50} ms, p99 ${api.latency.p99} ms, non-2xx ${api.non2xx}, errors ${api.errors}`);

        // 2. Warm throughput straight to the webhook.
        const throughput = async (w: Webhook) => autocannon({ url: `https://127.0.0.1:${w.port}/validate`, connections: 32, pipelining: 1, duration, tlsOptions: { ca: w.ca, servername: "localhost" }, requests: bodies.map((b) => ({ method: "POST", path: "/validate", headers: { "content-type": "application/json" }, body: b })) } as autocannon.Options);
        await autocannon({ url: `https://127.0.0.1:${wh.port}/validate`, connections: 4, amount: 500, tlsOptions: { ca: wh.ca }, method: "POST", headers: { "content-type": "application/json" }, body: bodies[0] } as autocannon.Options);
        const max = await throughput(wh);
        console.log(`warm throughput (webhook direct, 32 connections, ${duration} s): ${(max.requests.total / max.duration).toFixed(0)} req/s, p50 ${max.latency.p50} ms, p99 ${max.latency.p99} ms, non-2xx ${max.non2xx}, errors ${max.errors}`);

        // 3. Paced 1,000 req/s: warm-up, then soak with server-side histogram and RSS.
        const rss: number[] = [];
        const sampler = setInterval(() => rss.push(rssOf(cgroup.procsFile)), 1000);
        await pacedLoad({ port: wh.port, path: "/validate", ca: wh.ca, servername: "localhost", bodies, rate: 1000, durationS: warmup, sockets: 16 });
        const afterWarmup = rss.length;
        const before = histogram((await call(wh.port, wh.ca, "/metrics")).body);
        const paced = await pacedLoad({ port: wh.port, path: "/validate", ca: wh.ca, servername: "localhost", bodies, rate: 1000, durationS: soak, sockets: 16 });
        clearInterval(sampler);
        const server = histogramDelta(before, histogram((await call(wh.port, wh.ca, "/metrics")).body));
        console.log(`paced 1,000 req/s for ${soak} s after ${warmup} s warm-up: ${paced.sent} sent, ${paced.failed} failed; client p50 ${percentile(paced.latencies, 50).toFixed(2)} ms, p99 ${percentile(paced.latencies, 99).toFixed(2)} ms`);
        console.log(`  server-side (aiguard_webhook_request_duration_seconds): ${server}`);
        const soakRss = rss.slice(afterWarmup);
        const first = soakRss[0] ?? NaN;
        const last = soakRss.at(-1) ?? NaN;
        const mem = cgroup.usage();
        console.log(`  RSS over the soak: start ${mib(first)}, end ${mib(last)} (${(((last - first) / first) * 100).toFixed(1)}%), max ${mib(Math.max(...soakRss))}; cgroup peak ${mib(mem.peak)} of ${mib(limit)}, limit hits ${mem.failcnt}, OOM kills ${mem.oomKills}`);

        // 4. Hostile pod beside signed pods.
        const hostile = JSON.stringify(review("Pod", workload("Pod", podSpec({ containers: Array.from({ length: 10_000 }, (_, i) => `${reg.host}/ml/flood@sha256:${hex(i + 1)}`) }))));
        const t0 = performance.now();
        const h = call(wh.port, wh.ca, "/validate", { body: hostile }).then((r) => ({ ms: performance.now() - t0, allowed: (JSON.parse(r.body) as { response: { allowed: boolean } }).response.allowed }));
        const signed = await pacedLoad({ port: wh.port, path: "/validate", ca: wh.ca, servername: "localhost", bodies: [bodies[0]!], rate: 100, durationS: 0.5, sockets: 4 });
        const hr = await h;
        console.log(`hostile: 10,000-digest Pod answered in ${hr.ms.toFixed(0)} ms (allowed: ${hr.allowed}); 50 signed Pods beside it: p99 ${percentile(signed.latencies, 99).toFixed(2)} ms, failed ${signed.failed}; cgroup peak ${mib(cgroup.usage().peak)}, limit hits ${cgroup.usage().failcnt}`);

        // 5. The previous version, same machine, same run, same cgroup limit (after the current one has stopped).
        if (values.baseline !== undefined) {
            await wh.proc.stop();
            console.log(`current version after all phases: OOM kills ${cgroup.usage().oomKills}`);
            const old = await startWebhook(path.resolve(values.baseline), path.join(dir, "baseline"), cgroup, flags);
            cleanup.unshift(() => old.proc.stop());
            const r = await throughput(old);
            console.log(`baseline ${values.baseline}: warm throughput ${(r.requests.total / r.duration).toFixed(0)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}; RSS after ${mib(rssOf(cgroup.procsFile))}, cgroup peak ${mib(cgroup.usage().peak)}, OOM kills ${cgroup.usage().oomKills} (cumulative)`);
        }
    } finally {
        for (const c of cleanup) await (async () => c())().catch((err: unknown) => console.error(`cleanup: ${describeError(err)}`));
    }
}

main().then(() => process.exit(0), (err: unknown) => {
    console.error(describeError(err));
    process.exit(1);
});
