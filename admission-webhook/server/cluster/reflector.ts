/**
 * A list + watch of one cluster-wide resource kept as a small projection in memory (a reflector,
 * as client-go calls it): only the fields a decision needs are stored (namespace labels; a service
 * account's pull-secret names), never the objects, so memory is a few hundred bytes per object.
 *
 * `@kubernetes/client-node`'s `makeInformer` / `ListWatch` keep every full object (managedFields,
 * annotations, ...) in their cache, so this uses its `Watch` directly with a paginated list: list
 * (pages of {@link PAGE_SIZE}) → watch from the list's resourceVersion with bookmarks → on `410
 * Gone` relist; on any other failure retry the watch after a capped backoff. The watch connection
 * goes through the same pooled dispatcher as every other API call.
 *
 * {@link Reflector.lookup} says whether the projection may be trusted: only after the first list
 * completed, and while the watch is connected or has been down for at most `staleAfterMs`. Callers
 * read the API directly otherwise (see `kube.ts`), so a stale view is never used to decide.
 */
import { Watch, type ConfigurationOptions, type KubeConfig } from "@kubernetes/client-node";
import { apiCall, statusError } from "./api-call";
import { describeError } from "../../../common/errors";

/** Objects per list page. */
export const PAGE_SIZE = 500;

/**
 * Server-side timeout of each watch. client-node's `Watch` aborts a watch silent for 30 s (a hung
 * connection); ending each watch at 25 s keeps a quiet but healthy watch from counting as broken.
 */
export const WATCH_TIMEOUT_SECONDS = 25;

/** The metadata a reflector reads from every object. */
export interface ObjectMeta {
    readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly resourceVersion?: string };
}

/** One page of a list call. */
export interface ListPage {
    readonly items: readonly ObjectMeta[];
    readonly metadata?: { readonly resourceVersion?: string; readonly _continue?: string };
}

export type WatchState = "synced" | "error";

/** A change of a reflector's state, for logs and metrics. */
export interface WatchEvent {
    readonly resource: string;
    readonly state: WatchState;
    /** Objects held (after `synced`). */
    readonly objects?: number;
    /** What failed and how to fix it (for `error`). */
    readonly error?: string;
}

export interface ReflectorOptions<V> {
    readonly kc: KubeConfig;
    /** Plural resource name, e.g. `namespaces` (messages and RBAC hints). */
    readonly resource: string;
    /** Cluster-wide collection path, e.g. `/api/v1/namespaces`. */
    readonly path: string;
    /** Reads one list page. */
    readonly listPage: (continueToken: string | undefined, limit: number, o: ConfigurationOptions) => Promise<ListPage>;
    /** The fields kept for an object. */
    readonly project: (obj: ObjectMeta) => V;
    /** Deadline of each list page, ms. */
    readonly callTimeoutMs: number;
    /** How long after the watch broke the projection is still used, ms. */
    readonly staleAfterMs: number;
    /** Server-side watch timeout, s. Default {@link WATCH_TIMEOUT_SECONDS}. */
    readonly watchTimeoutSeconds?: number;
    /** Longest wait between retries, ms. Default 5000. */
    readonly maxBackoffMs?: number;
    readonly onEvent?: (e: WatchEvent) => void;
    readonly now?: () => number;
}

/** What {@link Reflector.lookup} found: a value (or none) from a trusted projection, or why it is not trusted. */
export type Lookup<V> = { readonly fresh: true; readonly value: V | undefined } | { readonly fresh: false; readonly why: string };

export class Reflector<V> {
    private store = new Map<string, V>();
    private listed = false;
    private connected = false;
    private downSince: number | undefined;
    private lastError: string | undefined;
    private stopped = false;
    private abortWatch: AbortController | undefined;
    private wake: (() => void) | undefined;
    private readonly stopping = new AbortController();
    /** The last state reported through `onEvent` (each change is reported once). */
    private reported: WatchState | undefined;
    private readonly now: () => number;
    private readonly loop: Promise<void>;
    private readonly syncWaiters: Array<() => void> = [];

    constructor(private readonly o: ReflectorOptions<V>) {
        this.now = o.now ?? Date.now;
        this.loop = this.run();
    }

    /** The projected value of `key` (`name` or `namespace/name`) when the projection is trusted. */
    lookup(key: string): Lookup<V> {
        if (!this.fresh()) return { fresh: false, why: this.why() };
        return { fresh: true, value: this.store.get(key) };
    }

    /** Listed once, and the watch is up or down for at most `staleAfterMs`. */
    fresh(): boolean {
        if (!this.listed) return false;
        return this.connected || (this.downSince !== undefined && this.now() - this.downSince <= this.o.staleAfterMs);
    }

    get size(): number {
        return this.store.size;
    }

    /** Resolves once the first list is complete and the watch is connected, or after `timeoutMs` (false). */
    waitForSync(timeoutMs: number): Promise<boolean> {
        if (this.listed && this.connected) return Promise.resolve(true);
        return new Promise((resolve) => {
            const timer = setTimeout(() => resolve(false), timeoutMs);
            this.syncWaiters.push(() => {
                clearTimeout(timer);
                resolve(true);
            });
        });
    }

