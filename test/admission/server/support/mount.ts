/**
 * A directory updated exactly like the kubelet updates ConfigMap/Secret volumes: files live in a
 * timestamped directory, `..data` points at it, and each visible name is a symlink `..data/<name>`.
 * An update writes a new timestamped directory and atomically renames a `..data_tmp` symlink over `..data`.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export class KubeletMount {
    readonly dir: string;
    private generation = 0;
    private current: string | undefined;

    constructor(files: Record<string, string | Buffer>, dir = mkdtempSync(join(tmpdir(), "aiguard-mount-"))) {
        this.dir = dir;
        this.update(files, true);
    }

    /** Atomically replace the volume's content. */
    update(files: Record<string, string | Buffer>, first = false): void {
        const ts = `..2026_11_22_00_00_00.${++this.generation}`;
        mkdirSync(join(this.dir, ts));
        for (const [name, content] of Object.entries(files)) writeFileSync(join(this.dir, ts, name), content);
        symlinkSync(ts, join(this.dir, "..data_tmp"));
        renameSync(join(this.dir, "..data_tmp"), join(this.dir, "..data"));
        if (first) for (const name of Object.keys(files)) symlinkSync(join("..data", name), join(this.dir, name));
        if (this.current !== undefined) rmSync(join(this.dir, this.current), { recursive: true });
        this.current = ts;
    }

    path(name: string): string {
        return join(this.dir, name);
    }
}
