/**
 * Runs the `aiguard` CLI as a user would: a subprocess of the bin launcher (cli/aiguard.js) on the
 * Node that runs the tests (Node 24), from the repository root, with CI=true (no progress output).
 */
import { execFile } from "node:child_process";
import * as path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const LAUNCHER = path.join(REPO_ROOT, "cli", "aiguard.js");
export const FIXTURES = path.join(__dirname, "fixtures");

export interface CliRun {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

export function aiguard(args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<CliRun> {
    return new Promise((resolve, reject) => {
        const child = execFile(
            process.execPath,
            [LAUNCHER, ...args],
            { cwd: opts.cwd ?? REPO_ROOT, env: { ...process.env, CI: "true", NO_COLOR: "1", ...opts.env }, timeout: 180_000, maxBuffer: 64 * 1024 * 1024 },
            (err, stdout, stderr) => {
                const e = err as (NodeJS.ErrnoException & { code?: number | string; killed?: boolean }) | null;
                if (e && (typeof e.code === "string" || e.killed)) reject(new Error(`aiguard ${args.join(" ")} did not finish: ${e.message}\n${stderr}`));
                else resolve({ code: typeof e?.code === "number" ? e.code : 0, stdout, stderr });
            },
        );
        if (opts.input !== undefined) child.stdin!.end(opts.input);
    });
}

/** A Node stack trace line (`    at fn (file.ts:1:2)`). */
export const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$/m;
