/**
 * The real aiguard admission webhook (`admission-webhook/cli.ts serve`) as a supervised child
 * process for engine tests: Node 24 + tsx, a serving certificate with SAN IP 127.0.0.1 from its own
 * test CA, a trust policy file, and `--kubeconfig` pointing at a real API server, exactly as an
 * operator would run it outside a cluster.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as https from "node:https";
import * as path from "node:path";
import { stringify } from "yaml";
import { createCertificateAuthority, issueCertificate } from "../../fixtures/engines/pki";
import { freePort, NODE_BIN_DIR, REPO_ROOT, supervise, tail, waitUntil, type Supervised } from "../../fixtures/engines/tools";

/** The webhook's entry point. */
export const WEBHOOK_CLI = path.join(REPO_ROOT, "admission-webhook", "cli.ts");

/** Options for {@link startAiguardWebhook}. */
export interface AiguardWebhookOptions {
    /** Directory for the certificates, the policy file and the log (the caller removes it). */
    readonly dir: string;
    /** The trust policy document (written as `policy.yaml`). */
    readonly policy: Record<string, unknown>;
    /** Kubeconfig the webhook reads namespaces, service accounts and secrets with. */
    readonly kubeconfigPath: string;
    /** Plain-HTTP loopback registries (`--insecure-registry`). Default none. */
    readonly insecureRegistries?: readonly string[];
    /** PEM files of extra registry CAs (`--registry-ca`). Default none. */
    readonly registryCaFiles?: readonly string[];
    /** More `serve` flags. Default none. */
    readonly extraArgs?: readonly string[];
    /** How long to wait for `/readyz`. Default 60000 ms (tsx + @kubernetes/client-node start in seconds). */
    readonly readyTimeoutMs?: number;
}

/** One `admission decision` line of the webhook's JSON log. */
export interface DecisionLog {
    readonly uid: string;
    readonly kind: string;
    readonly operation: string;
    readonly namespace: string;
    readonly name: string;
    readonly dryRun: boolean;
    readonly allowed: boolean;
    readonly result: string;
    readonly reason: string;
    readonly reasons?: ReadonlyArray<{ readonly path: string; readonly image: string; readonly code: string }>;
    readonly notes?: readonly string[];
    readonly policy?: string;
    readonly message?: string;
    readonly subResource?: string;
}

/** A running webhook. */
export interface AiguardWebhook {
    /** `https://127.0.0.1:<port>/validate` */
    readonly url: string;
    /** The CA that signed the serving certificate (the webhook configuration's `caBundle`). */
    readonly caPem: string;
    readonly process: Supervised;
    /** Milliseconds from spawn to a 200 on `/readyz`. */
    readonly startupMs: number;
    /** Every decision logged so far, oldest first. */
    decisions(): DecisionLog[];
    /**
     * The decisions whose fields equal `match`, once at least `atLeast` (default 1) are logged:
     * pino writes asynchronously, so a line may land just after the API server has the answer.
     * Resolves with what is there after `timeoutMs` (default 5000) either way, for the caller to assert.
     */
    decisionsMatching(match: Partial<DecisionLog>, atLeast?: number, timeoutMs?: number): Promise<DecisionLog[]>;
    /** SIGTERM (graceful shutdown), SIGKILL after 5 s. Idempotent. */
    stop(): Promise<void>;
}

function getStatus(url: string, ca: string): Promise<number> {
    return new Promise((resolve, reject) => {
        const req = https.get(url, { ca, timeout: 2000 }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
        });
        req.on("timeout", () => req.destroy(new Error(`GET ${url} timed out`)));
        req.on("error", reject);
    });
}

/** Parses the decision lines of a webhook log file. */
export function readDecisions(logPath: string): DecisionLog[] {
    let text: string;
    try {
        text = readFileSync(logPath, "utf8");
    } catch {
        return [];
    }
    const out: DecisionLog[] = [];
    for (const line of text.split("\n")) {
        if (!line.startsWith("{")) continue;
        try {
            const entry = JSON.parse(line) as Record<string, unknown>;
            if (entry["msg"] === "admission decision") out.push(entry as unknown as DecisionLog);
        } catch {
            // a partially written last line
        }
    }
    return out;
}

/**
 * Starts `node --import tsx admission-webhook/cli.ts serve` on 127.0.0.1 and a free port and waits
 * until `/readyz` answers 200 (policy loaded). Throws with the log's tail when it does not.
 */
export async function startAiguardWebhook(options: AiguardWebhookOptions): Promise<AiguardWebhook> {
    const started = Date.now();
    const { dir } = options;
    const ca = createCertificateAuthority(dir, "aiguard-test-webhook-ca");
    const cert = issueCertificate(ca, dir, {
        name: "webhook", commonName: "aiguard-admission", usage: "server", subjectAltNames: ["127.0.0.1"],
    });
    const policyPath = path.join(dir, "policy.yaml");
    writeFileSync(policyPath, stringify(options.policy));
    const port = await freePort();
    const args = [
        "--import", "tsx", WEBHOOK_CLI, "serve",
        "--policy", policyPath,
        "--tls-cert", cert.certPath,
        "--tls-key", cert.keyPath,
        "--host", "127.0.0.1",
        "--port", String(port),
        "--kubeconfig", options.kubeconfigPath,
        "--shutdown-grace-ms", "2000",
        ...(options.insecureRegistries ?? []).flatMap((r) => ["--insecure-registry", r]),
        ...(options.registryCaFiles ?? []).flatMap((f) => ["--registry-ca", f]),
        ...(options.extraArgs ?? []),
    ];
    const logPath = path.join(dir, "aiguard-webhook.log");
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${NODE_BIN_DIR}${path.delimiter}${process.env.PATH ?? ""}` };
    delete env.KUBECONFIG;
    delete env.KUBERNETES_SERVICE_HOST;
    const proc = supervise("aiguard-webhook", process.execPath, args, { logPath, cwd: REPO_ROOT, env });
    const base = `https://127.0.0.1:${port}`;
    try {
        await waitUntil(async () => (await getStatus(`${base}/readyz`, ca.certPem)) === 200, {
            timeoutMs: options.readyTimeoutMs ?? 60_000,
            intervalMs: 200,
            describe: () => `the aiguard webhook did not become ready at ${base}/readyz:\n${tail(logPath)}`,
            abort: proc.exited,
        });
    } catch (err) {
        await proc.stop();
        throw err;
    }
    return {
        url: `${base}/validate`,
        caPem: ca.certPem,
        process: proc,
        startupMs: Date.now() - started,
        decisions: () => readDecisions(logPath),
        async decisionsMatching(match, atLeast = 1, timeoutMs = 5000) {
            const pick = () => readDecisions(logPath).filter((d) => Object.entries(match).every(([k, v]) => d[k as keyof DecisionLog] === v));
            const deadline = Date.now() + timeoutMs;
            while (pick().length < atLeast && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
            return pick();
        },
        stop: () => proc.stop(),
    };
}
