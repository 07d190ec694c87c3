/**
 * Runs every benchmark script in package.json (`bench:*`) with its defaults, one after the other,
 * each in its own process. A script that fails is reported and the others still run; the exit code
 * is non-zero if any failed. Only scripts present in package.json run. To pass options, run one
 * benchmark directly (`npm run bench:pack -- --sizes 1000`).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
/** Benchmarks in the order they run; any other `bench:*` script runs after these. */
const ORDER = ["bench:pack", "bench:webhook"];

function benchScripts(): string[] {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts?: Record<string, string> };
    const names = Object.keys(pkg.scripts ?? {}).filter((n) => n.startsWith("bench:"));
    return [...ORDER.filter((n) => names.includes(n)), ...names.filter((n) => !ORDER.includes(n)).sort()];
}

function main(): void {
    const npm = process.env.npm_execpath;
    const scripts = benchScripts();
    if (scripts.length === 0) {
        console.log("no bench:* scripts in package.json");
        return;
    }
    const failed: string[] = [];
    for (const name of scripts) {
        console.log(`\n=== ${name} ===`);
        // Under `npm run`, npm_execpath is npm's CLI script: run it with this Node, as npm itself was.
        const [cmd, args] = npm ? [process.execPath, [npm, "run", "--silent", name]] : ["npm", ["run", "--silent", name]];
        const r = spawnSync(cmd, args as string[], { cwd: ROOT, stdio: "inherit" });
        if (r.status !== 0) failed.push(`${name} (${r.error ? r.error.message : `exit ${r.status ?? r.signal}`})`);
    }
    if (failed.length > 0) {
        console.error(`\nbenchmarks failed: ${failed.join(", ")}`);
        process.exitCode = 1;
    }
}

main();
