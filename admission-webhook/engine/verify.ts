/**
 * The admission decision (DP-2, DV-1, DV-3, P7, P8): which policies apply to the namespace, which
 * of them match each image, whether each image is pinned, and whether each distinct pinned image
 * carries a trusted signature that names it. Policies are matched before any network call; each
 * distinct (policy, repository, digest) is verified once per request and cached across requests
 * (see `cache.ts`). Every error, timeout or abort denies (fail closed) with a stable code.
 *
 * Rules, in order, for each image of an in-scope namespace:
 * 1. Unparseable → `invalid-reference` (enforce unless every in-scope policy is `warn`).
 * 2. Every in-scope policy whose `images` globs match the image applies; the image must satisfy
 *    each of them (violations of `warn` policies become warnings).
 * 3. No in-scope policy matches → `noMatch`: `deny` → `image-not-allowed`; `allow` → admitted.
 * 4. No digest → `not-pinned` with the pinned-form hint. A tag+digest reference is verified and
 *    admitted by its digest; the tag is not resolved (runtimes pull by the digest).
 * A namespace that no policy's `namespaceSelector` selects is out of scope: admitted, no checks.
 */
import { SingleFlightCache, type CacheOptions } from "./cache";
import { checkImage, type ImageOutcome } from "./check";
import { describeError } from "./errors";
import { matchGlob } from "./policy/image-glob";
import type { CompiledPolicy, TrustPolicy } from "./policy/types";
import { parseReference, pinnedFormHint, type ImageReference } from "../../common/image-reference";
import { RegistryClient, type RegistryClientOptions, type RegistryRequestEvent } from "./registry/client";
import { selectorMatches } from "../../common/label-selector";
import type { AdmissionDecision, AdmissionSubject, ImageViolation, RegistryCredential, ViolationCode } from "./types";

/** Callbacks for metrics and logs; all optional, none may throw (exceptions are swallowed). */
export interface VerifierHooks {
    /** A verification answered from the cache. */
    onCacheHit?(event: { readonly image: string; readonly policy: string }): void;
    /** A verification finished (not from the cache). `code` is undefined when the image verified. */
    onVerification?(event: { readonly image: string; readonly policy: string; readonly code?: ViolationCode; readonly durationMs: number; readonly joined: boolean }): void;
    /** A verification failed on registry I/O (`code` is the RegistryError code, or `timeout`). */
    onRegistryError?(event: { readonly image: string; readonly policy: string; readonly code: string; readonly message: string }): void;
    /** Every HTTP request to a registry or token service. */
    onRegistryRequest?(event: RegistryRequestEvent): void;
}

/** Options of {@link ImageVerifier}; registry options are passed to its {@link RegistryClient}. */
export interface ImageVerifierOptions extends Omit<RegistryClientOptions, "onRequest"> {
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

interface Job { readonly policy: CompiledPolicy; readonly ref: ImageReference; readonly key: string }

export class ImageVerifier {
    readonly policy: TrustPolicy;
    private readonly client: RegistryClient;
    private readonly cache: SingleFlightCache<ImageOutcome>;
    private readonly hooks: VerifierHooks;

    constructor(policy: TrustPolicy, options: ImageVerifierOptions = {}) {
        this.policy = policy;
        this.hooks = options.hooks ?? {};
        this.client = new RegistryClient({ ...options, onRequest: (e) => this.emit(() => this.hooks.onRegistryRequest?.(e)) });
        this.cache = new SingleFlightCache(options.cache);
    }

    /** Decides an admission request. Never throws: unexpected errors deny with `policy-error`. */
    async decide(subject: AdmissionSubject, signal: AbortSignal): Promise<AdmissionDecision> {
        try {
            return await this.decideUnsafe(subject, signal);
        } catch (err) {
            const violations = subject.images.map((i) => ({ path: i.path, image: i.image, code: "policy-error" as const, message: `the trust policy could not be applied: ${describeError(err)}; the image is denied (fail closed)` }));
            return { allowed: false, violations, warnings: [], cacheHits: 0 };
        }
    }