    /** Stops watching; the projection is no longer trusted. */
    async close(): Promise<void> {
        this.stopped = true;
        this.listed = false;
        this.stopping.abort();
        this.abortWatch?.abort();
        this.wake?.();
        await this.loop;
    }

    private why(): string {
        const cause = this.lastError !== undefined ? `: ${this.lastError}` : "";
        if (!this.listed) return `the ${this.o.resource} list has not completed yet${cause}`;
        return `the ${this.o.resource} watch has been down for more than ${this.o.staleAfterMs} ms${cause}`;
    }

    private async run(): Promise<void> {
        let backoff = 250;
        const maxBackoff = this.o.maxBackoffMs ?? 5000;
        let rv: string | undefined;
        while (!this.stopped) {
            try {
                rv ??= await this.relist();
                const started = this.now();
                const next = await this.watchOnce(rv);
                rv = next === "gone" ? undefined : next;
                // A watch that ended normally after a while is the server's timeout: reconnect at once.
                if (next !== "gone" && this.now() - started > 1000) backoff = 250;
                else await this.sleep((backoff = Math.min(backoff * 2, maxBackoff)));
            } catch (err) {
                if (this.stopped) break;
                this.markDown();
                this.lastError = describeError(err);
                this.report({ resource: this.o.resource, state: "error", error: this.lastError });
                await this.sleep(backoff);
                backoff = Math.min(backoff * 2, maxBackoff);
            }
        }
    }

    /** Lists every page into a new projection, swapped in at the end; returns the list's resourceVersion. */
    private async relist(): Promise<string> {
        const next = new Map<string, V>();
        let token: string | undefined;
        let rv = "";
        do {
            const page = await apiCall(`${this.o.resource} (list)`, `list ${this.o.resource}`, this.o.callTimeoutMs, this.stopping.signal, (opts) =>
                this.o.listPage(token, PAGE_SIZE, opts),
            );
            for (const item of page.items) next.set(keyOf(item), this.o.project(item));
            rv = page.metadata?.resourceVersion ?? "";
            token = page.metadata?._continue || undefined;
        } while (token !== undefined && !this.stopped);
        this.store = next;
        this.listed = !this.stopped;
        return rv;
    }

    /** One watch from `rv`; resolves with the last resourceVersion seen, or "gone" when a relist is needed. */
    private watchOnce(rv: string): Promise<string | "gone"> {
        const timeoutSeconds = this.o.watchTimeoutSeconds ?? WATCH_TIMEOUT_SECONDS;
        const watch = new Watch(this.o.kc);
        return new Promise((resolve, reject) => {
            let latest = rv;
            let ended = false;
            let failure: Error | undefined;
            let gone = false;
            const onEvent = (type: string, obj: unknown): void => {
                if (type === "ERROR") {
                    const code = (obj as { code?: number } | undefined)?.code;
                    if (code === 410) gone = true;
                    else failure = new Error(`the ${this.o.resource} watch failed: ${(obj as { message?: string } | undefined)?.message ?? `code ${String(code)}`}`);
                    return;
                }
                const item = obj as ObjectMeta;
                latest = item.metadata?.resourceVersion ?? latest;
                if (type === "BOOKMARK") return;
                if (type === "DELETED") this.store.delete(keyOf(item));
                else if (type === "ADDED" || type === "MODIFIED") this.store.set(keyOf(item), this.o.project(item));
            };
            const onDone = (err: unknown): void => {
                ended = true;
                this.abortWatch = undefined;
                this.markDown();
                if (this.stopped || gone) return resolve(gone ? "gone" : latest);
                if (failure !== undefined) return reject(failure);
                const code = (err as { statusCode?: number } | null)?.statusCode;
                if (code !== undefined) return reject(statusError(code, `${this.o.resource} (watch)`, `watch ${this.o.resource}`));
                if (err) return reject(err instanceof Error ? err : new Error(describeError(err)));
                resolve(latest);
            };
            const query = { resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds };
            watch.watch(this.o.path, query, onEvent, onDone).then((ctl) => {
                if (ended) return;
                if (this.stopped) return ctl.abort();
                this.abortWatch = ctl;
                this.connected = true;
                this.downSince = undefined;
                this.lastError = undefined;
                this.report({ resource: this.o.resource, state: "synced", objects: this.store.size });
                for (const w of this.syncWaiters.splice(0)) w();
            }, reject);
        });
    }

    private markDown(): void {
        if (this.connected) {
            this.connected = false;
            this.downSince = this.now();
        }
    }

    /** Reports state changes only (a watch reconnecting after the server's timeout is not one); every error is reported. */
    private report(e: WatchEvent): void {
        if (e.state === this.reported && e.state === "synced") return;
        this.reported = e.state;
        this.o.onEvent?.(e);
    }

    private sleep(ms: number): Promise<void> {
        if (this.stopped) return Promise.resolve();
        return new Promise((resolve) => {
            const timer = setTimeout(done, ms);
            function done(): void {
                clearTimeout(timer);
                resolve();
            }
            this.wake = done;
        });
    }
}

function keyOf(obj: ObjectMeta): string {
    const m = obj.metadata;
    return m?.namespace ? `${m.namespace}/${m.name ?? ""}` : (m?.name ?? "");
}
