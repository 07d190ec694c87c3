/**
 * A small, bounded Distribution-v2 client over undici's `fetch`. Every request carries the
 * caller's AbortSignal (the admission deadline); every body is read with a size bound; every
 * manifest and blob is checked against its digest. https is the default; plain http is allowed
 * only for loopback hosts listed in `insecureRegistries`.
 */
import { rootCertificates } from "node:tls";
import { Agent, fetch, type Response } from "undici";
import { BoundedCache } from "../cache";
import { describeError, RegistryError } from "../errors";
import { apiHost, normaliseRegistryHost } from "../../../common/image-reference";
import type { RegistryCredential } from "../types";
import { basicAuthorization, credentialFor, parseChallenge, pullScope, tokenFrom } from "./auth";
import { digestOf, isDigest, readBounded, verifyDigest } from "./bounded";
import { ecrAccessHint, type EcrCredentialSource } from "./ecr";
import { MANIFEST_ACCEPT } from "./media";

/** Size and count bounds. A hostile registry cannot make the engine read more than these. */
export interface RegistryLimits {
    /** Largest manifest or index read. Default 4 MiB. */
    readonly maxManifestBytes: number;
    /** Largest blob read (signature payloads and bundles are small). Default 1 MiB. */
    readonly maxBlobBytes: number;
    /**
     * Most signatures examined per image and format (newest legacy signatures first; bundle-typed
     * referrers first). More are skipped, never fatal: a valid signature among them still admits. Default 32.
     */
    readonly maxEntries: number;
    /** Largest token-endpoint response. Default 64 KiB. */
    readonly maxTokenBytes: number;
}

export const DEFAULT_LIMITS: RegistryLimits = { maxManifestBytes: 4 << 20, maxBlobBytes: 1 << 20, maxEntries: 32, maxTokenBytes: 64 << 10 };

/** One finished registry request, for metrics and tests. */
export interface RegistryRequestEvent {
    readonly registry: string;
    readonly method: string;
    readonly path: string;
    readonly status?: number;
    readonly error?: string;
}

export interface RegistryClientOptions {
    /** Hosts (`127.0.0.1:5000`, `localhost:5000`) reached over plain http. Loopback only; default none. */
    readonly insecureRegistries?: readonly string[];
    /** Extra CA certificates (PEM) trusted for registry TLS, in addition to the system CAs. */
    readonly caCertificates?: readonly (string | Buffer)[];
    /** Bounds; each defaults to {@link DEFAULT_LIMITS}. */
    readonly limits?: Partial<RegistryLimits>;
    /** Called after every HTTP request (including token requests). */
    readonly onRequest?: (event: RegistryRequestEvent) => void;
    /** Default `aiguard-admission/1`. */
    readonly userAgent?: string;
    /**
     * Amazon ECR credentials for ECR hosts that have no pull-secret credentials (EKS pods pull
     * through the node role and carry none). Default: none (ECR hosts need a pull secret). The
     * caller owns the source ({@link close} does not close it), so it can outlive policy reloads.
     */
    readonly ecr?: EcrCredentialSource;
}

/** A repository on a registry. */
export interface RepositoryRef {
    readonly registry: string;
    readonly repository: string;
}

/** Per-call context: the deadline and the pull credentials of the request being decided. */
export interface RequestContext {
    readonly signal: AbortSignal;
    readonly credentials?: readonly RegistryCredential[];
}

/** A fetched, digest-checked manifest or index. */
export interface FetchedManifest {
    readonly digest: string;
    readonly mediaType: string;
    readonly bytes: Buffer;
    readonly json: Record<string, unknown>;
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])(:\d+)?$/;

export class RegistryClient {
    readonly limits: RegistryLimits;
    private readonly insecure: ReadonlySet<string>;
    private readonly dispatcher: Agent;
    private readonly onRequest?: (event: RegistryRequestEvent) => void;
    private readonly userAgent: string;
    private readonly ecr?: EcrCredentialSource;
    /** Bearer tokens by (registry, scope, credential); bounded so distinct repositories cannot grow it. */
    private readonly tokens = new BoundedCache<string, string>(4096);

