/**
 * Reading the webhook's figures for the benchmarks: its latency histogram from `/metrics`, and
 * the resident memory of the processes in a cgroup.
 */
import { readFileSync } from "node:fs";

/** Cumulative `le` bucket counts of the allowed-request latency histogram. */
export function histogram(metrics: string): Map<number, number> {
    const out = new Map<number, number>();
    for (const m of metrics.matchAll(/^aiguard_webhook_request_duration_seconds_bucket\{le="([^"]+)",result="allowed"\} (\d+)$/gm)) {
        out.set(m[1] === "+Inf" ? Infinity : Number(m[1]), Number(m[2]));
    }
    return out;
}

/** Share of requests within each bound between two scrapes, and the bucket holding p50/p99. */
export function histogramDelta(before: Map<number, number>, after: Map<number, number>): string {
    const les = [...after.keys()].sort((a, b) => a - b);
    const total = (after.get(Infinity) ?? 0) - (before.get(Infinity) ?? 0);
    if (total === 0) return "no requests";
    const share = (le: number) => (after.get(le)! - (before.get(le) ?? 0)) / total;
    const within = (q: number) => les.find((le) => share(le) >= q);
    const shown = les.filter((le) => le <= 0.025).map((le) => `<=${le * 1000} ms ${(share(le) * 100).toFixed(2)}%`);
    return `${total} requests; p50 <= ${within(0.5)! * 1000} ms, p99 <= ${within(0.99)! * 1000} ms (${shown.join(", ")})`;
}

/** Sum of VmRSS of the processes listed in a cgroup's `cgroup.procs`, in bytes. */
export function rssOf(procsFile: string): number {
    let total = 0;
    for (const pid of readFileSync(procsFile, "utf8").split("\n").filter(Boolean)) {
        try {
            const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
            total += Number(kb ?? 0) * 1024;
        } catch {
            // exited between the two reads
        }
    }
    return total;
}
