/** Start a real WebhookServer on 127.0.0.1 with a kubelet-style policy mount and captured logs. */
import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import pino from "pino";
import type { ClusterFacts } from "../../../../admission-webhook/server/cluster/facts";
import { StaticClusterFacts } from "../../../../admission-webhook/server/cluster/facts";
import { WebhookServer, type WebhookServerOptions } from "../../../../admission-webhook/server/http/server";
import type { PolicyLoader } from "../../../../admission-webhook/server/policy/holder";
import type { TestCa } from "../../../../fixtures/admission/certs";
import { KubeletMount } from "./mount";

export interface Started {
    readonly server: WebhookServer;
    readonly policy: KubeletMount;
    readonly tls: KubeletMount;
    /** Parsed JSON log lines. */
    readonly logs: Record<string, unknown>[];
}

export async function startServer(
    ca: TestCa,
    policyFiles: Record<string, string>,
    loadPolicy: PolicyLoader,
    extra: Partial<WebhookServerOptions> & { facts?: ClusterFacts } = {},
): Promise<Started> {
    const { certFile, keyFile } = ca.issue(`webhook-${Math.random().toString(36).slice(2, 8)}`);
    const tls = new KubeletMount({ "tls.crt": readFileSync(certFile), "tls.key": readFileSync(keyFile) });
    const policy = new KubeletMount(policyFiles);
    const logs: Record<string, unknown>[] = [];
    const sink = new Writable({
        write(chunk: Buffer, _enc, cb) {
            for (const line of chunk.toString("utf8").split("\n")) if (line.trim() !== "") logs.push(JSON.parse(line) as Record<string, unknown>);
            cb();
        },
    });
    const server = await WebhookServer.start({
        tlsCertFile: tls.path("tls.crt"),
        tlsKeyFile: tls.path("tls.key"),
        policyPath: policy.dir,
        loadPolicy,
        facts: extra.facts ?? new StaticClusterFacts({ "kubernetes.io/metadata.name": "models" }),
        port: 0,
        host: "127.0.0.1",
        logger: pino({ level: "info" }, sink),
        watchDebounceMs: 50,
        watchPollMs: 0,
        ...extra,
    });
    return { server, policy, tls, logs };
}

/** Poll `check` until it returns true (or fail after `ms`). */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
    const until = Date.now() + ms;
    for (;;) {
        if (await check()) return;
        if (Date.now() > until) throw new Error("condition not met in time");
        await new Promise((r) => setTimeout(r, 25));
    }
}
