/**
 * Image references, parsed and normalised like the Docker/OCI reference grammar
 * (github.com/distribution/reference):
 *
 *     reference  := name [ ":" tag ] [ "@" digest ]
 *     name       := [ domain "/" ] path-component ( "/" path-component )*
 *     domain     := host [ ":" port ]          host: DNS name, IPv4 or [IPv6]
 *     path-comp  := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 *     tag        := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
 *     digest     := "sha256:" 64 hex | "sha512:" 128 hex   (lowercase hex)
 *
 * The digest policy is the same everywhere (webhook, pack, components): a reference is pinned when
 * it carries a digest of one of the two algorithms the OCI image spec registers, SHA-256 or SHA-512
 * ({@link DIGEST_ALGORITHMS}); any other digest makes the reference invalid.
 *
 * Normalisation: no domain → `docker.io`; `index.docker.io` → `docker.io`; single-component
 * Docker Hub names get `library/`; the host is lowercased (hosts are case-insensitive), while an
 * uppercase repository is invalid. A reference with a digest is *pinned*; when it carries both a
 * tag and a digest, the digest decides what is verified and admitted (the tag is informational,
 * exactly as the container runtime pulls by digest and ignores the tag).
 */
import { AiguardError } from "./errors";
import { globToRegExp, HOST_LABEL_GLOB, PATH_SEGMENT_GLOB } from "./glob";

/** Codes of {@link ReferenceParseError}. */
export type ReferenceErrorCode =
    | "empty"
    | "invalid-format"
    | "invalid-host"
    | "uppercase-repository"
    | "invalid-tag"
    | "invalid-digest"
    | "name-too-long";

/** An image reference that does not follow the OCI/Docker reference grammar. */
export class ReferenceParseError extends AiguardError<ReferenceErrorCode> {}

/** The registry name used for Docker Hub after normalisation. */
export const DOCKER_HUB = "docker.io";
/** The API endpoint of Docker Hub (the name `docker.io` has no Distribution API). */
export const DOCKER_HUB_API = "registry-1.docker.io";

const MAX_NAME_LENGTH = 255;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DOMAIN_LABEL = /^(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])$/;
const IPV6 = /^\[[0-9A-Fa-f:.]+(?:%[A-Za-z0-9]+)?\]$/;
const DIGESTS: Record<string, RegExp> = { sha256: /^[a-f0-9]{64}$/, sha512: /^[a-f0-9]{128}$/ };
/** The digest algorithms a pin may use (those the OCI image spec registers). */
export const DIGEST_ALGORITHMS: readonly string[] = Object.keys(DIGESTS);
/** A valid digest string, `sha256:<64 hex>` or `sha512:<128 hex>`. */
export function isValidDigest(digest: string): boolean {
    const sep = digest.indexOf(":");
    const pattern = sep > 0 && Object.hasOwn(DIGESTS, digest.slice(0, sep)) ? DIGESTS[digest.slice(0, sep)] : undefined;
    return pattern !== undefined && pattern.test(digest.slice(sep + 1));
}

/** A parsed, normalised image reference. */
export interface ImageReference {
    /** Normalised registry host, lowercased, with port when given (`docker.io`, `127.0.0.1:5000`). */
    readonly registry: string;
    /** Repository path inside the registry (`library/nginx`, `ml/model`). */
    readonly repository: string;
    /** Tag, when written. */
    readonly tag?: string;
    /** Digest (`sha256:<hex>` or `sha512:<hex>`), when written. */
    readonly digest?: string;
    /** `true` when the reference carries a digest. */
    readonly pinned: boolean;
    /** `registry/repository`, the name the trust policy's image globs match. */
    readonly name: string;
    /** The reference exactly as written. */
    readonly original: string;
}

