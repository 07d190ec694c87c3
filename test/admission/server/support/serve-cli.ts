/**
 * `admission-webhook/cli.ts serve` as a child process, as operators run it, against the fake API
 * server: the CLI tests start it with different flags.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeCa } from "../../../../fixtures/admission/certs";
import { MODEL_NAMESPACE } from "../../../../fixtures/admission/policy";
import { kubectl, startFakeApiServer, type FakeApiServer, type Json } from "./fake-apiserver";
import { eventually } from "./server";

export const CLI = join(__dirname, "../../../../admission-webhook/cli.ts");

export interface ServeCli {
    readonly child: ChildProcess;
    readonly port: number;
    readonly ca: Buffer;
    readonly api: FakeApiServer;
    /** stdout so far (JSON log lines). */
    log(): string;
    /** SIGKILL if still running, and the fake API server closed. */
    stop(): Promise<void>;
}

/** Starts `serve` with `args` (policy and registry flags included) on a free port; namespace `models` carries the model label. */
export async function startServeCli(dir: string, args: readonly string[]): Promise<ServeCli> {
    const ca = makeCa();
    const api = await startFakeApiServer(ca);
    const ns = kubectl("namespace", "models");
    (ns["metadata"] as Json)["labels"] = { ...MODEL_NAMESPACE };
    api.objects.set("/api/v1/namespaces/models", ns);
    api.objects.set("/api/v1/namespaces/models/serviceaccounts/default", kubectl("serviceaccount", "default", "-n", "models"));
    const kubeconfig = join(dir, `kubeconfig-${Date.now()}-${Math.random().toString(36).slice(2)}`);
    writeFileSync(kubeconfig, api.kubeConfig.exportConfig());
    const tls = ca.issue("cli-serve");
    const child = spawn(process.execPath, ["--import", "tsx", CLI, "serve", ...args, "--tls-cert", tls.certFile, "--tls-key", tls.keyFile, "--port", "0", "--host", "127.0.0.1", "--kubeconfig", kubeconfig], {
        stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    child.stdout!.on("data", (c: Buffer) => (log += c.toString()));
    await eventually(() => /"port":\d+/.test(log), 20_000);
    return {
        child,
        port: Number(/"port":(\d+)/.exec(log)![1]),
        ca: ca.ca,
        api,
        log: () => log,
        async stop() {
            if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
            await api.close();
        },
    };
}
