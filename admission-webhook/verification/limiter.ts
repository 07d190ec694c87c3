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

    /** A lane for one request's tasks. */
    lane(): Lane {
        return new Lane(this);
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

/** One request's queue on a {@link FairLimiter}. */
export class Lane {
    private readonly queue: Task[] = [];

    constructor(private readonly limiter: FairLimiter) {}

    get hasQueued(): boolean {
        return this.queue.length > 0;
    }

    /** @internal The next task that was not cancelled. */
    take(): Task | undefined {
        for (let task = this.queue.shift(); task !== undefined; task = this.queue.shift()) if (!task.cancelled) return task;
        return undefined;
    }

    /** Runs `fn` when a slot is free; rejects with the abort reason if `signal` aborts first. */
    run<T>(fn: () => Promise<T>, signal: AbortSignal): Promise<T> {
        if (signal.aborted) return Promise.reject(signal.reason);
        return new Promise<T>((resolve, reject) => {
            const onAbort = (): void => {
                task.cancelled = true;
                reject(signal.reason);
            };
            const task: Task = {
                start: () => {
                    signal.removeEventListener("abort", onAbort);
                    fn().then(resolve, reject).finally(() => this.limiter.release());
                },
                cancelled: false,
            };
            signal.addEventListener("abort", onAbort, { once: true });
            const wasIdle = this.queue.length === 0;
            this.queue.push(task);
            if (wasIdle) this.limiter.enqueue(this);
        });
    }
}