    constructor(options: RegistryClientOptions = {}) {
        this.limits = { ...DEFAULT_LIMITS, ...options.limits };
        const insecure = (options.insecureRegistries ?? []).map(normaliseRegistryHost);
        for (const host of insecure) {
            if (!LOOPBACK.test(host)) {
                throw new RegistryError("insecure", `insecureRegistries: ${host} is not a loopback host; plain http is only allowed for 127.0.0.1, localhost and [::1] — serve the registry over https`);
            }
        }
        this.insecure = new Set(insecure);
        const ca = options.caCertificates;
        this.dispatcher = new Agent({
            connect: ca !== undefined && ca.length > 0 ? { ca: [...rootCertificates, ...ca.map(String)] } : {},
        });
        this.onRequest = options.onRequest;
        this.userAgent = options.userAgent ?? "aiguard-admission/1";
        this.ecr = options.ecr;
    }

    /** Fetches a manifest by tag or digest; a digest reference is verified against the body. */
    async getManifest(repo: RepositoryRef, reference: string, ctx: RequestContext): Promise<FetchedManifest> {
        const found = await this.findManifest(repo, reference, ctx);
        if (found === undefined) throw new RegistryError("status", `${repo.registry}/${repo.repository}:${reference} was not found (404)`, { status: 404 });
        return found;
    }

    /** Like {@link getManifest} but resolves undefined on 404 (no such tag or manifest). */
    async findManifest(repo: RepositoryRef, reference: string, ctx: RequestContext): Promise<FetchedManifest | undefined> {
        const what = `manifest ${repo.registry}/${repo.repository}${isDigest(reference) ? "@" : ":"}${reference}`;
        const res = await this.request(repo, `/manifests/${reference}`, ctx, { accept: MANIFEST_ACCEPT });
        if (res.status === 404) {
            await res.body?.cancel().catch(() => undefined);
            return undefined;
        }
        await this.expectOk(res, what);
        const bytes = await this.read(res, this.limits.maxManifestBytes, what, ctx);
        let digest: string;
        if (isDigest(reference)) {
            verifyDigest(bytes, reference, what);
            digest = reference;
        } else {
            digest = digestOf(bytes);
            const header = res.headers.get("docker-content-digest");
            if (header !== null && isDigest(header) && header.startsWith("sha256:") && header !== digest) {
                throw new RegistryError("digest-mismatch", `${what}: Docker-Content-Digest ${header} does not match the body's digest ${digest}`);
            }
        }
        const json = parseJsonObject(bytes, what);
        const mediaType = typeof json.mediaType === "string" ? json.mediaType : (res.headers.get("content-type") ?? "").split(";")[0]!.trim();
        return { digest, mediaType, bytes, json };
    }

    /** Fetches a blob by digest, at most `max` bytes (default `limits.maxBlobBytes`), digest-verified. */
    async getBlob(repo: RepositoryRef, digest: string, ctx: RequestContext, max = this.limits.maxBlobBytes): Promise<Buffer> {
        const what = `blob ${repo.registry}/${repo.repository}@${digest}`;
        if (!isDigest(digest)) throw new RegistryError("malformed", `${what}: not a sha256/sha512 digest`);
        const res = await this.request(repo, `/blobs/${digest}`, ctx, {});
        await this.expectOk(res, what);
        const bytes = await this.read(res, max, what, ctx);
        verifyDigest(bytes, digest, what);
        return bytes;
    }

    /** Lists tags (first page, bounded by `limits.maxManifestBytes`). */
    async listTags(repo: RepositoryRef, ctx: RequestContext): Promise<string[]> {
        const what = `tag list of ${repo.registry}/${repo.repository}`;
        const res = await this.request(repo, `/tags/list`, ctx, {});
        await this.expectOk(res, what);
        const json = parseJsonObject(await this.read(res, this.limits.maxManifestBytes, what, ctx), what);
        return Array.isArray(json.tags) ? json.tags.filter((t): t is string => typeof t === "string") : [];
    }

