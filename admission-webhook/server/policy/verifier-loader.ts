/**
 * Wires the verification code (`../../verification`) to policy loading and metrics: a
 * `PolicyLoader` that reads the trust policy (a file, or the single policy file of a mounted
 * ConfigMap directory), builds an `ImageVerifier` for it over the process's shared registry
 * client, limiter and verdict cache, and counts registry errors as metrics.
 */
import { basename } from "node:path";
import {
    DEFAULT_REGISTRY_CONCURRENCY, FairLimiter, ImageVerifier, loadPolicyFile, RegistryClient, SingleFlightCache,
    type ImageOutcome, type ImageVerifierOptions, type TrustPolicy,
} from "../../verification";
import type { WebhookMetrics } from "../metrics";
import type { LoadedPolicy, PolicyLoader } from "./holder";
import { filesOf } from "./watch";

/** Policy file names accepted in a policy directory. */
const POLICY_FILE = /\.(ya?ml|json)$/i;

export interface VerifierLoaderOptions {
    /** Registry options (insecure loopback registries, extra CAs, limits, ECR, verdict cache tuning). */
    readonly verifier?: Omit<ImageVerifierOptions, "hooks" | "client" | "limiter" | "verdicts">;
    /** Most verifications talking to registries at once, process-wide. Default {@link DEFAULT_REGISTRY_CONCURRENCY}. */
    readonly registryConcurrency?: number;
    readonly metrics?: WebhookMetrics;
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

/**
 * A `PolicyLoader` backed by the verification code. One registry client (one connection pool),
 * one process-wide {@link FairLimiter} and one verdict cache serve every policy the process loads:
 * a reload builds a new verifier over them (cache keys carry the policy version, so entries of an
 * edited policy are never reused). Registry errors are counted here and logged once per decision
 * by the HTTP adapter, never once per image.
 */
export function verifierLoader(options: VerifierLoaderOptions = {}): PolicyLoader {
    const { cache, ...registry } = options.verifier ?? {};
    const client = new RegistryClient(registry);
    const limiter = new FairLimiter(options.registryConcurrency ?? DEFAULT_REGISTRY_CONCURRENCY);
    const verdicts = new SingleFlightCache<ImageOutcome>(cache);
    const m = options.metrics;
    return async (path: string): Promise<LoadedPolicy> => {
        const file = await policyFileOf(path);
        const policy = loadPolicyFile(file);
        const verifier = new ImageVerifier(policy, {
            client,
            limiter,
            verdicts,
            hooks: { onRegistryError: (e) => m?.registryErrors.inc({ code: e.code }) },
        });
        const names = policy.policies.map((p) => `${p.name}/${p.mode}`).join(", ");
        return { decider: verifier, description: `${basename(file)} sha256:${policy.version.slice(0, 12)} [${names}]`, close: () => client.close() };
    };
}
