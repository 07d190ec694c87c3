/**
 * A minimal Kubernetes API over HTTPS on 127.0.0.1 answering exactly the paths the webhook reads,
 * with objects shaped by `kubectl create ... --dry-run=client -o json` and real `Status` errors.
 */
import { execFileSync } from "node:child_process";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { PooledKubeConfig } from "../../../../admission-webhook/server/cluster/kube-config";
import type { TestCa } from "../../../../fixtures/admission/certs";
import { readFileSync } from "node:fs";

export type Json = Record<string, unknown>;

const made = new Map<string, Json>();

/** `kubectl create <args> --dry-run=client -o json` (memoised; each call returns a fresh copy). */
export function kubectl(...args: string[]): Json {
    const key = args.join("\0");
    let obj = made.get(key);
    if (obj === undefined) {
        obj = JSON.parse(execFileSync("kubectl", ["create", ...args, "--dry-run=client", "-o", "json"], { encoding: "utf8" })) as Json;
        made.set(key, obj);
    }
    return structuredClone(obj);
}

export interface FakeApiServer {
    readonly url: string;
    readonly kubeConfig: PooledKubeConfig;
    /** TLS connections accepted so far. */
    readonly connections: () => number;
    /** Paths requested, in order. */
    readonly requests: string[];
    /** Objects served by path, e.g. `/api/v1/namespaces/models`. */
    readonly objects: Map<string, Json>;
    /** Per-path override: an HTTP status to answer with, or "hang" to never answer. */
    readonly faults: Map<string, number | "hang">;
    close(): Promise<void>;
}

function status(code: number, path: string): Json {
    const reason = code === 404 ? "NotFound" : code === 403 ? "Forbidden" : "InternalError";
    return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: `${reason} for ${path}`, reason, code };
}

export async function startFakeApiServer(ca: TestCa, token = "test-token"): Promise<FakeApiServer> {
    const { certFile, keyFile } = ca.issue("apiserver");
    const requests: string[] = [];
    const objects = new Map<string, Json>();
    const faults = new Map<string, number | "hang">();
    const server: Server = createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, (req, res) => {
        const path = (req.url ?? "").split("?")[0]!;
        requests.push(path);
        const send = (code: number, body: Json) => {
            res.writeHead(code, { "Content-Type": "application/json" });
            res.end(JSON.stringify(body));
        };
        if (req.headers.authorization !== `Bearer ${token}`) return send(401, status(401, path));
        const fault = faults.get(path);
        if (fault === "hang") return;
        if (fault !== undefined) return send(fault, status(fault, path));
        const obj = objects.get(path);
        if (obj === undefined) return send(404, status(404, path));
        send(200, obj);
    });
    let connections = 0;
    server.on("secureConnection", () => connections++);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const kc = new PooledKubeConfig();
    kc.loadFromOptions({
        clusters: [{ name: "fake", server: url, caData: ca.ca.toString("base64"), skipTLSVerify: false }],
        users: [{ name: "webhook", token }],
        contexts: [{ name: "fake", cluster: "fake", user: "webhook" }],
        currentContext: "fake",
    });
    return {
        url,
        kubeConfig: kc,
        connections: () => connections,
        requests,
        objects,
        faults,
        close: () =>
            new Promise((r) => {
                void kc.close();
                server.closeAllConnections();
                server.close(() => r());
            }),
    };
}