/** Parses `input`; throws {@link ReferenceParseError} (never anything else) when it is not a valid reference. */
export function parseReference(input: string): ImageReference {
    if (typeof input !== "string" || input.trim() === "") {
        throw new ReferenceParseError("empty", "image reference is empty: write it as `registry/repository@sha256:<digest>`");
    }
    if (input !== input.trim() || /\s/.test(input)) {
        throw new ReferenceParseError("invalid-format", `image reference ${JSON.stringify(input)} contains whitespace`);
    }
    let rest = input;
    let digest: string | undefined;
    const at = rest.indexOf("@");
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
        checkDigest(input, digest);
    }
    let tag: string | undefined;
    const lastSlash = rest.lastIndexOf("/");
    const colon = rest.lastIndexOf(":");
    if (colon > lastSlash) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
        if (!TAG.test(tag)) {
            throw new ReferenceParseError("invalid-tag", `image reference ${JSON.stringify(input)} has an invalid tag ${JSON.stringify(tag)} (tags are [A-Za-z0-9_][A-Za-z0-9_.-]{0,127})`);
        }
    }
    if (rest === "") {
        throw new ReferenceParseError("invalid-format", `image reference ${JSON.stringify(input)} has no repository name`);
    }
    if (rest.length > MAX_NAME_LENGTH) {
        throw new ReferenceParseError("name-too-long", `image name in ${JSON.stringify(input)} is longer than ${MAX_NAME_LENGTH} characters`);
    }
    const { registry, repository } = splitName(input, rest);
    return {
        registry,
        repository,
        ...(tag !== undefined ? { tag } : {}),
        ...(digest !== undefined ? { digest } : {}),
        pinned: digest !== undefined,
        name: `${registry}/${repository}`,
        original: input,
    };
}

/** Like {@link parseReference} but returns `undefined` instead of throwing. */
export function tryParseReference(input: string): ImageReference | undefined {
    try {
        return parseReference(input);
    } catch (err) {
        if (err instanceof ReferenceParseError) return undefined;
        throw err;
    }
}

/** The outcome of {@link parseReferenceResult}: the reference, or the parse error's message and code. */
export type ReferenceParse =
    | { readonly ok: true; readonly ref: ImageReference }
    | { readonly ok: false; readonly code: ReferenceErrorCode; readonly error: string };

/** Like {@link parseReference} but returns the error instead of throwing. */
export function parseReferenceResult(input: string): ReferenceParse {
    try {
        return { ok: true, ref: parseReference(input) };
    } catch (err) {
        if (err instanceof ReferenceParseError) return { ok: false, code: err.code, error: err.message };
        throw err;
    }
}

/**
 * True when `pattern` (an `allowedRegistries` entry) admits the reference. A pattern is a registry
 * host glob, optionally followed by `/`-separated repository path globs that must match a prefix of
 * the repository path segment by segment. Matching is anchored; in the host `*` matches within one
 * DNS label (never a `.` or `/`), in the path within one segment (never a `/`). Host comparison is
 * case-insensitive and normalised like references (`index.docker.io` is `docker.io`). So
 * `*.dkr.ecr.*.amazonaws.com` admits `1234.dkr.ecr.eu-west-2.amazonaws.com/m` but neither
 * `evil.com/1234.dkr.ecr.eu-west-2.amazonaws.com/m` nor `a.b.dkr.ecr.x.amazonaws.com/m`.
 */
export function registryMatches(ref: ImageReference, pattern: string): boolean {
    const segments = pattern.trim().replace(/\/+$/, "").split("/");
    const first = segments.shift() ?? "";
    const hostGlob = /[*?]/.test(first) ? first.toLowerCase() : normaliseRegistryHost(first);
    if (hostGlob.length === 0) return false;
    if (!globToRegExp(hostGlob, HOST_LABEL_GLOB).test(ref.registry)) return false;
    const path = ref.repository.split("/");
    if (segments.length > path.length) return false;
    return segments.every((g, i) => g.length > 0 && globToRegExp(g, PATH_SEGMENT_GLOB).test(path[i]!));
}

/** True when any pattern admits the reference. */
export function registryAllowed(ref: ImageReference, patterns: readonly string[]): boolean {
    return patterns.some((p) => registryMatches(ref, p));
}

