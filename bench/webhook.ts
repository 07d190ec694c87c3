/**
 * Load benchmark of the admission webhook (not a test). Starts Debian's docker-registry on
 * 127.0.0.1, pushes and signs images, runs the real webhook server with the real engine in a child
 * process (so the load generator does not share its event loop), and loads it over loopback HTTPS
 * with autocannon using realistic Pod and Deployment reviews:
 *
 *   warm    every request verifies the same signed digest (engine cache hit): p50/p99 and req/s
 *           at an evenly paced 1,000 req/s (./paced-load.ts, open loop) and at maximum rate
 *           (autocannon, closed loop);
 *   cold    every request carries a new signed digest (registry fetch + signature verification);
 *   rss     the server's RSS, sampled every second over the runs.
 *
 * Usage: npm run bench:webhook -- [--duration 60] [--rate 1000] [--connections 50] [--cold 300]
 * (`--duration 300` for the 5-minute run). Loopback only; bounded in count and time.
 */
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { describeError } from "../common/errors";
import { pacedLoad, percentile } from "./paced-load";
import { histogram, histogramDelta } from "./webhook-figures";
import pino from "pino";
import { stringify } from "yaml";
import { WebhookServer } from "../admission-webhook/server/http/server";
import { verifierLoader } from "../admission-webhook/server/policy/verifier-loader";
import { StaticClusterFacts } from "../admission-webhook/server/cluster/facts";
import { WebhookMetrics } from "../admission-webhook/server/metrics";
import { OciPusher } from "../fixtures/admission/oci";
import { keyPolicyDoc, MODEL_NAMESPACE } from "../fixtures/admission/policy";
import { startRegistry } from "../fixtures/admission/registry";
import { generateTestKey, signLegacy } from "../fixtures/admission/sign";
import { makeCa } from "../fixtures/admission/certs";
import { call } from "../fixtures/admission/https";
import { podSpec, review, workload } from "../fixtures/admission/reviews";

interface ChildConfig {
    readonly certFile: string;
    readonly keyFile: string;
    readonly policy: string;
    readonly insecure: string;
}
type ChildMessage = { type: "port"; port: number } | { type: "rss"; rss: number; heap: number };

/** The server process: the webhook exactly as `serve` runs it, minus the Kubernetes API (static namespace labels). */
async function child(cfg: ChildConfig): Promise<void> {
    const logger = pino({ level: "info" }, pino.destination({ dest: "/dev/null", sync: false }));
    const metrics = new WebhookMetrics();
    const server = await WebhookServer.start({
        tlsCertFile: cfg.certFile,
        tlsKeyFile: cfg.keyFile,
        policyPath: cfg.policy,
        loadPolicy: verifierLoader({ verifier: { insecureRegistries: [cfg.insecure] }, metrics }),
        facts: new StaticClusterFacts({ ...MODEL_NAMESPACE }),
        port: 0,
        host: "127.0.0.1",
        logger,
        metrics,
    });
    const send = (m: ChildMessage): void => void process.send?.(m);
    send({ type: "port", port: server.port });
    setInterval(() => {
        const m = process.memoryUsage();
        send({ type: "rss", rss: m.rss, heap: m.heapUsed });
    }, 1_000).unref();
    process.on("disconnect", () => void server.shutdown().then(() => process.exit(0)));
}

