/**
 * The one glob compiler of aiguard. Every glob is ANCHORED and compiled to a regular expression in
 * which everything but the wildcards is literal (regex metacharacters are escaped). The places that
 * take globs differ only in where `*` may stop, which each names with a {@link GlobSyntax}:
 *
 * - {@link NAME_GLOB}: exemption name globs. `*` matches any run of characters.
 * - {@link IMAGE_NAME_GLOB}: trust-policy image globs over `registry/repository`. `*` matches any
 *   run except `/` (never crosses a path segment), `**` any run including `/`, `?` one character
 *   except `/`. `registry.example.com/models/*` matches `registry.example.com/models/llm` but
 *   neither `.../models/a/b` nor `.../models-evil/x`.
 * - {@link HOST_LABEL_GLOB} / {@link PATH_SEGMENT_GLOB}: `allowedRegistries` entries (see
 *   `registryAllowed` in `image-reference.ts`). `*` matches one or more characters within one DNS
 *   label or one path segment.
 */

export interface GlobSyntax {
    /** Characters `*` and `?` never match. Empty: `*` matches anything. */
    readonly barrier: string;
    /** Whether `*` must match at least one character. */
    readonly starNonEmpty: boolean;
    /** Whether `**` matches any run including barrier characters. */
    readonly doubleStar: boolean;
    /** Whether `?` is a wildcard for one character (otherwise literal). */
    readonly question: boolean;
}

export const NAME_GLOB: GlobSyntax = { barrier: "", starNonEmpty: false, doubleStar: false, question: false };
export const IMAGE_NAME_GLOB: GlobSyntax = { barrier: "/", starNonEmpty: false, doubleStar: true, question: true };
export const HOST_LABEL_GLOB: GlobSyntax = { barrier: "./", starNonEmpty: true, doubleStar: false, question: false };
export const PATH_SEGMENT_GLOB: GlobSyntax = { barrier: "/", starNonEmpty: true, doubleStar: false, question: false };

function escapeRegExp(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/** Compiles `pattern` to an anchored regular expression under `syntax`. */
export function globToRegExp(pattern: string, syntax: GlobSyntax = NAME_GLOB, flags = ""): RegExp {
    const one = syntax.barrier === "" ? "[^]" : `[^${escapeRegExp(syntax.barrier)}]`;
    let source = "";
    for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i]!;
        if (c === "*" && syntax.doubleStar && pattern[i + 1] === "*") {
            source += ".*";
            i++;
        } else if (c === "*") {
            source += `${one}${syntax.starNonEmpty ? "+" : "*"}`;
        } else if (c === "?" && syntax.question) {
            source += one;
        } else {
            source += escapeRegExp(c);
        }
    }
    return new RegExp(`^${source}$`, flags);
}
