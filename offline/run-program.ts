/**
 * Runs a user's program in a child process (program-host.ts), as Pulumi runs it in its Node language
 * host: its own working directory, module cache and event loop, its own stdout and stderr (passed to
 * `onOutput`, never mixed into aiguard's machine-readable output), and a crash or `process.exit` in
 * the program cannot take aiguard down. The recording comes back over the IPC channel.
 */
import { fork } from "node:child_process";
import * as path from "node:path";
import { AiguardError } from "../common/errors";
import type { HostReply, HostRequest } from "./host-protocol";

export type ProgramFailureKind = "program" | "setup" | "exit" | "timeout";

/** The program could not be run to the end. `output` holds its last lines of stdout/stderr. */
export class ProgramRunError extends AiguardError<"program-run"> {
    constructor(
        readonly kind: ProgramFailureKind,
        message: string,
        readonly output: readonly string[],
        /** What was recorded before the failure (lookups without answers help explain it). */
        readonly partial?: HostReply,
    ) {
        super("program-run", message);
    }
}

export interface RunProgramOptions {
    /** Each line the program prints (stdout or stderr). Default: dropped. */
    readonly onOutput?: (line: string) => void;
    /** Default 10 minutes (`AIGUARD_PROGRAM_TIMEOUT_MS`). */
    readonly timeoutMs?: number;
}

const KEEP_LINES = 40;

/** Runs the request in a fresh child; resolves with its recording, rejects with {@link ProgramRunError}. */
export function runProgramInHost(req: HostRequest, options: RunProgramOptions = {}): Promise<HostReply> {
    const timeoutMs = options.timeoutMs ?? Number(process.env.AIGUARD_PROGRAM_TIMEOUT_MS ?? 600_000);
    const child = fork(path.join(__dirname, "program-host.js"), [], {
        cwd: req.pwd,
        stdio: ["ignore", "pipe", "pipe", "ipc"],
        serialization: "advanced",
        execArgv: [],
        env: { ...process.env, FORCE_COLOR: "0" },
    });
    const tail: string[] = [];
    const collect = (chunk: Buffer, rest: { text: string }) => {
        rest.text += chunk.toString("utf8");
        const lines = rest.text.split(/\r?\n/);
        rest.text = lines.pop() ?? "";
        for (const raw of lines) {
            const line = raw.replace(/\x1b\[[0-9;]*m/g, "");
            // The SDK's stack frames and Node's late-handling warnings say nothing the one-line error does not.
            if (/^\s+at\s/.test(line) || /^\(node:\d+\) PromiseRejectionHandledWarning/.test(line)) continue;
            tail.push(line);
            if (tail.length > KEEP_LINES) tail.shift();
            options.onOutput?.(line);
        }
    };
    const out = { text: "" };
    const err = { text: "" };
    child.stdout!.on("data", (c: Buffer) => collect(c, out));
    child.stderr!.on("data", (c: Buffer) => collect(c, err));
    return new Promise((resolve, reject) => {
        let replied: HostReply | undefined;
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(new ProgramRunError("timeout", `the program did not finish within ${Math.round(timeoutMs / 1000)} s`, tail));
        }, timeoutMs);
        child.on("message", (m: HostReply) => (replied = m));
        child.on("error", (e) => {
            clearTimeout(timer);
            reject(new ProgramRunError("setup", `cannot start the program's Node process: ${e.message}`, tail));
        });
        child.on("close", (code, signal) => {
            clearTimeout(timer);
            for (const rest of [out, err]) if (rest.text) collect(Buffer.from("\n"), rest);
            if (replied?.failure) return reject(new ProgramRunError(replied.failure.kind, replied.failure.message, tail, replied));
            if (replied) return resolve(replied);
            reject(new ProgramRunError("exit", `the program ended the process (${signal ?? `exit code ${code}`}) before it finished`, tail));
        });
        child.send(req);
    });
}
