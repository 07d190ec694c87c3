/**
 * Verification cache with single-flight. Keys are `(policy version, repository, digest)`: the
 * policy version hashes the authorities and trust root, so editing a policy invalidates its
 * entries. Policy: positive results are cached for `positiveTtlMs` (default 5 min); negative
 * results (no/untrusted/mismatched signature) for `negativeTtlMs` (default 10 s, so a pod flood
 * of an unsigned image does not hammer the registry while a newly signed image is admitted within
 * seconds); registry errors and timeouts are never cached. Concurrent requests for the same key
 * share one verification: joiners wait for it, each bounded by its own deadline.
 */

/** Cache tuning. */
export interface CacheOptions {
    /** How long a verified (allowed) result is reused. Default 300 000 ms. */
    readonly positiveTtlMs?: number;
    /** How long a negative verdict is reused; 0 disables. Default 10 000 ms. */
    readonly negativeTtlMs?: number;
    /** Most entries kept; the oldest are evicted first. Default 10 000. */
    readonly maxEntries?: number;
    /** Clock, for tests. Default `Date.now`. */
    readonly now?: () => number;
}

/** How a computed value may be cached. */
export type Cacheability = "positive" | "negative" | "never";

export class SingleFlightCache<V> {
    private readonly entries = new Map<string, { value: V; expires: number }>();
    private readonly flights = new Map<string, Promise<V>>();
    private readonly positiveTtl: number;
    private readonly negativeTtl: number;
    private readonly maxEntries: number;
    private readonly now: () => number;

    constructor(options: CacheOptions = {}) {
        this.positiveTtl = options.positiveTtlMs ?? 300_000;
        this.negativeTtl = options.negativeTtlMs ?? 10_000;
        this.maxEntries = options.maxEntries ?? 10_000;
        this.now = options.now ?? Date.now;
    }

    /** A live cached value, or undefined. */
    get(key: string): V | undefined {
        const entry = this.entries.get(key);
        if (entry === undefined) return undefined;
        if (entry.expires <= this.now()) {
            this.entries.delete(key);
            return undefined;
        }
        return entry.value;
    }

    /**
     * Returns the cached value (`hit: true`) or runs `compute` once for all concurrent callers of
     * `key`. `classify` decides how the result may be cached. Rejections are shared and not cached.
     */
    async run(key: string, compute: () => Promise<V>, classify: (value: V) => Cacheability): Promise<{ value: V; hit: boolean; joined: boolean }> {
        const cached = this.get(key);
        if (cached !== undefined) return { value: cached, hit: true, joined: false };
        const inFlight = this.flights.get(key);
        if (inFlight !== undefined) return { value: await inFlight, hit: false, joined: true };
        const flight = (async () => {
            try {
                const value = await compute();
                const kind = classify(value);
                const ttl = kind === "positive" ? this.positiveTtl : kind === "negative" ? this.negativeTtl : 0;
                if (ttl > 0) this.store(key, value, ttl);
                return value;
            } finally {
                this.flights.delete(key);
            }
        })();
        this.flights.set(key, flight);
        return { value: await flight, hit: false, joined: false };
    }

    /** Number of live entries (expired ones may still be counted until read). */
    get size(): number {
        return this.entries.size;
    }

    /** Drops every entry. */
    clear(): void {
        this.entries.clear();
    }

    private store(key: string, value: V, ttl: number): void {
        this.entries.delete(key);
        this.entries.set(key, { value, expires: this.now() + ttl });
        while (this.entries.size > this.maxEntries) {
            const oldest = this.entries.keys().next().value as string;
            this.entries.delete(oldest);
        }
    }
}