    /** A raw GET under `/v2/<repository>`, authenticated; callers must consume or cancel the body. */
    async request(repo: RepositoryRef, suffix: string, ctx: RequestContext, opts: { accept?: string }): Promise<Response> {
        const host = apiHost(repo.registry);
        const url = `${this.scheme(repo.registry)}://${host}/v2/${repo.repository}${suffix}`;
        const scope = pullScope(repo.repository);
        const explicit = credentialFor(ctx.credentials ?? [], repo.registry);
        // Pull-secret credentials win; otherwise an ECR host gets a token for the webhook's own AWS identity.
        const ecr = explicit === undefined ? await this.ecr?.credentialFor(repo.registry, ctx.signal) : undefined;
        const credential = explicit ?? ecr;
        const fix = ecr !== undefined ? ecrAccessHint(repo.registry) : `check the imagePullSecret for ${repo.registry}`;
        const tokenKey = `${repo.registry}|${scope}|${credential?.username ?? ""}|${credential?.password ?? credential?.identityToken ?? ""}`;
        const authorization = this.tokens.get(tokenKey);
        let res = await this.send(repo.registry, url, ctx.signal, opts.accept, authorization);
        if (res.status !== 401) return this.deniedWithEcr(res, repo, ecr);
        const challenge = parseChallenge(res.headers.get("www-authenticate"));
        await res.body?.cancel().catch(() => undefined);
        if (challenge === undefined) {
            throw new RegistryError("unauthorized", `${repo.registry} answered 401 without a usable WWW-Authenticate challenge: check the registry's auth setup`, { status: 401 });
        }
        const fresh = challenge.scheme === "basic"
            ? { authorization: basicAuthorization(credential), expiresInSeconds: 300 }
            : await this.fetchToken(repo.registry, challenge.params, scope, credential, ctx.signal);
        if (fresh.authorization === undefined) {
            const ecrOff = this.ecr !== undefined && this.ecr.mode === "off" && this.ecr.isEcrHost(repo.registry) ? " (or run the webhook with --ecr-credentials auto)" : "";
            throw new RegistryError("unauthorized", `${repo.registry} requires credentials and none were given: add an imagePullSecret for ${repo.registry}${ecrOff}`, { status: 401 });
        }
        this.tokens.set(tokenKey, fresh.authorization, fresh.expiresInSeconds * 1000 * 0.9);
        res = await this.send(repo.registry, url, ctx.signal, opts.accept, fresh.authorization);
        if (res.status === 401 || (res.status === 403 && ecr === undefined)) {
            await res.body?.cancel().catch(() => undefined);
            this.tokens.delete(tokenKey);
            throw new RegistryError("unauthorized", `${repo.registry} rejected the credentials (${res.status}): ${fix}`, { status: res.status });
        }
        return this.deniedWithEcr(res, repo, ecr);
    }

    /** A 403 to ECR credentials means the role may not read the repository: say which permissions are missing. */
    private async deniedWithEcr(res: Response, repo: RepositoryRef, ecr: RegistryCredential | undefined): Promise<Response> {
        if (res.status !== 403 || ecr === undefined) return res;
        await res.body?.cancel().catch(() => undefined);
        throw new RegistryError("unauthorized", `${repo.registry} denied ${repo.repository} to the webhook's AWS identity (403): ${ecrAccessHint(repo.registry)}`, { status: 403 });
    }

    /** Releases pooled connections. */
    async close(): Promise<void> {
        await this.dispatcher.close();
    }

