/**
 * Benchmark of the CrossGuard policy pack over the analyzer protocol (not a test).
 *
 * For each stack size it starts a fresh pack process exactly as the Pulumi CLI does, configures it
 * with the defaults, then drives a synthetic stack (`bench/synthetic-stack.ts`) through it as the
 * engine does during a preview:
 *
 *   Analyze       one call per resource (its inputs), sequentially: p50 / p99 per call, total;
 *   AnalyzeStack  one call with every resource's outputs, its request encoded beforehand (as the
 *                 engine would send it; see `analyzer-wire.ts`): wall time of the round trip and
 *                 the CPU time of the pack's main thread during it (the wall time it would take on
 *                 an idle machine); `--repeat` more calls give a median;
 *
 *   memory        the pack process's peak RSS (VmHWM) after the first AnalyzeStack call (what one
 *                 preview costs: the engine makes one such call per preview) and after all of them.
 *
 * It checks the findings: a seeded replica or unit must yield exactly its seeded violations and
 * the compliant rest none (exit code 2 otherwise), then prints a table, the growth ratios against
 * the smallest size, and the targets on 10k resources: AnalyzeStack <= 2 s, peak RSS of one
 * preview <= 600 MiB, Analyze p50 <= 0.7 ms; growth no worse than linear.
 *
 * `--baseline <pack-dir>` measures a second, compiled pack (e.g. the previous version's
 * `policies/`, built in a git worktree) on the same stacks in the same run, alternating which goes
 * first, and prints the ratios current/baseline.
 *
 * Usage: npm run bench:pack -- [--sizes 1000,5000,10000] [--repeat 3] [--pack-dir policies]
 *        [--baseline <pack-dir>] [--no-build] [--json out.json]
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { buildPack, PACK_DIR, RunningPack } from "../offline/analyzer-client";
import { encodeAnalyzeStack, RawAnalyzer } from "./analyzer-wire";
import { platformSlice, SEEDED_VIOLATIONS, syntheticStack, type SyntheticStack } from "./synthetic-stack";

/** Targets on the largest stack: AnalyzeStack wall time, peak RSS of one preview, Analyze p50. */
const TARGET_STACK_MS = 2000;
const TARGET_RSS_MIB = 600;
const TARGET_ANALYZE_P50_MS = 0.7;
const TARGET_SIZE = 10_000;
/** Slack over strict linearity allowed before growth is called super-linear (noise on a shared machine). */
const LINEAR_SLACK = 1.5;

export interface SizeResult {
    readonly size: number;
    readonly analyzeP50Ms: number;
    readonly analyzeP99Ms: number;
    readonly analyzeTotalMs: number;
    /** CPU time of the pack's main thread per Analyze call, in µs (the pack's share of the latency, robust to a busy machine). */
    readonly analyzePackCpuUs: number;
    /** First AnalyzeStack call (the engine makes one per preview), request encoded beforehand. */
    readonly stackMs: number;
    /** Median of all AnalyzeStack calls (first included). */
    readonly stackMedianMs: number;
    /** CPU time of the pack's main thread during the first AnalyzeStack call. */
    readonly stackPackCpuMs: number;
    /** VmHWM after the Analyze calls and the first AnalyzeStack call: one preview's peak. */
    readonly peakRssMiB: number;
    /** VmHWM after every AnalyzeStack call (`--repeat`). */
    readonly peakRssRepeatedMiB: number;
    readonly findings: number;
    readonly expectedFindings: number;
}

function percentile(sorted: readonly number[], p: number): number {
    if (sorted.length === 0) return NaN;
    const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    return sorted[i]!;
}

const median = (xs: readonly number[]) => percentile([...xs].sort((a, b) => a - b), 50);

/**
 * utime + stime of a process's main thread, in ms (Linux /proc; clock ticks are 100 Hz). The main
 * thread runs the handler; GC helper threads are left out. On a busy machine this is the better
 * estimate of the wall time the call would take alone.
 */
