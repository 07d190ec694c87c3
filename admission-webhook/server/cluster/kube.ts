/**
 * What the webhook reads from the Kubernetes API: the namespace's labels (for the policy's
 * namespace selector) and the pull credentials of a pod (its `imagePullSecrets`, then its service
 * account's). Every call carries a deadline; any API failure throws `ClusterError` so the request is
 * denied (fail closed) with a message naming the object and the fix.
 *
 * RBAC the webhook's service account needs: `get` on `namespaces`, `serviceaccounts` and `secrets`.
 */
import { ApiException, CoreV1Api, KubeConfig, Observable, type ConfigurationOptions } from "@kubernetes/client-node";
import { BoundedCache } from "../../verification/cache";
import type { RegistryCredential } from "../../verification/types";
import { credentialsFromSecret, PullSecretError } from "./dockerconfig";
import { ClusterError, type ClusterFacts, type PullCredentials } from "./facts";
import type { PodSpecFacts } from "../images";
import { describeError } from "../../../common/errors";

export { ClusterError, StaticClusterFacts, type ClusterFacts, type PullCredentials } from "./facts";
export { loadKubeConfig, PooledKubeConfig } from "./kube-config";

export interface KubeClusterFactsOptions {
    /** Deadline of each API call in ms (also bounded by the request's signal). Default 3000. */
    readonly callTimeoutMs?: number;
    /** How long namespace labels and service-account pull-secret names are cached, in ms. Default 30000; 0 disables the cache. */
    readonly namespaceLabelTtlMs?: number;
    /** Most namespaces kept in the label cache. Default 2048. */
    readonly namespaceCacheSize?: number;
    /** Most service accounts whose pull-secret names are cached (same TTL). Default 8192. */
    readonly serviceAccountCacheSize?: number;
    /** Clock, for tests. Default `Date.now`. */
    readonly now?: () => number;
}

/** `ClusterFacts` backed by the API server via @kubernetes/client-node. */
export class KubeClusterFacts implements ClusterFacts {
    private readonly api: CoreV1Api;
    private readonly callTimeoutMs: number;
    private readonly ttlMs: number;
    private readonly cacheSize: number;
    private readonly now: () => number;
    private readonly labels: BoundedCache<string, Promise<Readonly<Record<string, string>>>>;
    private readonly accounts: BoundedCache<string, Promise<readonly string[] | undefined>>;

    constructor(kc: KubeConfig, options: KubeClusterFactsOptions = {}) {
        this.api = kc.makeApiClient(CoreV1Api);
        this.callTimeoutMs = options.callTimeoutMs ?? 3000;
        this.ttlMs = options.namespaceLabelTtlMs ?? 30_000;
        this.cacheSize = options.namespaceCacheSize ?? 2048;
        this.now = options.now ?? Date.now;
        this.labels = new BoundedCache(this.cacheSize, this.now);
        this.accounts = new BoundedCache(options.serviceAccountCacheSize ?? 8192, this.now);
    }

    namespaceLabels(namespace: string, signal: AbortSignal): Promise<Readonly<Record<string, string>>> {
        return this.cached(this.labels, namespace, () =>
            this.call(`namespace ${namespace}`, "get namespaces", signal, (o) => this.api.readNamespace({ name: namespace }, o)).then((ns) => Object.freeze({ ...(ns.metadata?.labels ?? {}) })),
        );
    }

    /** The pull-secret names of a service account (undefined: it does not exist), cached like namespace labels. */
    private serviceAccountSecrets(namespace: string, name: string, signal: AbortSignal): Promise<readonly string[] | undefined> {
        return this.cached(this.accounts, `${namespace}/${name}`, () =>
            this.call(`service account ${namespace}/${name}`, "get serviceaccounts", signal, (o) => this.api.readNamespacedServiceAccount({ namespace, name }, o)).then(
                (sa) => (sa.imagePullSecrets ?? []).map((r) => r.name ?? "").filter((n) => n !== ""),
                (err: unknown) => {
                    // Not created yet (a Deployment may precede its service account): no credentials from it.
                    if (err instanceof NotFound) return undefined;
                    throw err;
                },
            ),
        );
    }

