/**
 * Locating the engines built by `scripts/build-engines.sh`, and running them as supervised child
 * processes that cannot outlive the test process.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants, createWriteStream, readFileSync } from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

/** The repository root (this file lives in test/engines/). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** Directory holding Node 24 (`node`) and the project's CLIs; put first on PATH for child processes. */
export const NODE_BIN_DIR = path.join(REPO_ROOT, "node_modules", ".bin");

/** Where build-engines.sh puts the engines: `$AIGUARD_TOOLS_DIR`, default `~/.cache/aiguard/bin`. */
export function toolsDir(): string {
    return process.env.AIGUARD_TOOLS_DIR ?? path.join(os.homedir(), ".cache", "aiguard", "bin");
}

/** The build instruction every "missing engine" error ends with. */
export const BUILD_HINT = "run `bash scripts/build-engines.sh` (builds into $AIGUARD_TOOLS_DIR, default ~/.cache/aiguard/bin)";

/**
 * Absolute path of an engine in the tools dir. Throws naming the build command when it is missing
 * or not executable: the engine tests fail (never skip) without their binaries.
 */
export function requireTool(name: string): string {
    const file = path.join(toolsDir(), name);
    try {
        accessSync(file, constants.X_OK);
    } catch {
        throw new Error(`engine '${name}' is missing at ${file}: ${BUILD_HINT}`);
    }
    return file;
}

/** The version stamp build-engines.sh wrote for a tool (first word of `.<name>.version`). */
export function builtVersion(name: string): string {
    try {
        return readFileSync(path.join(toolsDir(), `.${name}.version`), "utf8").trim().split(/\s+/)[0] ?? "";
    } catch {
        throw new Error(`engine '${name}' has no version stamp in ${toolsDir()}: ${BUILD_HINT}`);
    }
}

/** Asks the kernel for a free TCP port on 127.0.0.1 (released before returning). */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.unref();
        server.on("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const address = server.address();
            server.close(() => {
                if (address && typeof address === "object") resolve(address.port);
                else reject(new Error("could not read the port of a probe socket"));
            });
        });
    });
}

/** A running engine process, in its own process group. */
export interface Supervised {
    readonly name: string;
    readonly child: ChildProcess;
    /** Path of the file receiving its stdout and stderr. */
    readonly logPath: string;
    /** Resolves with the exit code (or signal name) once the process group leader has exited. */
    readonly exited: Promise<number | string>;
    /** SIGTERM to the whole group, SIGKILL after `graceMs` (default 5000). Idempotent. */
    stop(graceMs?: number): Promise<void>;
}

const live = new Set<Supervised>();
let exitHookInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
    try {
        process.kill(-pid, signal);
    } catch {
        // the group is already gone
    }
}

function installExitHook(): void {
    if (exitHookInstalled) return;
    exitHookInstalled = true;
    // Last resort when a test forgets stop() or the worker exits early; the shell guard below covers
    // a parent that dies without running exit handlers (SIGKILL).
    process.on("exit", () => {
        for (const s of live) if (s.child.pid) killGroup(s.child.pid, "SIGKILL");
    });
}

/**
 * The guard: a shell that starts the engine, then polls the test process every 0.5 s and kills the
 * engine when the test process is gone. It runs as the leader of a new process group, so
 * `kill(-pgid)` reaches the engine and every process it forks.
 */
const GUARD = [
    'parent="$1"; shift',
    '"$@" & engine=$!',
    'trap \'kill -TERM "$engine" 2>/dev/null; wait "$engine"; exit 143\' TERM INT',
    'while kill -0 "$parent" 2>/dev/null && kill -0 "$engine" 2>/dev/null; do sleep 0.5 & wait $!; done',
    'if kill -0 "$engine" 2>/dev/null; then kill -KILL "$engine"; fi',
    'wait "$engine"',
].join("\n");

/**
 * Starts `command args` under the guard, appending its output to `logPath`.
 * @param env full environment for the process (default: this process's environment).
 */
export function supervise(
    name: string,
    command: string,
    args: readonly string[],
    opts: { logPath: string; cwd?: string; env?: NodeJS.ProcessEnv },
): Supervised {
    installExitHook();
    const log = createWriteStream(opts.logPath, { flags: "a" });
    const child = spawn("bash", ["-c", GUARD, `guard:${name}`, String(process.pid), command, ...args], {
        cwd: opts.cwd,
        env: opts.env ?? process.env,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    const exited = new Promise<number | string>((resolve) => {
        child.on("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
        child.on("error", () => resolve("spawn-error"));
    });
    let stopping: Promise<void> | undefined;
    const supervised: Supervised = {
        name,
        child,
        logPath: opts.logPath,
        exited,
        stop(graceMs = 5000) {
            stopping ??= (async () => {
                const pid = child.pid;
                if (pid !== undefined && child.exitCode === null && child.signalCode === null) {
                    killGroup(pid, "SIGTERM");
                    const timer = setTimeout(() => killGroup(pid, "SIGKILL"), graceMs);
                    await exited;
                    clearTimeout(timer);
                }
                // Anything left in the group (forked helpers) goes too.
                if (pid !== undefined) killGroup(pid, "SIGKILL");
                live.delete(supervised);
                await new Promise<void>((resolve) => log.end(resolve));
            })();
            return stopping;
        },
    };
    live.add(supervised);
    void exited.then(() => live.delete(supervised));
    return supervised;
}

/** The last `lines` lines of a log file, for error messages. */
export function tail(file: string, lines = 30): string {
    try {
        return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
        return "(no log)";
    }
}

/**
 * Polls `probe` every `intervalMs` until it returns true, or throws after `timeoutMs` with
 * `describe()` (called then, so it can include fresh logs).
 */
export async function waitUntil(
    probe: () => Promise<boolean>,
    opts: { timeoutMs: number; intervalMs?: number; describe: () => string; abort?: Promise<unknown> },
): Promise<void> {
    const deadline = Date.now() + opts.timeoutMs;
    let aborted: string | undefined;
    void opts.abort?.then((v) => (aborted = String(v)));
    for (;;) {
        if (aborted !== undefined) throw new Error(`${opts.describe()} (process exited: ${aborted})`);
        if (await probe().catch(() => false)) return;
        if (Date.now() > deadline) throw new Error(`timed out after ${opts.timeoutMs} ms: ${opts.describe()}`);
        await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
    }
}
