/**
 * Amazon ECR pull credentials from the webhook's own AWS identity (DP-2, DV-1 / P7), the way
 * sigstore/policy-controller and kyverno read ECR (amazon-ecr-credential-helper): on EKS, pods pull
 * from ECR through the node's IAM role and carry no imagePullSecrets, so the webhook asks the ECR
 * API for a registry password itself (`GetAuthorizationToken`, AWS SDK v3, default credential
 * chain: EKS Pod Identity, IRSA web identity, environment, shared files).
 *
 * - Only hosts the matcher recognises get ECR credentials: by default the anchored pattern
 *   `<12-digit account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]` ({@link parseEcrHost});
 *   explicit pull-secret credentials for the host always win (the caller asks only without them).
 * - A token (base64 `AWS:<password>`, valid 12 h) is cached per registry (account, region, FIPS)
 *   until {@link DEFAULT_REFRESH_MARGIN_MS} before its `expiresAt`; concurrent callers share one API
 *   call. If a refresh fails while the cached token is still valid, the cached token is used; a
 *   failure is reused for `failureCacheMs` (1 s) so a flood of pods is not a flood of API calls.
 * - Each caller is bounded by its own AbortSignal (the admission deadline); the shared API call is
 *   bounded by `apiTimeoutMs`. Every failure is a {@link RegistryError} whose message names the
 *   fix, so the image is denied (fail closed) with a `registry-error` or `timeout` violation.
 */
import type { ECRClient } from "@aws-sdk/client-ecr";
import { describeError, RegistryError } from "../errors";
import { normaliseRegistryHost } from "../../../common/image-reference";
import type { RegistryCredential } from "../types";
import { BoundedCache } from "../cache";

/** An ECR private registry: the account that owns it and its region. */
export interface EcrRegistry {
    /** 12-digit AWS account ID. */
    readonly account: string;
    /** AWS region, e.g. `eu-west-2`. */
    readonly region: string;
    /** The registry is reached through the FIPS endpoint (`dkr.ecr-fips`); the API call uses FIPS too. */
    readonly fips: boolean;
}

/** Maps a normalised registry host to the ECR registry it is, or undefined when it is not one. */
export type EcrHostMatcher = (host: string) => EcrRegistry | undefined;

/** `auto`: ECR credentials for ECR hosts without pull-secret credentials. `off`: never call the ECR API. */
export type EcrCredentialsMode = "auto" | "off";

/** Refresh a token this long before its `expiresAt`. */
export const DEFAULT_REFRESH_MARGIN_MS = 3_600_000;
/** When the API gives no usable `expiresAt`, reuse the token this long. */
const UNKNOWN_EXPIRY_TTL_MS = 300_000;
/** A cached token is used after a failed refresh only while it has at least this long left. */
const STALE_SAFETY_MS = 60_000;
/** Most registries whose tokens are kept (oldest dropped first). */
const MAX_CACHED_REGISTRIES = 100;

const ECR_HOST = /^(\d{12})\.dkr\.ecr(-fips)?\.([a-z]{2,4}(?:-[a-z]+)+-\d{1,2})\.amazonaws\.com(\.cn)?$/;

/**
 * The production matcher: the anchored ECR private-registry host pattern (no port, no trailing
 * dot, no look-alike suffixes such as `…amazonaws.com.evil.com`). Input is normalised first
 * (scheme and path dropped, lower-cased).
 */
export function parseEcrHost(host: string): EcrRegistry | undefined {
    const m = ECR_HOST.exec(normaliseRegistryHost(host));
    if (m === null) return undefined;
    const region = m[3]!;
    // China regions live under amazonaws.com.cn, every other region under amazonaws.com.
    if ((m[4] !== undefined) !== region.startsWith("cn-")) return undefined;
    return { account: m[1]!, region, fips: m[2] !== undefined };
}

/** What to do after a GetAuthorizationToken call (for logs and metrics). */
export interface EcrTokenEvent {
    readonly registry: string;
    readonly account: string;
    readonly region: string;
    readonly ok: boolean;
    readonly durationMs: number;
    /** When the new token expires (success only). */
    readonly expiresAt?: Date;
    /** Why the call failed (failure only). */
    readonly error?: string;
}

