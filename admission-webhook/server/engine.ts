/**
 * Wires the verification engine (`../engine`) into the server: a `PolicyLoader` that reads the
 * trust policy (a file, or the single policy file of a mounted ConfigMap directory), builds an
 * `ImageVerifier` for it, and reports the engine's cache and registry events as metrics.
 */
import { basename } from "node:path";
import type { Logger } from "pino";
import { ImageVerifier, loadPolicyFile, type ImageVerifierOptions, type TrustPolicy } from "../engine";
import type { WebhookMetrics } from "./metrics";
import type { LoadedPolicy, PolicyLoader } from "./policy";
import { filesOf } from "./watch";

/** Policy file names accepted in a policy directory. */
const POLICY_FILE = /\.(ya?ml|json)$/i;

export interface EngineLoaderOptions {
    /** Registry options for every verifier (insecure loopback registries, extra CAs, limits, cache). */
    readonly verifier?: Omit<ImageVerifierOptions, "hooks">;
    readonly metrics?: WebhookMetrics;
    readonly logger?: Logger;
    /** How long a replaced verifier keeps its connections for in-flight requests, in ms. Default 15000. */
    readonly retireAfterMs?: number;
}

/**
 * Resolve the policy file of `path`: the path itself, or the one `.yaml`/`.yml`/`.json` file in a
 * directory (hidden kubelet entries such as `..data` are ignored).
 * @throws Error when a directory holds no policy file or several.
 */
export async function policyFileOf(path: string): Promise<string> {
    const files = await filesOf(path);
    if (files.length === 1 && files[0] === path) return path;
    const policies = files.filter((f) => POLICY_FILE.test(basename(f)));
    if (policies.length !== 1) {
        throw new Error(`${path} must hold exactly one trust policy file (*.yaml, *.yml or *.json); found ${policies.length === 0 ? "none" : policies.map((f) => basename(f)).join(", ")}`);
    }
    return policies[0]!;
}

/** Load a trust policy file or directory into the engine's compiled form. Throws `PolicyLoadError`. */
export async function readTrustPolicy(path: string): Promise<TrustPolicy> {
    return loadPolicyFile(await policyFileOf(path));
}

/** A `PolicyLoader` backed by the real engine; each load gets a fresh verifier (and cache). */
export function engineLoader(options: EngineLoaderOptions = {}): PolicyLoader {
    let previous: ImageVerifier | undefined;
    return async (path: string): Promise<LoadedPolicy> => {
        const file = await policyFileOf(path);
        const policy = loadPolicyFile(file);
        const m = options.metrics;
        const verifier = new ImageVerifier(policy, {
            ...options.verifier,
            hooks: {
                onRegistryError: (e) => {
                    m?.registryErrors.inc({ code: e.code });
                    options.logger?.warn({ image: e.image, policy: e.policy, code: e.code, err: e.message }, "registry error");
                },
            },
        });
        const old = previous;
        previous = verifier;
        if (old !== undefined) setTimeout(() => void old.close().catch(() => undefined), options.retireAfterMs ?? 15_000).unref();
        const names = policy.policies.map((p) => `${p.name}/${p.mode}`).join(", ");
        return { decider: verifier, description: `${basename(file)} sha256:${policy.version.slice(0, 12)} [${names}]`, close: () => verifier.close() };
    };
}
