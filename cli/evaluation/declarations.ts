/**
 * Where each resource was declared, as a path relative to the repository root (what GitHub code
 * scanning and other SARIF viewers resolve result locations against), plus what identifies the
 * repository's state (commit, uncommitted changes) for reports.
 *
 *  - Program runs: the SDK sends a stack trace with every registration; the recording monitor keeps
 *    its first frame in the user's code (offline/recording-monitor.ts `sourceOf`).
 *  - `--from` previews: each step's `sourcePosition` is relative to the Pulumi project directory,
 *    which the document does not name: it is the directory of the `--from` file or the working
 *    directory (or one of their parents) whose `Pulumi.yaml` names the project.
 *  - A position inside `node_modules` (a component library's children), or none at all (a resource
 *    registered from a callback), falls back to the nearest ancestor declared in the user's code.
 *    Stack-level findings, and resources with no such ancestor, point at `Pulumi.yaml`.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import type { SourceFrame } from "../../offline/recorded";
import type { Location } from "./result";

/** The nearest directory at or above `start` holding `.git` (a directory, or a worktree's file). */
export function repositoryRoot(start: string): string | undefined {
    let dir = path.resolve(start);
    for (let i = 0; i < 64; i++) {
        if (fs.existsSync(path.join(dir, ".git"))) return dir;
        const up = path.dirname(dir);
        if (up === dir) return undefined;
        dir = up;
    }
    return undefined;
}

/** The commit checked out at `root`, and whether tracked or untracked files differ from it (needs `git`). */
export function repositoryState(root: string): { commit: string; dirty: boolean } | undefined {
    const git = (...args: string[]) => execFileSync("git", ["-C", root, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 10_000 });
    try {
        const commit = git("rev-parse", "HEAD").trim();
        if (!/^[0-9a-f]{40,64}$/.test(commit)) return undefined;
        return { commit, dirty: git("status", "--porcelain").trim() !== "" };
    } catch {
        return undefined;
    }
}

const toPosix = (p: string) => p.split(path.sep).join("/");

/** `file` relative to `root`, forward slashes; `undefined` when it lies outside `root`. */
export function relativeTo(root: string, file: string): string | undefined {
    const rel = path.relative(root, file);
    if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel)) return undefined;
    return toPosix(rel);
}

const inNodeModules = (file: string) => file.split(/[\\/]/).includes("node_modules");

/** What the locator needs of each resource: its parent and where the SDK or engine says it was declared. */
export interface Declared {
    readonly parent?: string;
    /** Absolute path of the declaring file. */
    readonly source?: SourceFrame;
}

/**
 * A function from URN to the resource's declaration, relative to `root`. `fallback` (absolute, e.g.
 * the project's Pulumi.yaml) is used for stack-level findings and resources with no user-code position.
 */
export function declarationLocator(resources: ReadonlyMap<string, Declared>, root: string, fallback: string | undefined): (urn: string) => Location | undefined {
    const fallbackLocation = fallback !== undefined && fs.existsSync(fallback) ? relativeTo(root, fallback) : undefined;
    const own = (urn: string): Location | undefined => {
        const src = resources.get(urn)?.source;
        if (!src || inNodeModules(src.file)) return undefined;
        const file = relativeTo(root, src.file);
        return file === undefined ? undefined : { file, line: src.line, ...(src.column ? { column: src.column } : {}) };
    };
    return (urn) => {
        const seen = new Set<string>();
        for (let u: string | undefined = urn; u && !seen.has(u); u = resources.get(u)?.parent) {
            seen.add(u);
            const loc = own(u);
            if (loc) return loc;
        }
        return fallbackLocation !== undefined ? { file: fallbackLocation } : undefined;
    };
}

function projectNameIn(dir: string): string | undefined {
    for (const f of ["Pulumi.yaml", "Pulumi.yml"]) {
        try {
            const doc = YAML.parse(fs.readFileSync(path.join(dir, f), "utf8")) as { name?: unknown } | null;
            return typeof doc?.name === "string" ? doc.name : undefined;
        } catch {
            continue;
        }
    }
    return undefined;
}

/**
 * The directory of the Pulumi project `project` a `--from` document came from: the first of the
 * document's directory, the working directory, and their parents (up to the repository root) whose
 * Pulumi.yaml names that project. `undefined` when none does.
 */
export function findProjectDir(project: string, starts: readonly string[], root: string | undefined): string | undefined {
    for (const start of starts) {
        let dir = path.resolve(start);
        for (let i = 0; i < 64; i++) {
            if (projectNameIn(dir) === project) return dir;
            const up = path.dirname(dir);
            if (up === dir || (root !== undefined && relativeTo(root, dir) === undefined)) break;
            dir = up;
        }
    }
    return undefined;
}

/** The project file in `dir`, if any. */
export function projectFile(dir: string): string | undefined {
    return ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
}
