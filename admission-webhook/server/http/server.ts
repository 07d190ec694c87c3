/**
 * The webhook's HTTPS server (DP-2, DV-1, P7): `POST /validate` answers AdmissionReviews,
 * `GET /healthz`, `GET /readyz` and `GET /metrics` serve the kubelet and Prometheus. HTTPS only
 * (TLS ≥ 1.2), bounded request bodies, one deadline per decision, one JSON log line per decision,
 * certificate and policy reload without restart, graceful shutdown.
 */
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import pino, { type Logger } from "pino";
import { AdmissionController, objectName, type Outcome } from "../admit";
import type { ClusterFacts } from "../cluster/facts";
import { WebhookMetrics } from "../metrics";
import { PolicyHolder, type PolicyLoader } from "../policy/holder";
import { parseAdmissionReview, parseJsonBody, reviewResponse, ReviewError, type AdmissionRequest } from "./review";
import { readTls, watchCertificate } from "./tls";
import type { ContentWatcher } from "../policy/watch";
import { describeError } from "../../../common/errors";
import { firstOf, truncate } from "../json";

/** Largest accepted `/validate` body. The API server's own object limit is ~1.5 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 3 * 1024 * 1024;

/** Default cap on simultaneous connections (API server replicas keep a few each; probes and scrapes add some). */
export const DEFAULT_MAX_CONNECTIONS = 512;

/** Violations listed in one decision log line (the rest are counted). */
const MAX_LOGGED_VIOLATIONS = 20;

/** `application/json`, optionally with `charset=utf-8`: the only body type accepted on `/validate`. */
const JSON_CONTENT_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

export interface WebhookServerOptions {
    readonly tlsCertFile: string;
    readonly tlsKeyFile: string;
    /** Trust policy file or directory (a mounted ConfigMap). */
    readonly policyPath: string;
    readonly loadPolicy: PolicyLoader;
    readonly facts: ClusterFacts;
    /** Listen port. Default 8443; 0 picks a free port. */
    readonly port?: number;
    /** Listen address. Default `0.0.0.0`. */
    readonly host?: string;
    /** Decision budget in ms. Default 8000, inside the API server's default 10 s webhook timeout. */
    readonly deadlineMs?: number;
    /** Body limit in bytes; larger bodies get 413. Default 3 MiB. */
    readonly maxBodyBytes?: number;
    /** On shutdown, how long to wait for in-flight requests before closing connections. Default 20000 ms. */
    readonly shutdownGraceMs?: number;
    /** On shutdown, how long to keep serving with `/readyz` failing before closing the listener. Default 0. */
    readonly shutdownDelayMs?: number;
    /** Default: a pino logger at `info` on stdout. */
    readonly logger?: Logger;
    /** Default: a fresh registry with process metrics. */
    readonly metrics?: WebhookMetrics;
    /** Most distinct images per object (see `AdmissionControllerOptions`). Default 256. */
    readonly maxImagesPerObject?: number;
    /** Most simultaneous TLS connections; more are refused until some close. Default {@link DEFAULT_MAX_CONNECTIONS}. */
    readonly maxConnections?: number;
    /** How long a client may take to complete the TLS handshake, in ms. Default 5000. */
    readonly handshakeTimeoutMs?: number;
    /** File-watch timing (tests shorten it). Defaults: debounce 200 ms, poll 60 s. */
    readonly watchDebounceMs?: number;
    readonly watchPollMs?: number;
}

export class WebhookServer {
    private shuttingDown = false;
    private closing: Promise<void> | undefined;
    private inFlight = 0;
    private certWatcher: ContentWatcher | undefined;

    private constructor(
        readonly server: Server,
        readonly policy: PolicyHolder,
        readonly metrics: WebhookMetrics,
        private readonly logger: Logger,
        private readonly controller: AdmissionController,
        private readonly options: WebhookServerOptions,
    ) {}