/** Options of {@link EcrCredentialSource}. */
export interface EcrCredentialOptions {
    /** Default `auto`. */
    readonly mode?: EcrCredentialsMode;
    /**
     * ECR API endpoint override (a VPC interface endpoint without private DNS, or a test server):
     * https, or plain http to a loopback address. Default: the SDK's regional endpoint
     * (`api.ecr[-fips].<region>.amazonaws.com`).
     */
    readonly endpoint?: string;
    /**
     * Which hosts are ECR registries. Default {@link parseEcrHost}. Replace it only for tests, or
     * to map a private DNS alias of an ECR registry to its account and region.
     */
    readonly matchHost?: EcrHostMatcher;
    /** Refresh tokens this long before `expiresAt`. Default {@link DEFAULT_REFRESH_MARGIN_MS} (1 h). */
    readonly refreshMarginMs?: number;
    /** Bound of one shared GetAuthorizationToken call (retries included); while a call hangs, callers wait for it up to their own deadline. Default 5000 ms. */
    readonly apiTimeoutMs?: number;
    /** SDK attempts per call. Default 2. */
    readonly maxAttempts?: number;
    /**
     * A failed API call is reused for callers in the next this-many ms (one decision makes several
     * registry requests; a pod flood must not become an API flood). Default 1000 ms; 0 disables.
     */
    readonly failureCacheMs?: number;
    /** Clock used for token expiry and the failure cache, for tests. Default `Date.now`. */
    readonly now?: () => number;
    /** Called after every GetAuthorizationToken call; must not throw (exceptions are swallowed). */
    readonly onTokenFetch?: (event: EcrTokenEvent) => void;
}

interface CachedToken {
    readonly username: string;
    readonly password: string;
    readonly refreshAt: number;
    readonly expiresAt: number;
}

/** The IAM fix named in every ECR credential failure. */
export function ecrAccessHint(host: string): string {
    return `grant ecr:GetAuthorizationToken (Resource "*") and ecr:BatchGetImage, ecr:GetDownloadUrlForLayer on the model repositories to the webhook's IAM role (EKS Pod Identity association or IRSA annotation on its service account), or add an imagePullSecret for ${host}`;
}

/** Validates an `endpoint` option: https, or http to loopback. Throws `RegistryError("insecure")`. */
export function validateEcrEndpoint(endpoint: string): URL {
    let url: URL;
    try {
        url = new URL(endpoint);
    } catch {
        throw new RegistryError("insecure", `ECR endpoint ${JSON.stringify(endpoint)} is not a URL; use e.g. https://api.ecr.eu-west-2.amazonaws.com or your VPC endpoint's https URL`);
    }
    const loopback = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])$/.test(url.hostname);
    if (url.protocol === "https:" || (url.protocol === "http:" && loopback)) return url;
    throw new RegistryError("insecure", `ECR endpoint ${url.origin} must use https (plain http only to 127.0.0.1, localhost or [::1]): AWS credentials and registry passwords must not cross the network in clear text`);
}

/**
 * Registry credentials from Amazon ECR for the webhook's AWS identity. One instance serves the
 * whole process (it outlives policy reloads); {@link close} releases its SDK clients.
 */
export class EcrCredentialSource {
    readonly mode: EcrCredentialsMode;
    private readonly endpoint?: string;
    private readonly matchHost: EcrHostMatcher;
    private readonly refreshMargin: number;
    private readonly apiTimeoutMs: number;
    private readonly maxAttempts: number;
    private readonly now: () => number;
    private readonly onTokenFetch?: (event: EcrTokenEvent) => void;
    private readonly failureCacheMs: number;
    private readonly tokens: BoundedCache<string, CachedToken>;
    private readonly failures: BoundedCache<string, RegistryError>;
    private readonly flights = new Map<string, Promise<CachedToken>>();
    private readonly clients = new Map<string, Promise<ECRClient>>();

    constructor(options: EcrCredentialOptions = {}) {
        this.mode = options.mode ?? "auto";
        if (this.mode !== "auto" && this.mode !== "off") throw new Error(`ECR credentials mode must be "auto" or "off"; got ${JSON.stringify(this.mode)}`);
        if (options.endpoint !== undefined) this.endpoint = validateEcrEndpoint(options.endpoint).toString();
        this.matchHost = options.matchHost ?? parseEcrHost;
        this.refreshMargin = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
        this.apiTimeoutMs = options.apiTimeoutMs ?? 5_000;
        this.maxAttempts = options.maxAttempts ?? 2;
        this.failureCacheMs = options.failureCacheMs ?? 1000;
        this.now = options.now ?? Date.now;
        this.onTokenFetch = options.onTokenFetch;
        this.tokens = new BoundedCache(MAX_CACHED_REGISTRIES, this.now);
        this.failures = new BoundedCache(MAX_CACHED_REGISTRIES, this.now);
    }

    /** The ECR registry `registry` is, when this source would give it credentials (mode `auto`). */
    matches(registry: string): EcrRegistry | undefined {
        return this.mode === "auto" ? this.matchHost(normaliseRegistryHost(registry)) : undefined;
    }

