/**
 * Reload-on-change for files mounted from Kubernetes Secrets and ConfigMaps. The kubelet updates
 * such volumes by writing a new timestamped directory and atomically swapping the `..data`
 * symlink, so watching the file itself misses updates: this watches the containing directory and,
 * on any event (debounced), compares a content fingerprint and fires only when it changed.
 */
import { createHash } from "node:crypto";
import { watch, type FSWatcher } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { dirname, join } from "node:path";

/** Sha-256 over the contents of `paths`; a directory contributes its non-hidden files, sorted by name. */
export async function fingerprint(paths: readonly string[]): Promise<string> {
    const h = createHash("sha256");
    for (const p of paths) {
        for (const file of await filesOf(p)) {
            h.update(file).update("\0").update(await readFile(file)).update("\0");
        }
    }
    return h.digest("hex");
}

/**
 * The files a path stands for: itself, or for a directory its regular, non-hidden entries (which
 * skips the kubelet's `..data` and `..<timestamp>` entries while following the visible symlinks).
 */
export async function filesOf(path: string): Promise<string[]> {
    const s = await stat(path);
    if (!s.isDirectory()) return [path];
    const out: string[] = [];
    for (const name of (await readdir(path)).sort()) {
        if (name.startsWith(".")) continue;
        const full = join(path, name);
        if ((await stat(full)).isFile()) out.push(full);
    }
    return out;
}

export interface ContentWatcherOptions {
    /** Files or directories whose content is watched. */
    readonly paths: readonly string[];
    /** Called when the fingerprint changed; errors are passed to `onError`. */
    readonly onChange: () => Promise<void>;
    readonly onError: (err: unknown) => void;
    /** Quiet time after the last event before re-reading, in ms. Default 200. */
    readonly debounceMs?: number;
    /** Also re-check on this period, in ms, in case an event was missed. Default 60000; 0 disables. */
    readonly pollMs?: number;
}

/** Watches directories for content changes; `close()` stops it. */
export class ContentWatcher {
    private readonly watchers: FSWatcher[] = [];
    private timer: NodeJS.Timeout | undefined;
    private poll: NodeJS.Timeout | undefined;
    private last: string | undefined;
    private running: Promise<void> = Promise.resolve();

    private constructor(private readonly options: ContentWatcherOptions) {}

    /** Start watching; the current content is the baseline (no initial `onChange`). */
    static async start(options: ContentWatcherOptions): Promise<ContentWatcher> {
        const w = new ContentWatcher(options);
        w.last = await fingerprint(options.paths).catch(() => undefined);
        const dirs = new Set<string>();
        for (const p of options.paths) {
            dirs.add((await stat(p)).isDirectory() ? p : dirname(p));
        }
        for (const d of dirs) {
            const fw = watch(d, { persistent: false }, () => w.schedule());
            fw.on("error", (err) => options.onError(err));
            w.watchers.push(fw);
        }
        const pollMs = options.pollMs ?? 60_000;
        if (pollMs > 0) {
            w.poll = setInterval(() => w.schedule(), pollMs);
            w.poll.unref();
        }
        return w;
    }

    private schedule(): void {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => {
            this.running = this.running.then(() => this.check());
        }, this.options.debounceMs ?? 200);
        this.timer.unref();
    }

    /** Re-read now and fire `onChange` if the content changed (also used by tests). */
    async check(): Promise<void> {
        try {
            const fp = await fingerprint(this.options.paths);
            if (fp === this.last) return;
            this.last = fp;
            await this.options.onChange();
        } catch (err) {
            this.options.onError(err);
        }
    }

    close(): void {
        clearTimeout(this.timer);
        clearInterval(this.poll);
        for (const w of this.watchers) w.close();
    }
}