    /** Load TLS material and the policy, then listen. Throws if the certificate cannot be used. */
    static async start(options: WebhookServerOptions): Promise<WebhookServer> {
        const logger = options.logger ?? pino({ level: "info" });
        const metrics = options.metrics ?? new WebhookMetrics();
        const tls = await readTls({ certFile: options.tlsCertFile, keyFile: options.tlsKeyFile });
        const timing = {
            ...(options.watchDebounceMs !== undefined ? { debounceMs: options.watchDebounceMs } : {}),
            ...(options.watchPollMs !== undefined ? { pollMs: options.watchPollMs } : {}),
        };
        const policy = await PolicyHolder.start({ path: options.policyPath, loader: options.loadPolicy, logger, metrics, ...timing });
        const controller = new AdmissionController({
            facts: options.facts,
            decider: () => policy.current(),
            ...(options.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {}),
            ...(options.maxImagesPerObject !== undefined ? { maxImagesPerObject: options.maxImagesPerObject } : {}),
        });
        const server = createServer({ ...tls, handshakeTimeout: options.handshakeTimeoutMs ?? 5_000 });
        server.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
        const app = new WebhookServer(server, policy, metrics, logger, controller, options);
        server.on("request", (req: IncomingMessage, res: ServerResponse) => app.handle(req, res));
        server.headersTimeout = 10_000;
        server.requestTimeout = (options.deadlineMs ?? 8000) + 5_000;
        await new Promise<void>((resolve, reject) => {
            server.once("error", reject);
            server.listen(options.port ?? 8443, options.host ?? "0.0.0.0", () => {
                server.off("error", reject);
                resolve();
            });
        });
        app.listenPort = (server.address() as AddressInfo).port;
        app.certWatcher = await watchCertificate(server, { certFile: options.tlsCertFile, keyFile: options.tlsKeyFile }, logger, metrics, timing);
        logger.info({ port: app.port, policy: policy.description ?? null }, "aiguard admission webhook listening");
        return app;
    }

    private listenPort = 0;

    /** The port listened on (stays readable after shutdown). */
    get port(): number {
        return this.listenPort;
    }

    /** Ready: a policy is loaded and the server is not shutting down. */
    get ready(): boolean {
        return !this.shuttingDown && this.policy.current() !== undefined;
    }

    private handle(req: IncomingMessage, res: ServerResponse): void {
        if (this.shuttingDown) res.setHeader("Connection", "close");
        const path = (req.url ?? "/").split("?")[0];
        const method = req.method ?? "GET";
        const route = ROUTES[path ?? ""];
        if (route === undefined) return this.reject(res, 404, `no such endpoint ${path}; use POST /validate, GET /healthz, /readyz or /metrics`);
        if (method !== route) {
            res.setHeader("Allow", route);
            return this.reject(res, 405, `${path} accepts ${route} only`);
        }
        if (path === "/healthz") return text(res, 200, "ok\n");
        if (path === "/readyz") {
            if (this.ready) return text(res, 200, "ok\n");
            return text(res, 503, this.shuttingDown ? "shutting down\n" : "no trust policy loaded\n");
        }
        if (path === "/metrics") {
            this.metrics.registry.metrics().then(
                (body) => text(res, 200, body, this.metrics.registry.contentType),
                (err: unknown) => text(res, 500, `metrics failed: ${describeError(err)}\n`),
            );
            return;
        }
        this.inFlight++;
        this.validate(req, res)
            .catch((err: unknown) => {
                this.logger.error({ err: describeError(err) }, "validate handler failed");
                if (!res.headersSent) text(res, 500, "internal error\n");
            })
            .finally(() => this.inFlight--);
    }