    /** Verifies one image as if it were deployed in a namespace with `namespaceLabels` (default: every policy applies). */
    async verifyImage(image: string, options: { signal: AbortSignal; credentials?: readonly RegistryCredential[]; namespaceLabels?: Readonly<Record<string, string>> }): Promise<ImageVerification> {
        const labels = options.namespaceLabels;
        const policies = labels === undefined ? this.policy.policies : this.policy.policies.filter((p) => selectorMatches(p.namespaceSelector, labels) === true);
        const ref = tryParse(image);
        const decision = await this.decideFor(policies, { namespace: "", namespaceLabels: labels ?? {}, images: [{ path: "image", image }], credentials: options.credentials ?? [] }, options.signal);
        const matched = ref === undefined ? [] : policies.filter((p) => p.images.some((g) => matchGlob(g, ref.name))).map((p) => p.name);
        return { image, policies: matched, allowed: decision.allowed, violations: decision.violations, warnings: decision.warnings };
    }

    /** Releases the registry client's connections. */
    async close(): Promise<void> {
        await this.client.close();
    }

    private decideUnsafe(subject: AdmissionSubject, signal: AbortSignal): Promise<AdmissionDecision> {
        const inScope = this.policy.policies.filter((p) => selectorMatches(p.namespaceSelector, subject.namespaceLabels) === true);
        if (inScope.length === 0) return Promise.resolve({ allowed: true, violations: [], warnings: [], cacheHits: 0 });
        return this.decideFor(inScope, subject, signal);
    }

    private async decideFor(inScope: readonly CompiledPolicy[], subject: AdmissionSubject, signal: AbortSignal): Promise<AdmissionDecision> {
        const violations: ImageViolation[] = [];
        const warnings: ImageViolation[] = [];
        const jobs = new Map<string, Job>();
        const pending: { path: string; image: string; job: Job }[] = [];
        const allWarn = inScope.every((p) => p.mode === "warn");
        for (const { path, image } of subject.images) {
            let ref: ImageReference;
            try {
                ref = parseReference(image);
            } catch (err) {
                (allWarn ? warnings : violations).push({ path, image, code: "invalid-reference", message: `${describeError(err)}` });
                continue;
            }
            const matching = inScope.filter((p) => p.images.some((g) => matchGlob(g, ref.name)));
            if (matching.length === 0) {
                if (this.policy.noMatch === "deny") {
                    violations.push({ path, image, code: "image-not-allowed", message: `${ref.name} matches no image pattern of the trust policies [${inScope.map((p) => p.name).join(", ")}] for this namespace; use an image from an allowed registry/repository (noMatch: deny)` });
                }
                continue;
            }
            for (const policy of matching) {
                const sink = policy.mode === "enforce" ? violations : warnings;
                if (!ref.pinned) {
                    sink.push({ path, image, code: "not-pinned", message: `${image} is not pinned by digest (tags can move; policy ${policy.name}): ${pinnedFormHint(ref)}` });
                    continue;
                }
                const key = `${policy.version}|${ref.name}@${ref.digest}`;
                const job = jobs.get(key) ?? { policy, ref, key };
                jobs.set(key, job);
                pending.push({ path, image, job });
            }
        }
        const ctx = { signal, credentials: subject.credentials };
        const outcomes = new Map<string, { outcome: ImageOutcome; hit: boolean }>();
        await Promise.all([...jobs.values()].map(async (job) => outcomes.set(job.key, await this.verifyJob(job, ctx))));
        for (const { path, image, job } of pending) {
            const { outcome } = outcomes.get(job.key)!;
            if (outcome.ok) continue;
            (job.policy.mode === "enforce" ? violations : warnings).push({ path, image, code: outcome.code, message: `policy ${job.policy.name}: ${outcome.message}` });
        }
        const cacheHits = [...outcomes.values()].filter((o) => o.hit).length;
        return { allowed: violations.length === 0, violations, warnings, policy: inScope.map((p) => p.name).join(","), cacheHits };
    }

    private async verifyJob(job: Job, ctx: { signal: AbortSignal; credentials: readonly RegistryCredential[] }): Promise<{ outcome: ImageOutcome; hit: boolean }> {
        const image = `${job.ref.name}@${job.ref.digest}`;
        const started = Date.now();
        try {
            const { value, hit, joined } = await raceSignal(
                this.cache.run(job.key, () => checkImage(this.client, job.policy, job.ref, ctx), (o) => (o.ok ? "positive" : o.registryErrorCode !== undefined ? "never" : "negative")),
                ctx.signal,
            );
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
            const timedOut = ctx.signal.aborted;
            const outcome: ImageOutcome = timedOut
                ? { ok: false, code: "timeout", message: `${image}: the verification deadline passed; the image is denied (fail closed)`, registryErrorCode: "timeout" }
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

function tryParse(image: string): ImageReference | undefined {
    try {
        return parseReference(image);
    } catch {
        return undefined;
    }
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
