/** A minimal HTTPS client for tests: one fresh connection per request unless an agent is given. */
import { request, type Agent } from "node:https";
import type { PeerCertificate } from "node:tls";

export interface Reply {
    readonly status: number;
    readonly headers: Record<string, string | string[] | undefined>;
    readonly body: string;
    readonly cert: PeerCertificate;
}

export interface CallOptions {
    readonly method?: string;
    readonly body?: string | Buffer;
    readonly contentType?: string;
    readonly agent?: Agent;
}

export function call(port: number, ca: Buffer, path: string, o: CallOptions = {}): Promise<Reply> {
    return new Promise((resolve, reject) => {
        const headers: Record<string, string | number> = {};
        if (o.body !== undefined) {
            headers["Content-Type"] = o.contentType ?? "application/json";
            headers["Content-Length"] = Buffer.byteLength(o.body);
        }
        const req = request(
            { host: "127.0.0.1", port, path, method: o.method ?? (o.body === undefined ? "GET" : "POST"), ca, headers, agent: o.agent ?? false, servername: "localhost" },
            (res) => {
                const chunks: Buffer[] = [];
                const cert = (res.socket as import("node:tls").TLSSocket).getPeerCertificate();
                res.on("data", (c: Buffer) => chunks.push(c));
                res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8"), cert }));
                res.on("error", reject);
            },
        );
        req.on("error", reject);
        req.end(o.body);
    });
}