    /** Whether `registry` is an ECR host (whatever the mode), for error hints. */
    isEcrHost(registry: string): boolean {
        return this.matchHost(normaliseRegistryHost(registry)) !== undefined;
    }

    /**
     * `AWS:<password>` credentials for an ECR host; undefined for other hosts or in mode `off`.
     * Rejects with `RegistryError` (`unauthorized`, `unreachable`, `status`, `malformed`, `timeout`)
     * naming the fix; rejects as soon as `signal` aborts.
     */
    async credentialFor(registry: string, signal: AbortSignal): Promise<RegistryCredential | undefined> {
        const host = normaliseRegistryHost(registry);
        const target = this.matches(host);
        if (target === undefined) return undefined;
        const key = `${target.account}|${target.region}|${target.fips ? "fips" : ""}`;
        const now = this.now();
        const cached = this.tokens.get(key);
        if (cached !== undefined && now < cached.refreshAt) return { registry: host, username: cached.username, password: cached.password };
        const failed = this.failures.get(key);
        let flight = this.flights.get(key);
        if (failed !== undefined) {
            flight = Promise.reject(failed);
            flight.catch(() => undefined);
        } else if (flight === undefined) {
            flight = this.fetchToken(host, target).then((token) => {
                this.failures.delete(key);
                this.remember(key, token);
                return token;
            }, (err: unknown) => {
                if (err instanceof RegistryError) this.failures.set(key, err, this.failureCacheMs);
                throw err;
            }).finally(() => this.flights.delete(key));
            this.flights.set(key, flight);
            // Callers that gave up (deadline) no longer listen; the flight's outcome is still handled.
            flight.catch(() => undefined);
        }
        try {
            const token = await raceSignal(flight, signal, host);
            return { registry: host, username: token.username, password: token.password };
        } catch (err) {
            // A failed refresh does not throw away a token that is still valid.
            const stale = this.tokens.get(key);
            if (!signal.aborted && stale !== undefined && this.now() < stale.expiresAt - STALE_SAFETY_MS) {
                return { registry: host, username: stale.username, password: stale.password };
            }
            throw err;
        }
    }

    /** Drops every cached token (the next request calls the API again). */
    clear(): void {
        this.tokens.clear();
        this.failures.clear();
    }

    /** Releases the SDK clients. */
    async close(): Promise<void> {
        const clients = [...this.clients.values()];
        this.clients.clear();
        for (const c of clients) (await c.catch(() => undefined))?.destroy();
    }

    private remember(key: string, token: CachedToken): void {
        this.tokens.set(key, token, token.expiresAt - this.now());
    }

    private client(target: EcrRegistry): Promise<ECRClient> {
        const key = `${target.region}|${target.fips}`;
        let client = this.clients.get(key);
        if (client === undefined) {
            client = import("@aws-sdk/client-ecr").then(({ ECRClient }) => new ECRClient({
                region: target.region,
                useFipsEndpoint: target.fips,
                maxAttempts: this.maxAttempts,
                ...(this.endpoint !== undefined ? { endpoint: this.endpoint } : {}),
            }));
            // A failed SDK load is retried on the next call, not remembered.
            client.catch(() => this.clients.delete(key));
            this.clients.set(key, client);
        }
        return client;
    }

    private async fetchToken(host: string, target: EcrRegistry): Promise<CachedToken> {
        const started = Date.now();
        const timeout = AbortSignal.timeout(this.apiTimeoutMs);
        const report = (event: Omit<EcrTokenEvent, "registry" | "account" | "region" | "durationMs">) => {
            try {
                this.onTokenFetch?.({ registry: host, account: target.account, region: target.region, durationMs: Date.now() - started, ...event });
            } catch {
                // Hooks are for logs and metrics; they cannot change the outcome.
            }
        };
        try {
            const client = await this.client(target);
            const { GetAuthorizationTokenCommand } = await import("@aws-sdk/client-ecr");
            const out = await client.send(new GetAuthorizationTokenCommand({}), { abortSignal: timeout });
            const token = this.parseToken(host, target, out.authorizationData?.[0]);
            report({ ok: true, expiresAt: new Date(token.expiresAt) });
            return token;
        } catch (err) {
            const failure = err instanceof RegistryError ? err : translateSdkError(err, host, target, timeout.aborted ? this.apiTimeoutMs : undefined);
            report({ ok: false, error: failure.message });
            throw failure;
        }
    }