    private async validate(req: IncomingMessage, res: ServerResponse): Promise<void> {
        const started = process.hrtime.bigint();
        const type = req.headers["content-type"] ?? "";
        if (!JSON_CONTENT_TYPE.test(type)) {
            req.resume();
            return this.reject(res, 415, `Content-Type must be application/json (got ${type === "" ? "none" : truncate(type, 100)})`);
        }
        const body = await readBody(req, this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
        if (body === "too-large") {
            res.setHeader("Connection", "close");
            return this.reject(res, 413, `request body exceeds ${this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES} bytes`);
        }
        if (body === "aborted") return;
        let request: AdmissionRequest;
        try {
            request = parseAdmissionReview(parseJsonBody(body));
        } catch (err) {
            if (err instanceof ReviewError) return this.reject(res, 400, `malformed AdmissionReview: ${err.message}`);
            throw err;
        }
        const gone = new AbortController();
        res.on("close", () => {
            if (!res.writableFinished) gone.abort();
        });
        const outcome = await this.controller.admit(request, gone.signal);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        this.metrics.observe(outcome.result, outcome.reason, seconds, outcome);
        this.logDecision(request, outcome, seconds);
        if (this.shuttingDown) res.setHeader("Connection", "close");
        json(res, 200, reviewResponse(outcome.response));
    }

    /** One bounded line per decision, with counts (never one line per image). */
    private logDecision(req: AdmissionRequest, o: Outcome, seconds: number): void {
        const reasons = firstOf(o.violations, MAX_LOGGED_VIOLATIONS);
        const warned = firstOf(o.warnings, MAX_LOGGED_VIOLATIONS);
        this.logger.info(
            {
                uid: req.uid,
                kind: req.kind.kind,
                operation: req.operation,
                subResource: req.subResource || undefined,
                namespace: req.namespace,
                name: truncate(objectName(req)),
                dryRun: req.dryRun,
                allowed: o.response.allowed,
                result: o.result,
                reason: o.reason,
                images: o.images,
                distinctImages: o.distinctImages,
                violationCount: o.violations.length || undefined,
                violationCodes: o.violations.length ? countBy(o.violations) : undefined,
                reasons: reasons.shown.length ? reasons.shown : undefined,
                reasonsOmitted: reasons.omitted || undefined,
                warnings: warned.shown.length ? warned.shown : undefined,
                warningsOmitted: warned.omitted || undefined,
                registryErrors: o.registryErrors !== undefined && Object.keys(o.registryErrors).length > 0 ? o.registryErrors : undefined,
                policy: o.policy,
                cacheHits: o.cacheHits,
                notes: o.notes.length ? o.notes.slice(0, MAX_LOGGED_VIOLATIONS) : undefined,
                message: o.response.allowed ? undefined : truncate(o.response.status?.message ?? "", 4096),
                latencyMs: Math.round(seconds * 1e6) / 1e3,
            },
            "admission decision",
        );
    }

    private reject(res: ServerResponse, status: number, message: string): void {
        this.metrics.badRequests.inc({ status: String(status) });
        text(res, status, `${message}\n`);
    }

    /**
     * Graceful shutdown: `/readyz` fails at once; after `shutdownDelayMs` the listener closes, idle
     * connections end, in-flight decisions finish for up to `shutdownGraceMs`, then every remaining
     * connection is closed. Idempotent.
     */
    shutdown(): Promise<void> {
        this.closing ??= (async () => {
            this.shuttingDown = true;
            this.logger.info({ inFlight: this.inFlight }, "shutting down");
            const delay = this.options.shutdownDelayMs ?? 0;
            if (delay > 0) await new Promise((r) => setTimeout(r, delay));
            this.certWatcher?.close();
            const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
            this.server.closeIdleConnections();
            let timer: NodeJS.Timeout | undefined;
            const grace = new Promise<void>((resolve) => {
                timer = setTimeout(resolve, this.options.shutdownGraceMs ?? 20_000);
            });
            await Promise.race([closed, grace]);
            clearTimeout(timer);
            if (this.inFlight > 0) this.logger.warn({ inFlight: this.inFlight }, "shutdown grace expired; closing in-flight connections");
            this.server.closeAllConnections();
            await this.policy.close().catch((err: unknown) => this.logger.warn({ err: describeError(err) }, "releasing the policy failed"));
            await this.options.facts.close?.().catch((err: unknown) => this.logger.warn({ err: describeError(err) }, "closing the cluster watches failed"));
            this.logger.info("stopped");
        })();
        return this.closing;
    }
}

function countBy(list: readonly { readonly code: string }[]): Record<string, number> {
    const out: Record<string, number> = {};
    for (const v of list) out[v.code] = (out[v.code] ?? 0) + 1;
    return out;
}

const ROUTES: Readonly<Record<string, string>> = { "/validate": "POST", "/healthz": "GET", "/readyz": "GET", "/metrics": "GET" };

/** Read a body up to `limit` bytes. Past the limit the rest is drained (bounded) and discarded. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | "too-large" | "aborted"> {
    const declared = Number(req.headers["content-length"] ?? NaN);
    return new Promise((resolve) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let over = Number.isFinite(declared) && declared > limit;
        req.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > limit) over = true;
            if (over) {
                chunks.length = 0;
                if (size > limit * 4) {
                    resolve("too-large");
                    req.pause();
                }
                return;
            }
            chunks.push(chunk);
        });
        req.on("end", () => resolve(over ? "too-large" : Buffer.concat(chunks)));
        req.on("error", () => resolve("aborted"));
        req.on("aborted", () => resolve("aborted"));
    });
}

function text(res: ServerResponse, status: number, body: string, contentType = "text/plain; charset=utf-8"): void {
    res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(body) });
    res.end(body);
}

function json(res: ServerResponse, status: number, value: unknown): void {
    const body = JSON.stringify(value);
    res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
    res.end(body);
}
