/**
 * Image-name globs of the trust policy, compiled by the shared glob compiler
 * (`common/glob.ts`, {@link IMAGE_NAME_GLOB}). Globs are ANCHORED and match the normalised image name
 * `registry/repository` (no tag, no digest):
 *
 * - `*`  matches any run of characters except `/` (it never crosses a path segment),
 * - `**` matches any run of characters including `/`,
 * - `?`  matches one character except `/`,
 * - everything else is literal (regex metacharacters such as `.` are escaped).
 *
 * `registry.example.com/models/*` therefore matches `registry.example.com/models/llm` but neither
 * `registry.example.com/models/a/b` nor `registry.example.com/models-evil/x`.
 */
import { globToRegExp, IMAGE_NAME_GLOB } from "../../../common/glob";
import { normaliseRegistryHost } from "../../../common/image-reference";

/** A compiled glob. */
export interface ImageGlob {
    readonly pattern: string;
    readonly regexp: RegExp;
}

/** Compiles a glob; the host part is normalised like references (lowercase, `index.docker.io` → `docker.io`). */
export function compileGlob(pattern: string): ImageGlob {
    const slash = pattern.indexOf("/");
    const normalised = slash > 0 && !/[*?]/.test(pattern.slice(0, slash))
        ? `${normaliseRegistryHost(pattern.slice(0, slash))}${pattern.slice(slash)}`
        : pattern;
    return { pattern: normalised, regexp: globToRegExp(normalised, IMAGE_NAME_GLOB) };
}

/** Whether `name` (a normalised `registry/repository`) matches the glob. */
export function matchGlob(glob: ImageGlob, name: string): boolean {
    return glob.regexp.test(name);
}

/**
 * Checks a glob's shape; returns a problem description or undefined. The first segment must be a
 * registry host (or a wildcard), so `nginx` is rejected in favour of `docker.io/library/nginx`.
 */
export function globProblem(pattern: string): string | undefined {
    if (pattern.trim() === "" || /\s/.test(pattern)) return "must be a non-empty glob without whitespace";
    if (/[@]/.test(pattern) || /:[^/]*$/.test(pattern.slice(pattern.indexOf("/") + 1))) {
        return "matches image names only (`registry/repository`): remove the tag or digest";
    }
    if (/\*\*\*/.test(pattern)) return "has `***`: use `*` (one segment) or `**` (any depth)";
    const slash = pattern.indexOf("/");
    if (slash <= 0) return "must start with a registry host, e.g. `docker.io/library/nginx` or `registry.example.com/models/**`";
    const host = pattern.slice(0, slash);
    if (!/[*?]/.test(host) && !(host.includes(".") || host.includes(":") || host === "localhost")) {
        return `starts with ${JSON.stringify(host)}, which is not a registry host: write the host explicitly, e.g. \`docker.io/${pattern}\``;
    }
    return undefined;
}