function cpuMs(pid: number): number {
    const stat = fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Peak resident set size of a process, in MiB (VmHWM). */
function peakRssMiB(pid: number): number {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    if (!m) throw new Error(`no VmHWM in /proc/${pid}/status`);
    return Number(m[1]) / 1024;
}

function expectedFindings(stack: SyntheticStack): number {
    return stack.seededReplicas * SEEDED_VIOLATIONS.replica.length + stack.seededUnits * SEEDED_VIOLATIONS.unit.length;
}

async function measure(stack: SyntheticStack, packDir: string, repeat: number): Promise<SizeResult> {
    const pack = await RunningPack.start(packDir);
    try {
        const pid = pack.process.pid!;
        const info = await pack.client.getAnalyzerInfo();
        await pack.client.configure({}, info);
        let findings = 0;
        const latencies: number[] = [];
        const a0 = performance.now();
        const ac0 = cpuMs(pid);
        for (const r of stack.resources) {
            const t = performance.now();
            findings += (await pack.client.analyze(r.input)).length;
            latencies.push(performance.now() - t);
        }
        const analyzeTotalMs = performance.now() - a0;
        const analyzePackCpuUs = ((cpuMs(pid) - ac0) * 1000) / stack.resources.length;
        latencies.sort((a, b) => a - b);
        const request = encodeAnalyzeStack(stack.resources.map((r) => r.output));
        const raw = new RawAnalyzer(`127.0.0.1:${pack.port}`);
        const stackTimes: number[] = [];
        let stackPackCpuMs = 0;
        let firstPeak = 0;
        try {
            for (let i = 0; i < repeat; i++) {
                const c0 = cpuMs(pid);
                const t = performance.now();
                const count = await raw.analyzeStack(request);
                stackTimes.push(performance.now() - t);
                if (i === 0) {
                    stackPackCpuMs = cpuMs(pid) - c0;
                    firstPeak = peakRssMiB(pid);
                    findings += count;
                }
            }
        } finally {
            raw.close();
        }
        return {
            size: stack.resources.length,
            analyzeP50Ms: percentile(latencies, 50),
            analyzeP99Ms: percentile(latencies, 99),
            analyzeTotalMs,
            analyzePackCpuUs,
            stackMs: stackTimes[0]!,
            stackMedianMs: median(stackTimes),
            stackPackCpuMs,
            peakRssMiB: firstPeak,
            peakRssRepeatedMiB: peakRssMiB(pid),
            findings,
            expectedFindings: expectedFindings(stack),
        };
    } finally {
        await pack.stop();
    }
}

function table(rows: readonly (readonly string[])[]): string {
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ")).join("\n");
}

const f = (n: number, digits = 0) => n.toFixed(digits);

export function report(results: readonly SizeResult[]): { text: string; targetsMet: boolean } {
    const lines: string[] = [];
    lines.push(
        table([
            ["resources", "Analyze p50 ms", "p99 ms", "Analyze total s", "pack CPU µs/Analyze", "AnalyzeStack ms", "warm median ms", "main-thread CPU ms", "peak RSS MiB", "after repeats", "findings"],
            ...results.map((r) => [
                String(r.size),
                f(r.analyzeP50Ms, 3),
                f(r.analyzeP99Ms, 3),
                f(r.analyzeTotalMs / 1000, 1),
                f(r.analyzePackCpuUs),
                f(r.stackMs),
                f(r.stackMedianMs),
                f(r.stackPackCpuMs),
                f(r.peakRssMiB),
                f(r.peakRssRepeatedMiB),
                `${r.findings}/${r.expectedFindings}`,
            ]),
        ]),
    );
    const base = results[0]!;
    let linear = true;
    if (results.length > 1) {
        lines.push("", `growth against ${base.size} resources (linear = the size ratio):`);
        const rows: string[][] = [["ratio", "size", "AnalyzeStack", "CPU", "Analyze p50", "Analyze total", "peak RSS"]];
        for (const r of results.slice(1)) {
            const size = r.size / base.size;
            const stack = r.stackMs / base.stackMs;
            const cpu = r.stackPackCpuMs / Math.max(1, base.stackPackCpuMs);
            if (Math.min(stack, cpu) > size * LINEAR_SLACK) linear = false;
            rows.push([`${r.size}/${base.size}`, f(size, 1), f(stack, 2), f(cpu, 2), f(r.analyzeP50Ms / base.analyzeP50Ms, 2), f(r.analyzeTotalMs / base.analyzeTotalMs, 2), f(r.peakRssMiB / base.peakRssMiB, 2)]);
        }
        lines.push(table(rows));
    }
    const big = results.find((r) => r.size === TARGET_SIZE);
    const targets = [
        { what: `AnalyzeStack(${TARGET_SIZE}) <= ${TARGET_STACK_MS} ms`, value: big?.stackMs, limit: TARGET_STACK_MS, digits: 0 },
        { what: `peak RSS of one preview (${TARGET_SIZE}) <= ${TARGET_RSS_MIB} MiB`, value: big?.peakRssMiB, limit: TARGET_RSS_MIB, digits: 0 },
        { what: `Analyze p50 (${TARGET_SIZE}) <= ${TARGET_ANALYZE_P50_MS} ms`, value: big?.analyzeP50Ms, limit: TARGET_ANALYZE_P50_MS, digits: 3 },
    ];
    lines.push("");
    for (const t of targets) lines.push(`target ${t.what}: ${t.value === undefined ? "not measured" : `${t.value <= t.limit ? "met" : "MISSED"} (${f(t.value, t.digits)})`}`);
    lines.push(`target growth no worse than linear (within ${LINEAR_SLACK}x): ${results.length > 1 ? (linear ? "met" : "MISSED") : "not measured"}`);
    return { text: lines.join("\n"), targetsMet: targets.every((t) => t.value === undefined || t.value <= t.limit) && linear };
}

/** Ratios current/baseline, one row per size. */
function comparison(current: readonly SizeResult[], baseline: readonly SizeResult[]): string {
    const rows: string[][] = [["resources", "AnalyzeStack", "main-thread CPU", "peak RSS", "Analyze p50", "Analyze total", "pack CPU/Analyze"]];
    for (const c of current) {
        const b = baseline.find((r) => r.size === c.size);
        if (!b) continue;
        rows.push([String(c.size), f(c.stackMs / b.stackMs, 2), f(c.stackPackCpuMs / Math.max(1, b.stackPackCpuMs), 2), f(c.peakRssMiB / b.peakRssMiB, 2), f(c.analyzeP50Ms / b.analyzeP50Ms, 2), f(c.analyzeTotalMs / b.analyzeTotalMs, 2), f(c.analyzePackCpuUs / b.analyzePackCpuUs, 2)]);
    }
    return table(rows);
}

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            sizes: { type: "string", default: "1000,5000,10000" },
            repeat: { type: "string", default: "3" },
            "pack-dir": { type: "string" },
            baseline: { type: "string" },
            "no-build": { type: "boolean", default: false },
            json: { type: "string" },
        },
    });
    const sizes = values.sizes.split(",").map((s) => Number(s.trim()));
    if (sizes.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error(`--sizes must be positive integers separated by commas, e.g. 1000,5000,10000; got "${values.sizes}"`);
    const repeat = Number(values.repeat);
    if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat must be a positive integer, got "${values.repeat}"`);
    const packDir = path.resolve(values["pack-dir"] ?? PACK_DIR);
    const baselineDir = values.baseline === undefined ? undefined : path.resolve(values.baseline);
    for (const dir of [packDir, ...(baselineDir ? [baselineDir] : [])]) {
        if (!fs.existsSync(path.join(dir, "PulumiPolicy.yaml"))) throw new Error(`${dir} is not a policy pack directory (no PulumiPolicy.yaml); pass the pack's folder, e.g. <worktree>/policies, compiled with \`npm run build:policies\``);
    }
    if (!values["no-build"] && packDir === PACK_DIR) {
        process.stdout.write("building the pack... ");
        buildPack();
        process.stdout.write("done\n");
    }
    process.stdout.write("recording the example platform offline... ");
    const slice = await platformSlice();
    process.stdout.write(`${slice.length} resources per replica\n`);
    const current: SizeResult[] = [];
    const baseline: SizeResult[] = [];
    for (const [i, size] of sizes.entries()) {
        const stack = syntheticStack(slice, size);
        process.stdout.write(
            `${size} resources (${stack.replicas} platform replicas, ${stack.units} model-serving units, ${stack.singles} single repositories, ` +
                `${stack.seededReplicas + stack.seededUnits} seeded with violations)... `,
        );
        // With a baseline, the two packs take turns going first (A B, then B A), so neither always runs on a warmer machine.
        const order: Array<["current" | "baseline", string]> = baselineDir ? (i % 2 === 0 ? [["current", packDir], ["baseline", baselineDir]] : [["baseline", baselineDir], ["current", packDir]]) : [["current", packDir]];
        for (const [which, dir] of order) {
            const r = await measure(stack, dir, repeat);
            (which === "current" ? current : baseline).push(r);
            process.stdout.write(`${baselineDir ? `${which} ` : ""}AnalyzeStack ${f(r.stackMs)} ms  `);
        }
        process.stdout.write("\n");
    }
    console.log(`\n${baselineDir ? `current pack (${packDir}):\n` : ""}${report(current).text}`);
    if (baselineDir) {
        console.log(`\nbaseline pack (${baselineDir}):\n${report(baseline).text}`);
        console.log(`\ncurrent / baseline (below 1: the current pack is faster or smaller):\n${comparison(current, baseline)}`);
    }
    if (values.json) fs.writeFileSync(values.json, JSON.stringify(baselineDir ? { current, baseline } : current, null, 2) + "\n");
    const wrong = [...current, ...baseline].filter((r) => r.findings !== r.expectedFindings);
    if (wrong.length > 0) {
        console.error(
            `\nfindings differ from the seeded violations at ${wrong.map((r) => `${r.size} (${r.findings}, expected ${r.expectedFindings})`).join(", ")}: ` +
                "the synthetic stack or a rule is broken; the timings above do not measure a correct run.",
        );
        process.exitCode = 2;
    }
}

if (require.main === module) {
    main().catch((e: unknown) => {
        console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
        process.exitCode = 1;
    });
}