const ms = (v: number): string => `${v.toFixed(2)} ms`;
const mib = (v: number): string => `${(v / 1024 / 1024).toFixed(1)} MiB`;

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            duration: { type: "string", default: "60" },
            rate: { type: "string", default: "1000" },
            connections: { type: "string", default: "50" },
            cold: { type: "string", default: "300" },
        },
    });
    const duration = bounded("duration", values.duration, 1, 3600);
    const rate = bounded("rate", values.rate, 1, 100_000);
    const connections = bounded("connections", values.connections, 1, 1000);
    const coldCount = bounded("cold", values.cold, 1, 5000);

    const dir = mkdtempSync(join(tmpdir(), "aiguard-bench-"));
    const ca = makeCa(dir);
    const tls = ca.issue("bench");
    const reg = await startRegistry();
    const oci = new OciPusher(reg);
    const key = generateTestKey();
    const policy = join(dir, "policy.yaml");
    writeFileSync(policy, stringify(keyPolicyDoc({ images: [`${reg.host}/ml/**`], pems: [key.publicPem] })));

    console.log(`registry ${reg.host}: pushing 1 warm + ${coldCount} cold signed images…`);
    const signed = async (repo: string): Promise<string> => {
        const img = await oci.pushImage(repo);
        await signLegacy(oci, reg.host, repo, img.digest, key);
        return img.reference;
    };
    const warmRef = await signed("ml/llm");
    const coldRefs: string[] = [];
    for (let i = 0; i < coldCount; i++) coldRefs.push(await signed(`ml/cold${i % 20}`));

    const cfg: ChildConfig = { certFile: tls.certFile, keyFile: tls.keyFile, policy, insecure: reg.host };
    const server = fork(__filename, [], { execArgv: ["--import", "tsx"], env: { ...process.env, AIGUARD_BENCH_CHILD: JSON.stringify(cfg) }, stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const rss: number[] = [];
    let heap = 0;
    const port = await new Promise<number>((resolve, reject) => {
        server.on("message", (m: ChildMessage) => {
            if (m.type === "port") resolve(m.port);
            else {
                rss.push(m.rss);
                heap = m.heap;
            }
        });
        server.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
    });
    const url = `https://127.0.0.1:${port}/validate`;
    const body = (kind: "Pod" | "Deployment", image: string) => JSON.stringify(review(kind, workload(kind, podSpec({ containers: [image], initContainers: [image] }, { serviceAccountName: "model-runner" }))));
    const request = (b: string) => ({ method: "POST" as const, path: "/validate", headers: { "content-type": "application/json" }, body: b });
    const warmBodies = [request(body("Pod", warmRef)), request(body("Deployment", warmRef))];
    const run = (o: Partial<autocannon.Options>) =>
        autocannon({ url, connections, tlsOptions: { ca: ca.ca, servername: "localhost" }, requests: warmBodies, ...o } as autocannon.Options);

    try {
        const probe = JSON.parse((await call(port, ca.ca, "/validate", { body: warmBodies[1]!.body })).body) as { response: { allowed: boolean; status?: { message: string } } };
        if (!probe.response.allowed) throw new Error(`the warm image is denied, the benchmark would measure denials: ${probe.response.status?.message}`);
        await run({ amount: 200, connections: 4 }); // warm the engine cache, TLS sessions, JIT
        const bucketsBefore = histogram((await call(port, ca.ca, "/metrics")).body);
        const paced = await pacedLoad({
            port, path: "/validate", ca: ca.ca, servername: "localhost", bodies: warmBodies.map((w) => w.body),
            rate, durationS: duration, sockets: connections, warmupS: 3,
        });
        console.log(
            `warm, paced ${rate} req/s (open loop, latency from each request's due time): ${paced.sent} requests in ${paced.seconds.toFixed(1)} s = ` +
                `${(paced.sent / paced.seconds).toFixed(0)} req/s; latency p50 ${percentile(paced.latencies, 50).toFixed(2)} ms, ` +
                `p90 ${percentile(paced.latencies, 90).toFixed(2)} ms, p99 ${percentile(paced.latencies, 99).toFixed(2)} ms, ` +
                `max ${(paced.latencies.at(-1) ?? NaN).toFixed(2)} ms; failed ${paced.failed}`,
        );
        const serverSide = histogramDelta(bucketsBefore, histogram((await call(port, ca.ca, "/metrics")).body));
        console.log(`  server-side time to answer during that run (request_duration_seconds): ${serverSide}`);
        const fixed = await run({ duration: Math.min(duration, 20), overallRate: rate });
        report(`warm, autocannon overallRate ${rate} req/s (bursty: each second's quota sent at once)`, fixed);
        const rssAtFixed = [...rss];
        const max = await run({ duration });
        report("warm, max rate", max);
        const cold = await run({ amount: coldRefs.length, connections: Math.min(connections, 10), requests: coldRefs.map((r, i) => request(body(i % 2 ? "Deployment" : "Pod", r))) });
        report(`cold (${coldRefs.length} new digests: registry fetch + verify)`, cold);
        const decisions = (await call(port, ca.ca, "/metrics")).body.split("\n").filter((l) => l.startsWith("aiguard_webhook_decisions_total"));
        console.log(`server decisions: ${decisions.join("; ")}`);
        const steady = rssAtFixed.slice(Math.min(5, rssAtFixed.length - 1));
        console.log(
            `server RSS over ${rss.length} s: min ${mib(Math.min(...rss))}, max ${mib(Math.max(...rss))}, last ${mib(rss.at(-1) ?? 0)}; ` +
                `during the fixed-rate run ${mib(Math.min(...steady))} → ${mib(steady.at(-1) ?? 0)}; heap used ${mib(heap)}`,
        );
    } finally {
        await stop(server);
        await oci.close();
        await reg.stop();
    }
}

function report(title: string, r: autocannon.Result): void {
    const failed = r.non2xx + r.errors;
    console.log(
        `${title}: ${r.requests.total} requests in ${r.duration.toFixed(1)} s = ${(r.requests.total / r.duration).toFixed(0)} req/s; ` +
            `latency p50 ${ms(r.latency.p50)}, p90 ${ms(r.latency.p90)}, p99 ${ms(r.latency.p99)}, max ${ms(r.latency.max)}; non-2xx/errors ${failed}`,
    );
}

function stop(p: ChildProcess): Promise<void> {
    return new Promise((resolve) => {
        if (p.exitCode !== null || p.signalCode !== null) return resolve();
        const t = setTimeout(() => p.kill("SIGKILL"), 10_000);
        p.once("exit", () => {
            clearTimeout(t);
            resolve();
        });
        p.disconnect();
    });
}

function bounded(name: string, v: string | undefined, min: number, max: number): number {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer from ${min} to ${max}`);
    return n;
}

const childConfig = process.env["AIGUARD_BENCH_CHILD"];
if (childConfig !== undefined) {
    void child(JSON.parse(childConfig) as ChildConfig);
} else {
    main().then(
        () => process.exit(0),
        (err: unknown) => {
            console.error(describeError(err));
            process.exit(1);
        },
    );
}
