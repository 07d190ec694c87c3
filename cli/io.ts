/**
 * Where the CLI writes, and the progress indicator for long runs.
 *
 * Progress is a single spinner line on stderr, shown only when stderr is a terminal and the run is
 * not in CI (`CI` unset or "false"); otherwise it is silent, so logs and redirected output stay clean.
 */
export interface Output {
    /** One chunk of the command's result (stdout). */
    out(text: string): void;
    /** Diagnostics and progress (stderr). */
    err(text: string): void;
}

export const processOutput: Output = {
    out: (t) => process.stdout.write(t.endsWith("\n") ? t : `${t}\n`),
    err: (t) => process.stderr.write(t.endsWith("\n") ? t : `${t}\n`),
};

/** Whether interactive niceties (spinner, colours) are wanted on this stream. Default: stderr. */
export function isInteractive(stream: NodeJS.WriteStream = process.stderr, env: NodeJS.ProcessEnv = process.env): boolean {
    const ci = env.CI !== undefined && env.CI !== "" && env.CI.toLowerCase() !== "false" && env.CI !== "0";
    return !ci && stream.isTTY === true;
}

/** Whether to colour output written to `stream` (a TTY, not CI, and `NO_COLOR` unset). */
export function useColour(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
    return isInteractive(stream, env) && (env.NO_COLOR === undefined || env.NO_COLOR === "") && env.TERM !== "dumb";
}

/** Reports the phase of a long run. */
export interface Progress {
    phase(text: string): void;
    done(): void;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** A spinner on stderr when interactive ({@link isInteractive}), otherwise a no-op. */
export function createProgress(interactive: boolean = isInteractive(), stream: NodeJS.WriteStream = process.stderr): Progress {
    if (!interactive) return { phase: () => undefined, done: () => undefined };
    let text = "";
    let frame = 0;
    let phaseStart = Date.now();
    const draw = () => {
        const secs = ((Date.now() - phaseStart) / 1000).toFixed(1);
        stream.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${text} ${secs}s`);
    };
    let timer: NodeJS.Timeout | undefined;
    return {
        phase(t) {
            text = t;
            phaseStart = Date.now();
            if (!timer) {
                timer = setInterval(draw, 80);
                timer.unref();
            }
            draw();
        },
        done() {
            if (timer) clearInterval(timer);
            timer = undefined;
            stream.write("\r\x1b[2K");
        },
    };
}
