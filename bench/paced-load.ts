/**
 * Open-loop, evenly paced HTTPS load: request i is due at start + i/rate seconds, whether or not
 * earlier ones have answered, and its latency is measured from that due time (so a stall is
 * charged to every request it delays: no coordinated omission).
 *
 * Why not autocannon's `overallRate`: it gives each connection a per-second quota that it sends as
 * fast as it can at the start of each second, so "1,000 req/s" arrives as one burst of 1,000
 * requests per second, and the tail latency measures that burst's queue, not a 1,000 req/s load.
 */
import * as https from "node:https";

export interface PacedLoadOptions {
    readonly port: number;
    readonly path: string;
    readonly ca: string | Buffer;
    readonly servername: string;
    /** Request bodies, used round-robin. */
    readonly bodies: readonly string[];
    readonly rate: number;
    readonly durationS: number;
    /** Keep-alive sockets in the pool. */
    readonly sockets: number;
    /** Seconds of paced load before measuring (opens the pool's TLS connections, warms the JIT); not counted. */
    readonly warmupS?: number;
}

export interface PacedLoadResult {
    readonly sent: number;
    readonly ok: number;
    readonly failed: number;
    readonly seconds: number;
    /** Latencies in ms from each request's due time, sorted ascending. */
    readonly latencies: readonly number[];
}

export function percentile(sorted: readonly number[], p: number): number {
    if (sorted.length === 0) return NaN;
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function pacedLoad(o: PacedLoadOptions): Promise<PacedLoadResult> {
    const agent = new https.Agent({ keepAlive: true, maxSockets: o.sockets, ca: o.ca, servername: o.servername });
    const warmup = Math.round(o.rate * (o.warmupS ?? 0));
    const total = warmup + Math.round(o.rate * o.durationS);
    const latencies: number[] = [];
    let ok = 0;
    let failed = 0;
    let sent = 0;
    let done = 0;
    const start = performance.now();
    const bodies = o.bodies.map((b) => Buffer.from(b));
    await new Promise<void>((resolve) => {
        const fire = (due: number, body: Buffer, counted: boolean) => {
            const req = https.request({ host: "127.0.0.1", port: o.port, path: o.path, method: "POST", agent, headers: { "content-type": "application/json", "content-length": body.length } }, (res) => {
                res.resume();
                res.on("end", () => {
                    if (counted) latencies.push(performance.now() - due);
                    if (res.statusCode === 200) ok++;
                    else failed++;
                    if (++done === total) resolve();
                });
            });
            req.on("error", () => {
                failed++;
                if (++done === total) resolve();
            });
            req.end(body);
        };
        const tick = () => {
            const now = performance.now();
            const due = Math.min(total, Math.floor(((now - start) * o.rate) / 1000) + 1);
            while (sent < due) {
                fire(start + (sent * 1000) / o.rate, bodies[sent % bodies.length]!, sent >= warmup);
                sent++;
            }
            if (sent < total) setImmediate(tick);
        };
        tick();
    });
    const seconds = (performance.now() - start) / 1000 - (o.warmupS ?? 0);
    agent.destroy();
    latencies.sort((a, b) => a - b);
    return { sent: sent - warmup, ok, failed, seconds, latencies };
}
