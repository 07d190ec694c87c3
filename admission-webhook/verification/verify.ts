/**
 * The admission decision (DP-2, DV-1, DV-3, P7, P8) in three steps, after sigstore-js and
 * policy-controller: a pure plan (`plan.ts`: which policies apply, which images fail before any
 * network call, which distinct verifications are needed), an I/O step (this file: each distinct
 * verification once, through the injected registry client, cached, and bounded by the
 * process-wide {@link FairLimiter} with one lane per request), and a pure verdict (`verdict.ts`).
 * Every error, timeout or abort denies (fail closed) with a stable code.
 */
import { SingleFlightCache, type CacheOptions } from "./cache";
import { checkImage, type ImageOutcome } from "./check";
import { describeError } from "./errors";
import { FairLimiter, type Lane } from "./limiter";
import { matchingPolicies, planDecision, policiesInScope, type VerificationJob } from "./plan";
import type { TrustPolicy } from "./policy/types";
import { RegistryClient, type RegistryClientOptions, type RegistryRequestEvent } from "./registry/client";
import { verdict, type JobResult } from "./verdict";
import type { AdmissionDecision, AdmissionSubject, ImageViolation, RegistryCredential, ViolationCode } from "./types";

/** Callbacks for metrics; all optional, none may throw (exceptions are swallowed). */
export interface VerifierHooks {
    /** A verification answered from the cache. */
    onCacheHit?(event: { readonly image: string; readonly policy: string }): void;
    /** A verification finished (not from the cache). `code` is undefined when the image verified. */
    onVerification?(event: { readonly image: string; readonly policy: string; readonly code?: ViolationCode; readonly durationMs: number; readonly joined: boolean }): void;
    /** A verification failed on registry I/O (`code` is the RegistryError code, or `timeout`). */
    onRegistryError?(event: { readonly image: string; readonly policy: string; readonly code: string; readonly message: string }): void;
    /** Every HTTP request to a registry or token service (only when the verifier makes its own client). */
    onRegistryRequest?(event: RegistryRequestEvent): void;
}

/**
 * Options of {@link ImageVerifier}. The server injects one `client`, `limiter` and `verdicts`
 * cache for the whole process (they outlive policy reloads); without them the verifier makes its
 * own from the registry options (the offline commands and tests).
 */
export interface ImageVerifierOptions extends Omit<RegistryClientOptions, "onRequest"> {
    readonly client?: RegistryClient;
    readonly limiter?: FairLimiter;
    readonly verdicts?: SingleFlightCache<ImageOutcome>;
    readonly cache?: CacheOptions;
    readonly hooks?: VerifierHooks;
}

/** Result of {@link ImageVerifier.verifyImage} (the CLI entry point). */
export interface ImageVerification {
    readonly image: string;
    /** Names of the policies that matched the image. */
    readonly policies: readonly string[];
    readonly allowed: boolean;
    readonly violations: readonly ImageViolation[];
    readonly warnings: readonly ImageViolation[];
}

interface Context {
    readonly signal: AbortSignal;
    readonly credentials: readonly RegistryCredential[];
    readonly lane: Lane;
}

export class ImageVerifier {
    readonly policy: TrustPolicy;
    private readonly client: RegistryClient;
    private readonly ownsClient: boolean;
    private readonly limiter: FairLimiter;
    private readonly cache: SingleFlightCache<ImageOutcome>;
    private readonly hooks: VerifierHooks;

    constructor(policy: TrustPolicy, options: ImageVerifierOptions = {}) {
        this.policy = policy;
        this.hooks = options.hooks ?? {};
        this.ownsClient = options.client === undefined;
        this.client = options.client ?? new RegistryClient({ ...options, onRequest: (e) => this.emit(() => this.hooks.onRegistryRequest?.(e)) });
        this.limiter = options.limiter ?? new FairLimiter();
        this.cache = options.verdicts ?? new SingleFlightCache(options.cache);
    }

    /** Decides an admission request. Never throws: unexpected errors deny with `policy-error`. */
    async decide(subject: AdmissionSubject, signal: AbortSignal): Promise<AdmissionDecision> {
        try {
            const inScope = policiesInScope(this.policy, subject.namespaceLabels);
            if (inScope.length === 0) return { allowed: true, violations: [], warnings: [], cacheHits: 0 };
            const plan = planDecision(inScope, this.policy.noMatch, subject.images);
            const results = await this.run(plan.jobs.values(), { signal, credentials: subject.credentials, lane: this.limiter.lane(signal) });
            return verdict(plan, results);
        } catch (err) {
            const violations = subject.images.map((i) => ({ path: i.path, image: i.image, code: "policy-error" as const, message: `the trust policy could not be applied: ${describeError(err)}; the image is denied (fail closed)` }));
            return { allowed: false, violations, warnings: [], cacheHits: 0 };
        }
    }

