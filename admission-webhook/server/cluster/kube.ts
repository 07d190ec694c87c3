/**
 * What the webhook reads from the Kubernetes API: the namespace's labels (for the policy's
 * namespace selector) and the pull credentials of a pod (its `imagePullSecrets`, then its service
 * account's). Any API failure throws `ClusterError` so the request is denied (fail closed) with a
 * message naming the object and the fix.
 *
 * Namespaces and service accounts come from watches (`./reflector`, only labels and pull-secret
 * names kept) once they have synced. Before that, when the watch has been down longer than
 * `watchStaleMs`, and for objects the watch has not delivered yet (created a moment ago), the object
 * is read directly with a deadline (and reused for `namespaceLabelTtlMs`). Pull secrets are always
 * read on demand (see README, "Bounded work").
 *
 * RBAC the webhook's service account needs: `get`, `list`, `watch` on `namespaces` and
 * `serviceaccounts`; `get` on `secrets`.
 */
import { CoreV1Api, KubeConfig, type ConfigurationOptions } from "@kubernetes/client-node";
import { BoundedCache } from "../../verification/cache";
import type { RegistryCredential } from "../../verification/types";
import { apiCall, NotFound } from "./api-call";
import { credentialsFromSecret, PullSecretError } from "./dockerconfig";
import { ClusterError, type ClusterFacts, type PullCredentials } from "./facts";
import { Reflector, type ObjectMeta, type WatchEvent } from "./reflector";
import type { PodSpecFacts } from "../images";

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
    /** Watch namespaces and service accounts (needs `list` and `watch` on both). Default true. */
    readonly watch?: boolean;
    /** How long after a watch broke its view is still used, ms; then objects are read directly. Default 10000. */
    readonly watchStaleMs?: number;
    /** Server-side timeout of each watch, s. Default 25 (see `WATCH_TIMEOUT_SECONDS`). */
    readonly watchTimeoutSeconds?: number;
    /** Watch state changes (synced, errors), for logs. */
    readonly onWatchEvent?: (e: WatchEvent) => void;
}

/** Where the facts of one lookup came from, counted for tests and benchmarks. */
export interface FactsReads {
    /** Answered from a synced watch. */
    watched: number;
    /** Read from the API (or the TTL cache of such reads): before sync, stale watch, or not yet delivered. */
    direct: number;
}

type Labels = Readonly<Record<string, string>>;

/** `ClusterFacts` backed by the API server via @kubernetes/client-node. */
export class KubeClusterFacts implements ClusterFacts {
    private readonly api: CoreV1Api;
    private readonly callTimeoutMs: number;
    private readonly ttlMs: number;
    private readonly cacheSize: number;
    private readonly now: () => number;
    private readonly labels: BoundedCache<string, Promise<Readonly<Record<string, string>>>>;
    private readonly accounts: BoundedCache<string, Promise<readonly string[] | undefined>>;
    private readonly namespaces: Reflector<Labels> | undefined;
    private readonly serviceAccounts: Reflector<readonly string[]> | undefined;
    readonly reads: FactsReads = { watched: 0, direct: 0 };

    constructor(kc: KubeConfig, options: KubeClusterFactsOptions = {}) {
        this.api = kc.makeApiClient(CoreV1Api);
        this.callTimeoutMs = options.callTimeoutMs ?? 3000;
        this.ttlMs = options.namespaceLabelTtlMs ?? 30_000;
        this.cacheSize = options.namespaceCacheSize ?? 2048;
        this.now = options.now ?? Date.now;
        this.labels = new BoundedCache(this.cacheSize, this.now);
        this.accounts = new BoundedCache(options.serviceAccountCacheSize ?? 8192, this.now);
        if (options.watch ?? true) {
            const common = {
                kc,
                callTimeoutMs: this.callTimeoutMs,
                staleAfterMs: options.watchStaleMs ?? 10_000,
                now: this.now,
                ...(options.watchTimeoutSeconds !== undefined ? { watchTimeoutSeconds: options.watchTimeoutSeconds } : {}),
                ...(options.onWatchEvent !== undefined ? { onEvent: options.onWatchEvent } : {}),
            };
            this.namespaces = new Reflector<Labels>({
                ...common,
                resource: "namespaces",
                path: "/api/v1/namespaces",
                listPage: (token, limit, o) => this.api.listNamespace({ limit, ...(token !== undefined ? { _continue: token } : {}) }, o),
                project: labelsOf,
            });
            this.serviceAccounts = new Reflector<readonly string[]>({
                ...common,
                resource: "serviceaccounts",
                path: "/api/v1/serviceaccounts",
                listPage: (token, limit, o) => this.api.listServiceAccountForAllNamespaces({ limit, ...(token !== undefined ? { _continue: token } : {}) }, o),
                project: pullSecretNames,
            });
        }
    }

    /** Resolves true once both watches have listed and connected (false after `timeoutMs`, or when not watching). */
    async waitForSync(timeoutMs: number): Promise<boolean> {
        if (this.namespaces === undefined || this.serviceAccounts === undefined) return false;
        const [a, b] = await Promise.all([this.namespaces.waitForSync(timeoutMs), this.serviceAccounts.waitForSync(timeoutMs)]);
        return a && b;
    }

    /** Stops the watches. */
    async close(): Promise<void> {
        await Promise.all([this.namespaces?.close(), this.serviceAccounts?.close()]);
    }

    namespaceLabels(namespace: string, signal: AbortSignal): Promise<Labels> {
        const seen = this.namespaces?.lookup(namespace);
        if (seen?.fresh === true && seen.value !== undefined) {
            this.reads.watched++;
            return Promise.resolve(seen.value);
        }
        this.reads.direct++;
        return this.cached(this.labels, namespace, () =>
            this.call(`namespace ${namespace}`, "get namespaces", signal, (o) => this.api.readNamespace({ name: namespace }, o)).then(labelsOf),
        );
    }

    /** The pull-secret names of a service account (undefined: it does not exist): from the watch, else read and cached like namespace labels. */
    private serviceAccountSecrets(namespace: string, name: string, signal: AbortSignal): Promise<readonly string[] | undefined> {
        const seen = this.serviceAccounts?.lookup(`${namespace}/${name}`);
        if (seen?.fresh === true && seen.value !== undefined) {
            this.reads.watched++;
            return Promise.resolve(seen.value);
        }
        this.reads.direct++;
        return this.cached(this.accounts, `${namespace}/${name}`, () =>
            this.call(`service account ${namespace}/${name}`, "get serviceaccounts", signal, (o) => this.api.readNamespacedServiceAccount({ namespace, name }, o)).then(
                pullSecretNames,
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

    private call<T>(what: string, verb: string, signal: AbortSignal, fn: (o: ConfigurationOptions) => Promise<T>): Promise<T> {
        return apiCall(what, verb, this.callTimeoutMs, signal, fn);
    }
}

/** A namespace's labels, copied and frozen (nothing else of the object is kept). */
function labelsOf(ns: ObjectMeta & { metadata?: { labels?: Record<string, string> } }): Labels {
    return Object.freeze({ ...(ns.metadata?.labels ?? {}) });
}

/** The names of a service account's `imagePullSecrets` (nothing else of the object is kept). */
function pullSecretNames(sa: ObjectMeta & { imagePullSecrets?: ReadonlyArray<{ name?: string }> }): readonly string[] {
    return Object.freeze((sa.imagePullSecrets ?? []).map((r) => r.name ?? "").filter((n) => n !== ""));
}
