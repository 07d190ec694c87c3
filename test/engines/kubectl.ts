/**
 * Running the machine's `kubectl` against a {@link KubeCluster}.
 */
import { execFile } from "node:child_process";

/** Outcome of one kubectl run (never throws for a non-zero exit: callers assert on `code`). */
export interface KubectlResult {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

/**
 * Runs `kubectl --kubeconfig <path> ...args`, feeding `input` (e.g. a JSON manifest for `-f -`)
 * on stdin. Rejects only when kubectl cannot be started or runs longer than `timeoutMs`
 * (default 30000).
 */
export function kubectl(
    kubeconfigPath: string,
    args: readonly string[],
    opts: { input?: string; timeoutMs?: number } = {},
): Promise<KubectlResult> {
    return new Promise((resolve, reject) => {
        const child = execFile(
            "kubectl",
            ["--kubeconfig", kubeconfigPath, ...args],
            { timeout: opts.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024 },
            (err, stdout, stderr) => {
                const e = err as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
                if (e && typeof e.code === "string") {
                    reject(new Error(`kubectl could not run (${e.code}); is it on PATH?`, { cause: err }));
                } else if (e?.killed) {
                    reject(new Error(`kubectl ${args.join(" ")} timed out`, { cause: err }));
                } else {
                    resolve({ code: typeof e?.code === "number" ? e.code : 0, stdout, stderr });
                }
            },
        );
        child.stdin?.end(opts.input ?? "");
    });
}

/** Like {@link kubectl} but throws with stderr when the exit code is not 0; returns stdout. */
export async function kubectlOk(
    kubeconfigPath: string,
    args: readonly string[],
    opts: { input?: string; timeoutMs?: number } = {},
): Promise<string> {
    const res = await kubectl(kubeconfigPath, args, opts);
    if (res.code !== 0) {
        throw new Error(`kubectl ${args.join(" ")} exited ${res.code}: ${res.stderr.trim()}`);
    }
    return res.stdout;
}

/** `kubectl get -o json` parsed. */
export async function getJson<T = Record<string, unknown>>(kubeconfigPath: string, args: readonly string[]): Promise<T> {
    return JSON.parse(await kubectlOk(kubeconfigPath, ["get", ...args, "-o", "json"])) as T;
}
