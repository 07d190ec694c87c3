/**
 * Loading the Kubernetes client configuration, with one connection pool for every API call.
 *
 * `@kubernetes/client-node` 2.0.1 builds a new undici dispatcher in `applySecurityAuthentication`
 * for every request when the cluster has a CA (always, in a pod): each admission request then
 * opened a new TLS connection to the API server, and the abandoned pools kept native memory
 * (200 requests left 201 connections; RSS grew with the request rate). {@link PooledKubeConfig}
 * applies the same authentication (token files are re-read, so rotated tokens are used) but hands
 * every call the same keep-alive dispatcher for as long as the TLS material is unchanged; a rotated
 * client certificate or CA gets a fresh pool and the old one is closed. Proxied clusters keep the
 * library's own behaviour.
 */
import { createHash } from "node:crypto";
import type { RequestOptions } from "node:https";
import { KubeConfig, type RequestContext } from "@kubernetes/client-node";
import { Agent } from "undici";

/** Most connections the pool opens to the API server (watches hold one each while they run). */
export const API_CONNECTIONS = 8;

export class PooledKubeConfig extends KubeConfig {
    private pool: { readonly key: string; readonly agent: Agent } | undefined;

    override async applySecurityAuthentication(context: RequestContext): Promise<void> {
        const cluster = this.getCurrentCluster();
        if (cluster?.proxyUrl !== undefined && cluster.proxyUrl !== "") return super.applySecurityAuthentication(context);
        const opts: RequestOptions = {};
        await this.applyToHTTPSOptions(opts);
        const user = this.getCurrentUser();
        if (user?.username) context.setHeaderParam("Authorization", `Basic ${Buffer.from(`${user.username}:${user.password}`).toString("base64")}`);
        for (const [name, value] of Object.entries(opts.headers ?? {})) context.setHeaderParam(name, `${String(value)}`);
        const tls = {
            ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
            ...(opts.cert !== undefined ? { cert: opts.cert } : {}),
            ...(opts.key !== undefined ? { key: opts.key } : {}),
            ...(opts.rejectUnauthorized !== undefined ? { rejectUnauthorized: opts.rejectUnauthorized } : {}),
            ...(opts.servername !== undefined ? { servername: opts.servername } : {}),
        };
        const options = this.createDispatcherOptions(cluster, tls);
        if (options.type === "none") return;
        if (options.type !== "agent") return super.applySecurityAuthentication(context);
        context.setDispatcher(this.agentFor(tls, options.connect));
    }

    /** Closes the pooled connections. */
    async close(): Promise<void> {
        const agent = this.pool?.agent;
        this.pool = undefined;
        await agent?.close();
    }

    private agentFor(tls: object, connect: object): Agent {
        const key = createHash("sha256").update(JSON.stringify(tls, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString("base64") : v))).digest("hex");
        if (this.pool?.key === key) return this.pool.agent;
        const old = this.pool?.agent;
        const agent = new Agent({ connect, connections: API_CONNECTIONS, keepAliveTimeout: 30_000 });
        this.pool = { key, agent };
        void old?.close().catch(() => undefined);
        return agent;
    }
}

/**
 * Load the client configuration: in-cluster (service account token) when running in a pod,
 * otherwise `$KUBECONFIG` / `~/.kube/config`; `kubeconfigPath` forces a file.
 */
export function loadKubeConfig(kubeconfigPath?: string): PooledKubeConfig {
    const kc = new PooledKubeConfig();
    if (kubeconfigPath !== undefined) kc.loadFromFile(kubeconfigPath);
    else if (process.env["KUBERNETES_SERVICE_HOST"] !== undefined) kc.loadFromCluster();
    else kc.loadFromDefault();
    return kc;
}