    private parseToken(host: string, target: EcrRegistry, data: { authorizationToken?: string; expiresAt?: Date } | undefined): CachedToken {
        const what = `the Amazon ECR API's GetAuthorizationToken answer for ${host}`;
        if (data === undefined || typeof data.authorizationToken !== "string" || data.authorizationToken === "") {
            throw new RegistryError("malformed", `${what} has no authorizationData[0].authorizationToken (account ${target.account}, ${target.region})`);
        }
        const decoded = Buffer.from(data.authorizationToken, "base64").toString("utf8");
        const colon = decoded.indexOf(":");
        if (colon <= 0 || colon === decoded.length - 1) throw new RegistryError("malformed", `${what}: the authorization token is not base64 "<user>:<password>"`);
        const now = this.now();
        const expires = data.expiresAt instanceof Date && !Number.isNaN(data.expiresAt.getTime()) ? data.expiresAt.getTime() : undefined;
        if (expires !== undefined && expires <= now) throw new RegistryError("malformed", `${what}: the token expired at ${new Date(expires).toISOString()} already; check the clock of the webhook's node`);
        const expiresAt = expires ?? now + UNKNOWN_EXPIRY_TTL_MS;
        // A token shorter-lived than the margin is used, and refreshed halfway through its life.
        const refreshAt = expires !== undefined && expires - this.refreshMargin > now ? expires - this.refreshMargin : now + (expiresAt - now) / 2;
        return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), refreshAt, expiresAt };
    }
}

/** AWS error names that mean "this identity may not do this" or "this identity is not valid". */
const AUTH_ERRORS: ReadonlySet<string> = new Set([
    "AccessDeniedException", "AccessDenied", "UnrecognizedClientException", "InvalidSignatureException", "SignatureDoesNotMatch",
    "IncompleteSignature", "InvalidClientTokenId", "ExpiredTokenException", "ExpiredToken", "MissingAuthenticationTokenException",
]);

/** Classifies an AWS SDK failure; the message names the error and the fix, never a credential. */
function translateSdkError(err: unknown, host: string, target: EcrRegistry, timedOutAfterMs: number | undefined): RegistryError {
    const where = `Amazon ECR credentials for ${host} (account ${target.account}, ${target.region})`;
    if (timedOutAfterMs !== undefined) {
        return new RegistryError("timeout", `cannot get ${where}: the ECR API did not answer within ${timedOutAfterMs} ms; check the network path to the ECR API (VPC endpoint com.amazonaws.${target.region}.ecr.api) or ${ecrAccessHint(host)}`, { cause: err });
    }
    const e = (typeof err === "object" && err !== null ? err : {}) as { name?: string; $metadata?: { httpStatusCode?: number } };
    const name = typeof e.name === "string" ? e.name : "Error";
    const status = e.$metadata?.httpStatusCode;
    if (name === "CredentialsProviderError" || /could not load credentials/i.test(describeError(err))) {
        return new RegistryError("unauthorized", `cannot get ${where}: the webhook has no AWS credentials (${describeError(err)}); give its service account an AWS identity (EKS Pod Identity association, or IRSA role annotation) and ${ecrAccessHint(host)}`, { cause: err });
    }
    if (status === 401 || status === 403 || AUTH_ERRORS.has(name)) {
        return new RegistryError("unauthorized", `cannot get ${where}: ${name}: ${describeError(err)}; ${ecrAccessHint(host)}`, { cause: err, status });
    }
    if (status !== undefined) {
        return new RegistryError("status", `cannot get ${where}: the ECR API answered HTTP ${status} (${name}: ${describeError(err)}); retry later, or ${ecrAccessHint(host)}`, { cause: err, status });
    }
    return new RegistryError("unreachable", `cannot get ${where}: cannot reach the ECR API (${name}: ${describeError(err)}); check the network path to the ECR API (VPC endpoint com.amazonaws.${target.region}.ecr.api), or add an imagePullSecret for ${host}`, { cause: err });
}

/** Rejects with `RegistryError("timeout")` as soon as `signal` aborts, even if `promise` is still running. */
function raceSignal<T>(promise: Promise<T>, signal: AbortSignal, host: string): Promise<T> {
    const timeout = () => new RegistryError("timeout", `deadline passed while getting Amazon ECR credentials for ${host}`, { cause: signal.reason });
    if (signal.aborted) return Promise.reject(timeout());
    return new Promise<T>((resolve, reject) => {
        const onAbort = () => reject(timeout());
        signal.addEventListener("abort", onAbort, { once: true });
        promise.then(
            (v) => { signal.removeEventListener("abort", onAbort); resolve(v); },
            (e: unknown) => { signal.removeEventListener("abort", onAbort); reject(e); },
        );
    });
}
