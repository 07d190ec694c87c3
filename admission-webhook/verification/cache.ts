/**
 * The webhook's one cache abstraction: {@link BoundedCache}, a least-recently-used map with a
 * per-entry time to live and a hard entry bound, and {@link SingleFlightCache} on top of it for
 * verifications. Every cache of the webhook (verdicts, registry tokens, ECR tokens) is one of these,
 * so memory stays bounded whatever a caller sends.
 *
 * Verification policy: keys are `(policy version, repository, digest)` — the policy version hashes
 * the authorities and trust root, so editing a policy invalidates its entries. Positive results are
 * cached for `positiveTtlMs` (default 5 min); negative results (no/untrusted/mismatched signature)
 * for `negativeTtlMs` (default 10 s, so a pod flood of an unsigned image does not hammer the
 * registry while a newly signed image is admitted within seconds); registry errors and timeouts
 * are never cached. Concurrent requests for the same key share one verification.
 */

/** A bounded LRU map whose entries expire. */
export class BoundedCache<K, V> {
    private readonly entries = new Map<K, { value: V; expires: number }>();

    /** `maxEntries` ≥ 1; `now` is the clock (tests pass their own). */
    constructor(readonly maxEntries: number, private readonly now: () => number = Date.now) {
        if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`a cache needs at least 1 entry (got ${maxEntries})`);
    }

    /** The live value of `key` (and marks it recently used), or undefined. */
    get(key: K): V | undefined {
        const entry = this.entries.get(key);
        if (entry === undefined) return undefined;
        if (entry.expires <= this.now()) {
            this.entries.delete(key);
            return undefined;
        }
        this.entries.delete(key);
        this.entries.set(key, entry);
        return entry.value;
    }

    /** Stores `value` for `ttlMs` (≤ 0 stores nothing), evicting the least recently used entries past the bound. */
    set(key: K, value: V, ttlMs: number): void {
        this.entries.delete(key);
        if (ttlMs <= 0) return;
        this.entries.set(key, { value, expires: this.now() + ttlMs });
        while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as K);
    }

    delete(key: K): void {
        this.entries.delete(key);
    }

    /** Number of entries (expired ones may be counted until read or evicted). */
    get size(): number {
        return this.entries.size;
    }

    clear(): void {
        this.entries.clear();
    }
}

/** Verification cache tuning. */
export interface CacheOptions {
    /** How long a verified (allowed) result is reused. Default 300 000 ms. */
    readonly positiveTtlMs?: number;
    /** How long a negative verdict is reused; 0 disables. Default 10 000 ms. */
    readonly negativeTtlMs?: number;
    /** Most entries kept; the least recently used are evicted first. Default 10 000. */
    readonly maxEntries?: number;
    /** Clock, for tests. Default `Date.now`. */
    readonly now?: () => number;
}

/** How a computed value may be cached. */
export type Cacheability = "positive" | "negative" | "never";

/** A {@link BoundedCache} whose misses are computed once for all concurrent callers of a key. */
export class SingleFlightCache<V> {
    private readonly cache: BoundedCache<string, V>;
    private readonly flights = new Map<string, Promise<V>>();
    private readonly positiveTtl: number;
    private readonly negativeTtl: number;

    constructor(options: CacheOptions = {}) {
        this.positiveTtl = options.positiveTtlMs ?? 300_000;
        this.negativeTtl = options.negativeTtlMs ?? 10_000;
        this.cache = new BoundedCache(options.maxEntries ?? 10_000, options.now ?? Date.now);
    }

    /** A live cached value, or undefined. */
    get(key: string): V | undefined {
        return this.cache.get(key);
    }

    /** The flight computing `key`, if one is running. */
    inFlight(key: string): Promise<V> | undefined {
        return this.flights.get(key);
    }

    /**
     * Returns the cached value (`hit: true`) or runs `compute` once for all concurrent callers of
     * `key`. `classify` decides how the result may be cached. Rejections are shared and not cached.
     */
    async run(key: string, compute: () => Promise<V>, classify: (value: V) => Cacheability): Promise<{ value: V; hit: boolean; joined: boolean }> {
        const cached = this.cache.get(key);
        if (cached !== undefined) return { value: cached, hit: true, joined: false };
        const inFlight = this.flights.get(key);
        if (inFlight !== undefined) return { value: await inFlight, hit: false, joined: true };
        const flight = (async () => {
            try {
                const value = await compute();
                const kind = classify(value);
                this.cache.set(key, value, kind === "positive" ? this.positiveTtl : kind === "negative" ? this.negativeTtl : 0);
                return value;
            } finally {
                this.flights.delete(key);
            }
        })();
        this.flights.set(key, flight);
        return { value: await flight, hit: false, joined: false };
    }

    get size(): number {
        return this.cache.size;
    }

    clear(): void {
        this.cache.clear();
    }
}