    private async fetchToken(registry: string, params: Readonly<Record<string, string>>, scope: string, credential: RegistryCredential | undefined, signal: AbortSignal): Promise<{ authorization?: string; expiresInSeconds: number }> {
        const realm = params.realm;
        let url: URL;
        try {
            url = new URL(realm ?? "");
        } catch {
            throw new RegistryError("unauthorized", `${registry} sent a Bearer challenge without a valid realm URL`);
        }
        // Credentials go only to https realms, or to a loopback realm the configuration allows over http.
        if (url.protocol !== "https:" && !(url.protocol === "http:" && this.insecure.has(url.host.toLowerCase()))) {
            throw new RegistryError("insecure", `${registry} asked for credentials at ${url.origin}, which is not https: refusing to send them`);
        }
        if (params.service !== undefined) url.searchParams.set("service", params.service);
        url.searchParams.set("scope", params.scope ?? scope);
        const headers: Record<string, string> = { "user-agent": this.userAgent };
        let method = "GET";
        let body: string | undefined;
        if (credential?.identityToken !== undefined) {
            method = "POST";
            headers["content-type"] = "application/x-www-form-urlencoded";
            body = new URLSearchParams({ grant_type: "refresh_token", service: params.service ?? "", scope: params.scope ?? scope, client_id: "aiguard", refresh_token: credential.identityToken }).toString();
        } else {
            const basic = basicAuthorization(credential);
            if (basic !== undefined) headers.authorization = basic;
        }
        const what = `token from ${url.origin}${url.pathname}`;
        const res = await this.guard(registry, method, url.pathname, signal, () => fetch(url, { method, headers, body, signal, dispatcher: this.dispatcher, redirect: "error" }));
        if (res.status === 401 || res.status === 403) {
            await res.body?.cancel().catch(() => undefined);
            throw new RegistryError("unauthorized", `the token service of ${registry} rejected the credentials (${res.status}): check the imagePullSecret for ${registry}`, { status: res.status });
        }
        await this.expectOk(res, what);
        const token = tokenFrom(parseJsonObject(await this.read(res, this.limits.maxTokenBytes, what, { signal }), what));
        if (token === undefined) throw new RegistryError("malformed", `${what}: response has no token`);
        return { authorization: `Bearer ${token.token}`, expiresInSeconds: token.expiresInSeconds };
    }

    private scheme(registry: string): "http" | "https" {
        return this.insecure.has(registry) ? "http" : "https";
    }

    private send(registry: string, url: string, signal: AbortSignal, accept: string | undefined, authorization: string | undefined): Promise<Response> {
        const headers: Record<string, string> = { "user-agent": this.userAgent };
        if (accept !== undefined) headers.accept = accept;
        if (authorization !== undefined) headers.authorization = authorization;
        return this.guard(registry, "GET", new URL(url).pathname, signal, () => fetch(url, { headers, signal, dispatcher: this.dispatcher, redirect: "follow" }));
    }

    private async guard(registry: string, method: string, path: string, signal: AbortSignal, run: () => Promise<Response>): Promise<Response> {
        if (signal.aborted) throw timeoutError(registry, signal);
        try {
            const res = await run();
            this.onRequest?.({ registry, method, path, status: res.status });
            return res;
        } catch (err) {
            this.onRequest?.({ registry, method, path, error: describeError(err) });
            if (signal.aborted) throw timeoutError(registry, signal, err);
            throw new RegistryError("unreachable", `cannot reach registry ${registry}: ${describeError(err)}`, { cause: err });
        }
    }

    private async read(res: Response, max: number, what: string, ctx: { signal: AbortSignal }): Promise<Buffer> {
        try {
            return await readBounded(res, max, what);
        } catch (err) {
            if (err instanceof RegistryError) throw err;
            if (ctx.signal.aborted) throw timeoutError(what, ctx.signal, err);
            throw new RegistryError("unreachable", `${what}: connection failed while reading: ${describeError(err)}`, { cause: err });
        }
    }

    private async expectOk(res: Response, what: string): Promise<void> {
        if (res.status >= 200 && res.status < 300) return;
        await res.body?.cancel().catch(() => undefined);
        throw new RegistryError(res.status === 403 ? "unauthorized" : "status", `${what}: registry answered HTTP ${res.status}`, { status: res.status });
    }
}

function timeoutError(what: string, signal: AbortSignal, cause?: unknown): RegistryError {
    const reason = signal.reason instanceof Error ? `: ${signal.reason.message}` : "";
    return new RegistryError("timeout", `deadline passed while talking to ${what}${reason}`, { cause: cause ?? signal.reason });
}

/** Parses JSON that must be an object; throws `RegistryError("malformed")`. */
export function parseJsonObject(bytes: Buffer, what: string): Record<string, unknown> {
    let value: unknown;
    try {
        value = JSON.parse(bytes.toString("utf8"));
    } catch (err) {
        throw new RegistryError("malformed", `${what} is not valid JSON: ${describeError(err)}`, { cause: err });
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new RegistryError("malformed", `${what} is not a JSON object`);
    return value as Record<string, unknown>;
}
