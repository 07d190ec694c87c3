/**
 * Running a benchmark child under a memory limit: a cgroup v1 `memory` directory nested in this
 * process's own memory cgroup (so it stays under whatever limits the caller already has), or a
 * cgroup v2 directory with `memory.max`. `systemd-run --scope -p MemoryMax=` needs a running
 * systemd, which containers often lack; writing the cgroup files needs root.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";

export interface MemoryCgroup {
    /** How the limit is applied, for the report. */
    readonly description: string;
    /** The `cgroup.procs` file a child writes its pid into before exec. */
    readonly procsFile: string;
    /** Current and peak usage in bytes, how often the limit was hit, and OOM kills. */
    usage(): { current: number; peak: number; failcnt: number; oomKills: number };
    remove(): Promise<void>;
}

/** `256Mi` → bytes. */
export function quantityBytes(q: string): number {
    const m = /^(\d+)(Ki|Mi|Gi)?$/.exec(q);
    if (!m) throw new Error(`unsupported memory quantity ${q}`);
    return Number(m[1]) * ({ Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 }[m[2] ?? ""] ?? 1);
}

const read = (file: string): number => Number(readFileSync(file, "utf8").trim().split(/\s/)[0] ?? NaN);

/** Creates a memory cgroup limited to `bytes`; throws naming what is missing when neither layout is writable. */
export function createMemoryCgroup(bytes: number, name: string): MemoryCgroup {
    const self = readFileSync("/proc/self/cgroup", "utf8").split("\n");
    const v1 = self.find((l) => /^\d+:memory:/.test(l))?.split(":")[2];
    if (v1 !== undefined && existsSync("/sys/fs/cgroup/memory")) {
        const dir = path.join("/sys/fs/cgroup/memory", v1, name);
        mkdirSync(dir);
        writeFileSync(path.join(dir, "memory.limit_in_bytes"), String(bytes));
        // Swap too, when the kernel accounts it, so the limit cannot be dodged by swapping.
        if (existsSync(path.join(dir, "memory.memsw.limit_in_bytes"))) writeFileSync(path.join(dir, "memory.memsw.limit_in_bytes"), String(bytes));
        return {
            description: `cgroup v1 ${dir} (memory.limit_in_bytes = ${bytes})`,
            procsFile: path.join(dir, "cgroup.procs"),
            usage: () => ({
                current: read(path.join(dir, "memory.usage_in_bytes")),
                peak: read(path.join(dir, "memory.max_usage_in_bytes")),
                failcnt: read(path.join(dir, "memory.failcnt")),
                oomKills: Number(/^oom_kill (\d+)/m.exec(readFileSync(path.join(dir, "memory.oom_control"), "utf8"))?.[1] ?? 0),
            }),
            remove: () => removeWhenEmpty(dir),
        };
    }
    const v2 = self.find((l) => l.startsWith("0::"))?.slice(3);
    if (v2 !== undefined && existsSync("/sys/fs/cgroup/cgroup.controllers")) {
        const dir = path.join("/sys/fs/cgroup", v2, name);
        mkdirSync(dir);
        writeFileSync(path.join(dir, "memory.max"), String(bytes));
        const events = () => readFileSync(path.join(dir, "memory.events"), "utf8");
        return {
            description: `cgroup v2 ${dir} (memory.max = ${bytes})`,
            procsFile: path.join(dir, "cgroup.procs"),
            usage: () => ({ current: read(path.join(dir, "memory.current")), peak: read(path.join(dir, "memory.peak")), failcnt: Number(/^max (\d+)/m.exec(events())?.[1] ?? 0), oomKills: Number(/^oom_kill (\d+)/m.exec(events())?.[1] ?? 0) }),
            remove: () => removeWhenEmpty(dir),
        };
    }
    throw new Error("no writable memory cgroup (cgroup v1 memory or v2 with the memory controller); run the benchmark as root");
}

/** Removes the cgroup once its processes have exited (a killed process leaves it within moments; 50 tries, 100 ms apart). */
async function removeWhenEmpty(dir: string): Promise<void> {
    for (let i = 0; i < 50; i++) {
        if (readFileSync(path.join(dir, "cgroup.procs"), "utf8").trim() === "") break;
        await new Promise((r) => setTimeout(r, 100));
    }
    rmdirSync(dir);
}
