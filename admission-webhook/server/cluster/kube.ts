/**
 * What the webhook reads from the Kubernetes API: the namespace's labels (for the policy's
 * namespace selector) and the pull credentials of a pod (its `imagePullSecrets`, then its service
 * account's). Every call carries a deadline; any API failure throws `ClusterError` so the request is
 * denied (fail closed) with a message naming the object and the fix.
 *
 * RBAC the webhook's service account needs: `get` on `namespaces`, `serviceaccounts` and `secrets`.
 */
import { ApiException, CoreV1Api, KubeConfig, Observable, type ConfigurationOptions } from "@kubernetes/client-node";
import type { RegistryCredential } from "../../verification/types";
import { credentialsFromSecret, PullSecretError } from "./dockerconfig";
import { ClusterError, type ClusterFacts, type PullCredentials } from "./facts";
import type { PodSpecFacts } from "../images";
import { describeError } from "../../../common/errors";

export { ClusterError, StaticClusterFacts, type ClusterFacts, type PullCredentials } from "./facts";

export interface KubeClusterFactsOptions {
    /** Deadline of each API call in ms (also bounded by the request's signal). Default 3000. */
    readonly callTimeoutMs?: number;
    /** How long namespace labels are cached, in ms. Default 30000; 0 disables the cache. */
    readonly namespaceLabelTtlMs?: number;
    /** Most namespaces kept in the label cache. Default 2048. */
    readonly namespaceCacheSize?: number;
    /** Clock, for tests. Default `Date.now`. */
    readonly now?: () => number;
}

/**
 * Load the client configuration: in-cluster (service account token) when running in a pod,
 * otherwise `$KUBECONFIG` / `~/.kube/config`; `kubeconfigPath` forces a file.
 */
export function loadKubeConfig(kubeconfigPath?: string): KubeConfig {
    const kc = new KubeConfig();
    if (kubeconfigPath !== undefined) kc.loadFromFile(kubeconfigPath);
    else if (process.env["KUBERNETES_SERVICE_HOST"] !== undefined) kc.loadFromCluster();
    else kc.loadFromDefault();
    return kc;
}

/** `ClusterFacts` backed by the API server via @kubernetes/client-node. */
export class KubeClusterFacts implements ClusterFacts {
    private readonly api: CoreV1Api;
    private readonly callTimeoutMs: number;
    private readonly ttlMs: number;
    private readonly cacheSize: number;
    private readonly now: () => number;
    private readonly labels = new Map<string, { expires: number; value: Promise<Readonly<Record<string, string>>> }>();

    constructor(kc: KubeConfig, options: KubeClusterFactsOptions = {}) {
        this.api = kc.makeApiClient(CoreV1Api);
        this.callTimeoutMs = options.callTimeoutMs ?? 3000;
        this.ttlMs = options.namespaceLabelTtlMs ?? 30_000;
        this.cacheSize = options.namespaceCacheSize ?? 2048;
        this.now = options.now ?? Date.now;
    }

    namespaceLabels(namespace: string, signal: AbortSignal): Promise<Readonly<Record<string, string>>> {
        const now = this.now();
        const hit = this.labels.get(namespace);
        if (hit !== undefined && hit.expires > now) return hit.value;
        const value = this.call(`namespace ${namespace}`, "get namespaces", signal, (o) => this.api.readNamespace({ name: namespace }, o)).then(
            (ns) => Object.freeze({ ...(ns.metadata?.labels ?? {}) }),
        );
        if (this.ttlMs > 0) {
            this.labels.delete(namespace);
            this.labels.set(namespace, { expires: now + this.ttlMs, value });
            if (this.labels.size > this.cacheSize) this.labels.delete(this.labels.keys().next().value!);
            value.catch(() => {
                if (this.labels.get(namespace)?.value === value) this.labels.delete(namespace);
            });
        }
        return value;
    }

    async pullCredentials(namespace: string, pod: PodSpecFacts, signal: AbortSignal): Promise<PullCredentials> {
        const notes: string[] = [];
        let saSecrets: string[] = [];
        const sa = await this.call(`service account ${namespace}/${pod.serviceAccountName}`, "get serviceaccounts", signal, (o) =>
            this.api.readNamespacedServiceAccount({ namespace, name: pod.serviceAccountName }, o),
        ).catch((err: unknown) => {
            // Not created yet (a Deployment may precede its service account): no credentials from it.
            if (err instanceof NotFound) return undefined;
            throw err;
        });
        if (sa === undefined) notes.push(`service account ${namespace}/${pod.serviceAccountName} not found; its pull secrets were not used`);
        else saSecrets = (sa.imagePullSecrets ?? []).map((r) => r.name ?? "").filter((n) => n !== "");
        const names = [...new Set([...pod.imagePullSecrets, ...saSecrets])];
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