    /** One read per key per TTL, shared by concurrent callers; failures are not kept. */
    private cached<V>(cache: BoundedCache<string, Promise<V>>, key: string, read: () => Promise<V>): Promise<V> {
        const hit = cache.get(key);
        if (hit !== undefined) return hit;
        const value = read();
        cache.set(key, value, this.ttlMs);
        value.catch(() => {
            if (cache.get(key) === value) cache.delete(key);
        });
        return value;
    }

    async pullCredentials(namespace: string, pod: PodSpecFacts, signal: AbortSignal): Promise<PullCredentials> {
        const notes: string[] = [];
        const saSecrets = await this.serviceAccountSecrets(namespace, pod.serviceAccountName, signal);
        if (saSecrets === undefined) notes.push(`service account ${namespace}/${pod.serviceAccountName} not found; its pull secrets were not used`);
        const names = [...new Set([...pod.imagePullSecrets, ...(saSecrets ?? [])])];
        const credentials: RegistryCredential[] = [];
        for (const name of names) {
            const source = `secret ${namespace}/${name}`;
            const secret = await this.call(source, "get secrets", signal, (o) => this.api.readNamespacedSecret({ namespace, name }, o)).catch(
                (err: unknown) => {
                    if (err instanceof NotFound) return undefined;
                    throw err;
                },
            );
            if (secret === undefined) {
                // The kubelet skips a missing pull secret too; the pull (and this check) then runs without it.
                notes.push(`${source} not found; skipped`);
                continue;
            }
            let creds: RegistryCredential[] | undefined;
            try {
                creds = credentialsFromSecret(secret.type, secret.data, source);
            } catch (err) {
                if (err instanceof PullSecretError) throw new ClusterError(err.message);
                throw err;
            }
            if (creds === undefined) notes.push(`${source} has type ${secret.type ?? "Opaque"}, not a docker registry secret; skipped`);
            else credentials.push(...creds);
        }
        return { credentials, notes };
    }

    private async call<T>(what: string, verb: string, signal: AbortSignal, fn: (o: ConfigurationOptions) => Promise<T>): Promise<T> {
        if (signal.aborted) throw new ClusterError(`reading ${what} was cancelled: the request deadline passed`);
        const timeout = AbortSignal.timeout(this.callTimeoutMs);
        const combined = AbortSignal.any([signal, timeout]);
        const options: ConfigurationOptions = {
            middleware: [
                {
                    pre: (ctx) => {
                        ctx.setSignal(combined);
                        return new Observable(Promise.resolve(ctx));
                    },
                    post: (ctx) => new Observable(Promise.resolve(ctx)),
                },
            ],
            middlewareMergeStrategy: "append",
        };
        try {
            return await fn(options);
        } catch (err) {
            if (err instanceof ApiException) {
                const code = err.code;
                if (code === 404) throw new NotFound(`${what} not found`);
                if (code === 401) {
                    // Authentication, not authorization: granting RBAC would not help.
                    throw new ClusterError(
                        `the Kubernetes API did not accept the webhook's credentials reading ${what} (HTTP 401); check that the service account token (or --kubeconfig user) is valid and not expired`,
                    );
                }
                if (code === 403) {
                    throw new ClusterError(`the Kubernetes API refused to read ${what} (HTTP ${code}); grant the webhook's service account "${verb}" in RBAC`);
                }
                throw new ClusterError(`the Kubernetes API failed to read ${what} (HTTP ${code})`);
            }
            if (timeout.aborted) throw new ClusterError(`reading ${what} from the Kubernetes API timed out after ${this.callTimeoutMs} ms`);
            if (signal.aborted) throw new ClusterError(`reading ${what} was cancelled: the request deadline passed`);
            throw new ClusterError(`the Kubernetes API could not be reached to read ${what}: ${describeError(err)}`);
        }
    }
}

class NotFound extends ClusterError {}
