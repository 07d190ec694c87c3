/**
 * The process-wide bound on concurrent registry work, fair between admission requests. Each
 * request takes a {@link Lane}; at most `concurrency` tasks run at once across all lanes, and a
 * freed slot goes to the next lane in round-robin order, so a request with 10,000 queued
 * verifications delays a request with one by at most one task per busy lane — it cannot starve it.
 * A task whose request is aborted (deadline, client gone) leaves the queue at once.
 */

interface Task {
    readonly start: () => void;
    /** Set when its request aborted while it waited; skipped when its turn comes (O(1) abort). */
    cancelled: boolean;
}

/** Default number of verifications that may talk to registries at once, process-wide. */
export const DEFAULT_REGISTRY_CONCURRENCY = 16;

export class FairLimiter {
    private active = 0;
    /** Lanes with queued tasks, in service order. */
    private readonly ready: Lane[] = [];

    constructor(readonly concurrency = DEFAULT_REGISTRY_CONCURRENCY) {
        if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`registry concurrency must be a positive integer (got ${concurrency})`);
    }

    /** A lane for one request's tasks; when `signal` aborts, its queued tasks leave the queue. */
    lane(signal: AbortSignal): Lane {
        return new Lane(this, signal);
    }

    /** Tasks running now (for tests and metrics). */
    get running(): number {
        return this.active;
    }

    /** @internal A lane got its first queued task. */
    enqueue(lane: Lane): void {
        this.ready.push(lane);
        this.pump();
    }

    /** @internal A task finished. */
    release(): void {
        this.active--;
        this.pump();
    }

    private pump(): void {
        while (this.active < this.concurrency && this.ready.length > 0) {
            const lane = this.ready.shift()!;
            const task = lane.take();
            if (task === undefined) continue;
            if (lane.hasQueued) this.ready.push(lane);
            this.active++;
            task.start();
        }
    }
}

/** One request's queue on a {@link FairLimiter}. One abort listener per lane, not per task. */
export class Lane {
    private readonly queue: Task[] = [];
    private readonly waiting = new Set<{ task: Task; reject: (reason: unknown) => void }>();

    constructor(private readonly limiter: FairLimiter, private readonly signal: AbortSignal) {
        signal.addEventListener("abort", () => this.abortQueued(), { once: true });
    }

    get hasQueued(): boolean {
        return this.queue.length > 0;
    }

    /** @internal The next task that was not cancelled. */
    take(): Task | undefined {
        for (let task = this.queue.shift(); task !== undefined; task = this.queue.shift()) if (!task.cancelled) return task;
        return undefined;
    }

    /** Runs `fn` when a slot is free; rejects with the abort reason if the lane's signal aborts first. */
    run<T>(fn: () => Promise<T>): Promise<T> {
        if (this.signal.aborted) return Promise.reject(this.signal.reason);
        return new Promise<T>((resolve, reject) => {
            const entry = { task: undefined as unknown as Task, reject };
            entry.task = {
                start: () => {
                    this.waiting.delete(entry);
                    fn().then(resolve, reject).finally(() => this.limiter.release());
                },
                cancelled: false,
            };
            this.waiting.add(entry);
            const wasIdle = this.queue.length === 0;
            this.queue.push(entry.task);
            if (wasIdle) this.limiter.enqueue(this);
        });
    }

    private abortQueued(): void {
        for (const entry of this.waiting) {
            entry.task.cancelled = true;
            entry.reject(this.signal.reason);
        }
        this.waiting.clear();
    }
}