    /** Verifies one image as if it were deployed in a namespace with `namespaceLabels` (default: every policy applies). */
    async verifyImage(image: string, options: { signal: AbortSignal; credentials?: readonly RegistryCredential[]; namespaceLabels?: Readonly<Record<string, string>> }): Promise<ImageVerification> {
        const labels = options.namespaceLabels;
        const policies = labels === undefined ? this.policy.policies : policiesInScope(this.policy, labels);
        const plan = planDecision(policies, this.policy.noMatch, [{ path: "image", image }]);
        const results = await this.run(plan.jobs.values(), { signal: options.signal, credentials: options.credentials ?? [], lane: this.limiter.lane(options.signal) });
        const decision = verdict(plan, results);
        return { image, policies: matchingPolicies(policies, image), allowed: decision.allowed, violations: decision.violations, warnings: decision.warnings };
    }

    /** Releases the registry client's connections when the verifier made the client. */
    async close(): Promise<void> {
        if (this.ownsClient) await this.client.close();
    }

    /**
     * The I/O step: every distinct job once; cache hits and joins take no limiter slot. Ends when
     * every job ended or the deadline passed (one abort listener for the whole request): jobs still
     * waiting or running then count as timeouts.
     */
    private async run(jobs: Iterable<VerificationJob>, ctx: Context): Promise<Map<string, JobResult>> {
        const list = [...jobs];
        const results = new Map<string, JobResult>();
        const all = Promise.all(list.map(async (job) => results.set(job.key, await this.verifyJob(job, ctx))));
        await raceSignal(all, ctx.signal).catch(() => undefined);
        for (const job of list) if (!results.has(job.key)) results.set(job.key, { outcome: timedOut(job), hit: false });
        return results;
    }

    private async verifyJob(job: VerificationJob, ctx: Context): Promise<JobResult> {
        const image = `${job.ref.name}@${job.ref.digest}`;
        const started = Date.now();
        const cached = this.cache.get(job.key);
        if (cached !== undefined) {
            this.emit(() => this.hooks.onCacheHit?.({ image, policy: job.policy.name }));
            return { outcome: cached, hit: true };
        }
        try {
            const compute = () => checkImage(this.client, job.policy, job.ref, ctx);
            const classify = (o: ImageOutcome) => (o.ok ? "positive" : o.registryErrorCode !== undefined ? "never" : "negative");
            const { value, hit, joined } = await (this.cache.inFlight(job.key) !== undefined
                ? this.cache.run(job.key, compute, classify)
                : ctx.lane.run(() => this.cache.run(job.key, compute, classify)));
            if (hit) {
                this.emit(() => this.hooks.onCacheHit?.({ image, policy: job.policy.name }));
            } else {
                this.emit(() => this.hooks.onVerification?.({ image, policy: job.policy.name, ...(value.ok ? {} : { code: value.code }), durationMs: Date.now() - started, joined }));
                if (!value.ok && value.registryErrorCode !== undefined) {
                    this.emit(() => this.hooks.onRegistryError?.({ image, policy: job.policy.name, code: value.registryErrorCode!, message: value.message }));
                }
            }
            return { outcome: value, hit };
        } catch (err) {
            const outcome: ImageOutcome = ctx.signal.aborted
                ? timedOut(job)
                : { ok: false, code: "registry-error", message: `${image}: verification failed: ${describeError(err)}; the image is denied (fail closed)`, registryErrorCode: "unexpected" };
            this.emit(() => this.hooks.onRegistryError?.({ image, policy: job.policy.name, code: outcome.ok ? "" : outcome.registryErrorCode!, message: outcome.ok ? "" : outcome.message }));
            return { outcome, hit: false };
        }
    }

    private emit(call: () => void): void {
        try {
            call();
        } catch {
            // Hooks are for metrics; a failing hook must not change a decision.
        }
    }
}

function timedOut(job: VerificationJob): ImageOutcome {
    return { ok: false, code: "timeout", message: `${job.ref.name}@${job.ref.digest}: the verification deadline passed; the image is denied (fail closed)`, registryErrorCode: "timeout" };
}

/** Rejects as soon as `signal` aborts, even if `promise` (e.g. a joined single-flight) is still running. */
function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
    if (signal.aborted) return Promise.reject(signal.reason ?? new Error("aborted"));
    return new Promise<T>((resolve, reject) => {
        const onAbort = () => reject(signal.reason ?? new Error("aborted"));
        signal.addEventListener("abort", onAbort, { once: true });
        promise.then(
            (v) => { signal.removeEventListener("abort", onAbort); resolve(v); },
            (e) => { signal.removeEventListener("abort", onAbort); reject(e); },
        );
    });
}