/** Normalises a registry host as written in a docker config or a reference (`https://index.docker.io/v1/` → `docker.io`). */
export function normaliseRegistryHost(host: string): string {
    let h = host.trim().replace(/^[a-z]+:\/\//i, "");
    const slash = h.indexOf("/");
    if (slash >= 0) h = h.slice(0, slash);
    h = h.toLowerCase();
    if (h === "index.docker.io" || h === "registry-1.docker.io" || h === "registry.hub.docker.com") return DOCKER_HUB;
    return h;
}

/** The host to send Distribution API requests to for a normalised registry name. */
export function apiHost(registry: string): string {
    return registry === DOCKER_HUB ? DOCKER_HUB_API : registry;
}

/** The canonical string: `registry/repository[:tag][@digest]`. */
export function formatReference(ref: ImageReference): string {
    return `${ref.name}${ref.tag !== undefined ? `:${ref.tag}` : ""}${ref.digest !== undefined ? `@${ref.digest}` : ""}`;
}

/**
 * The pinned form to suggest in errors for a tag-only reference, with the command that resolves it:
 * `` pin it as `registry/repo@sha256:<digest>` (find the digest with `crane digest registry/repo:tag`) ``.
 */
export function pinnedFormHint(ref: ImageReference): string {
    const byTag = `${ref.name}:${ref.tag ?? "latest"}`;
    return `pin it by digest as \`${ref.name}@sha256:<digest>\` (find the digest with \`crane digest ${byTag}\`)`;
}

function checkDigest(input: string, digest: string): void {
    if (!isValidDigest(digest)) {
        throw new ReferenceParseError(
            "invalid-digest",
            `image reference ${JSON.stringify(input)} has an invalid digest ${JSON.stringify(digest)}: expected sha256:<64 lowercase hex> or sha512:<128 lowercase hex>`,
        );
    }
}

function splitName(input: string, name: string): { registry: string; repository: string } {
    const slash = name.indexOf("/");
    const first = slash >= 0 ? name.slice(0, slash) : "";
    const isDomain = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost" || first !== first.toLowerCase());
    let registry = DOCKER_HUB;
    let path = name;
    if (isDomain) {
        if (!first.includes(".") && !first.includes(":") && first.toLowerCase() !== "localhost") {
            // Docker reads an uppercase first segment as a host; lowercased it would read as a Docker Hub
            // namespace, so the reference would change meaning. Reject it rather than guess.
            throw new ReferenceParseError("invalid-host", `${JSON.stringify(first)} in ${JSON.stringify(input)} is ambiguous: write a registry host with a dot or port (\`registry.example.com/...\`) or a lowercase Docker Hub namespace`);
        }
        checkHost(input, first);
        registry = normaliseRegistryHost(first);
        path = name.slice(slash + 1);
    }
    const components = path.split("/");
    for (const component of components) {
        if (component !== component.toLowerCase() && PATH_COMPONENT.test(component.toLowerCase())) {
            throw new ReferenceParseError("uppercase-repository", `repository ${JSON.stringify(path)} in ${JSON.stringify(input)} must be lowercase`);
        }
        if (!PATH_COMPONENT.test(component)) {
            throw new ReferenceParseError(
                "invalid-format",
                `repository path component ${JSON.stringify(component)} in ${JSON.stringify(input)} is invalid (lowercase letters, digits and single separators . _ __ - between them)`,
            );
        }
    }
    if (registry === DOCKER_HUB && components.length === 1) path = `library/${path}`;
    return { registry, repository: path };
}

function checkHost(input: string, domain: string): void {
    let host = domain;
    let port: string | undefined;
    if (domain.startsWith("[")) {
        const close = domain.indexOf("]");
        host = domain.slice(0, close + 1);
        const after = domain.slice(close + 1);
        if (after !== "") {
            if (!after.startsWith(":")) return badHost(input, domain);
            port = after.slice(1);
        }
        if (!IPV6.test(host)) return badHost(input, domain);
    } else {
        const c = domain.indexOf(":");
        if (c >= 0) {
            host = domain.slice(0, c);
            port = domain.slice(c + 1);
        }
        if (host === "" || !host.split(".").every((label) => DOMAIN_LABEL.test(label))) return badHost(input, domain);
    }
    if (port !== undefined && (!/^[0-9]{1,5}$/.test(port) || Number(port) > 65535)) return badHost(input, domain);
}

function badHost(input: string, domain: string): never {
    throw new ReferenceParseError("invalid-host", `registry host ${JSON.stringify(domain)} in ${JSON.stringify(input)} is not a valid host[:port]`);
}
