/**
 * Helpers shared by the service rules (SageMaker, Bedrock, ECR, EKS, Backup, Kubernetes):
 * container image references (parsing, digest pinning, allowed-registry globs) and small
 * unknown-aware value readers. Pure functions; nothing here throws on any input.
 */
import { UNKNOWN, type Maybe } from "../framework/rule";
import { UNKNOWN_STRING } from "../framework/values";

/** A parsed container image reference, normalised as Docker/OCI clients resolve it. */
export interface ImageReference {
    /** Registry host, lower-cased, with `:port` if given (`docker.io` when the reference names none). */
    readonly registry: string;
    /** Repository path inside the registry (`library/nginx` for `nginx`). */
    readonly repository: string;
    readonly tag?: string;
    /** `algorithm:encoded`, as written. */
    readonly digest?: string;
}

export type ImageParse = { readonly ok: true; readonly ref: ImageReference } | { readonly ok: false; readonly error: string };

const HOST_LABEL = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN_RE = new RegExp(`^${HOST_LABEL}(?:\\.${HOST_LABEL})*(?::[0-9]+)?$`);
const PATH_COMPONENT_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const DIGEST_RE = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
/** The only digest form aiguard accepts as a pin: SHA-256, 64 lower-case hex characters. */
const SHA256_DIGEST_RE = /^sha256:[a-f0-9]{64}$/;
const MAX_NAME_LENGTH = 255;

/**
 * Parses an image reference (`[registry[:port]/]path[:tag][@digest]`) following the grammar of
 * distribution/reference. Invalid references are reported as errors, never thrown.
 */
export function parseImageReference(input: string): ImageParse {
    if (typeof input !== "string" || input.length === 0) return { ok: false, error: "the image reference is empty" };
    if (input !== input.trim()) return { ok: false, error: "the image reference has surrounding whitespace" };
    let rest = input;
    let digest: string | undefined;
    const at = rest.indexOf("@");
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
        if (!DIGEST_RE.test(digest)) return { ok: false, error: `"${digest}" is not a valid digest` };
    }
    let tag: string | undefined;
    const colon = rest.lastIndexOf(":");
    if (colon > rest.lastIndexOf("/")) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
        if (!TAG_RE.test(tag)) return { ok: false, error: `"${tag}" is not a valid tag` };
    }
    if (rest.length === 0 || rest.length > MAX_NAME_LENGTH) return { ok: false, error: "the image name is empty or longer than 255 characters" };
    const parts = rest.split("/");
    let registry = "docker.io";
    const first = parts[0];
    if (parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost" || first !== first.toLowerCase())) {
        if (!DOMAIN_RE.test(first)) return { ok: false, error: `"${first}" is not a valid registry host` };
        registry = first.toLowerCase();
        parts.shift();
    }
    for (const p of parts) {
        if (!PATH_COMPONENT_RE.test(p)) return { ok: false, error: `"${p}" is not a valid repository path component` };
    }
    if (registry === "docker.io" && parts.length === 1) parts.unshift("library");
    return { ok: true, ref: { registry, repository: parts.join("/"), tag, digest } };
}

/** True when the reference is pinned by a SHA-256 digest (`@sha256:` + 64 lower-case hex). */
export function isPinnedByDigest(ref: ImageReference): boolean {
    return ref.digest !== undefined && SHA256_DIGEST_RE.test(ref.digest);
}

function escapeRegExp(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Anchored glob: `*` matches one or more characters other than those in `barrier`. */
function segmentGlob(glob: string, barrier: string): RegExp {
    const parts = glob.split("*").map(escapeRegExp);
    return new RegExp(`^${parts.join(`[^${escapeRegExp(barrier)}]+`)}$`);
}

/**
 * True when `pattern` (an `allowedRegistries` entry) admits the reference. A pattern is a registry
 * host glob, optionally followed by `/`-separated repository path globs that must match a prefix of
 * the repository path segment by segment. Matching is anchored; in the host `*` matches within one
 * DNS label (never a `.` or `/`), in the path within one segment (never a `/`). Host comparison is
 * case-insensitive. So `*.dkr.ecr.*.amazonaws.com` admits `1234.dkr.ecr.eu-west-2.amazonaws.com/m`
 * but not `evil.com/1234.dkr.ecr.eu-west-2.amazonaws.com/m` nor `a.b.dkr.ecr.x.amazonaws.com/m`.
 */
export function registryMatches(ref: ImageReference, pattern: string): boolean {
    const segments = pattern.trim().replace(/\/+$/, "").split("/");
    const hostGlob = segments.shift()?.toLowerCase() ?? "";
    if (hostGlob.length === 0) return false;
    if (!segmentGlob(hostGlob, "./").test(ref.registry)) return false;
    const path = ref.repository.split("/");
    if (segments.length > path.length) return false;
    return segments.every((g, i) => g.length > 0 && segmentGlob(g, "/").test(path[i]));
}

/** True when any pattern admits the reference. */
export function registryAllowed(ref: ImageReference, patterns: readonly string[]): boolean {
    return patterns.some((p) => registryMatches(ref, p));
}

/**
 * Checks an image string for the digest-pin rules: `undefined` when compliant or not decidable
 * (unknown, or containing the engine's unknown marker), else a sentence describing the problem.
 */
export function digestProblem(image: unknown): string | undefined {
    const s = knownString(image);
    if (s === UNKNOWN || s === undefined) return undefined;
    const parsed = parseImageReference(s);
    if (!parsed.ok) return `image "${s}" is not a valid image reference (${parsed.error}), so it cannot be verified as pinned`;
    if (!isPinnedByDigest(parsed.ref)) return `image "${s}" is not pinned by digest (use name@sha256:<64 hex>; tags move)`;
    return undefined;
}

/** Like {@link digestProblem} for the allowed-registries rules. */
export function registryProblem(image: unknown, allowed: readonly string[]): string | undefined {
    const s = knownString(image);
    if (s === UNKNOWN || s === undefined) return undefined;
    const parsed = parseImageReference(s);
    if (!parsed.ok) return `image "${s}" is not a valid image reference (${parsed.error}), so its registry cannot be checked`;
    if (!registryAllowed(parsed.ref, allowed)) {
        return `image "${s}" comes from "${parsed.ref.registry}/${parsed.ref.repository}", which matches none of the allowed registries [${allowed.join(", ")}]`;
    }
    return undefined;
}

/**
 * A string value, `UNKNOWN` when unknown (or when it embeds the engine's unknown marker, as
 * interpolated strings do at preview), `undefined` when absent or not a string.
 */
export function knownString(v: unknown): Maybe<string> | undefined {
    if (v === UNKNOWN) return UNKNOWN;
    if (typeof v !== "string") return undefined;
    return v.includes(UNKNOWN_STRING) ? UNKNOWN : v;
}

/** True when `v` is a known, non-blank string (a key ARN, an ID). */
export function isSetString(v: unknown): boolean {
    const s = knownString(v);
    return typeof s === "string" && s.trim().length > 0;
}

/** The account ID field of an ARN (`arn:partition:service:region:account:...`), if present. */
export function arnAccount(arn: string): string | undefined {
    const parts = arn.split(":");
    return parts.length >= 6 && parts[0] === "arn" && /^\d{12}$/.test(parts[4]) ? parts[4] : undefined;
}

/**
 * True when the value is known to be missing: absent, blank, or not a string. `false` for a
 * non-blank string and for unknown values (so rules never report an unknown as missing).
 */
export function isKnownMissing(v: unknown): boolean {
    const s = knownString(v);
    if (s === UNKNOWN) return false;
    return !(typeof s === "string" && s.trim().length > 0);
}

/** Resource-rule `onUnknown` text for rules that read one or a few fields. */
export function skipsWhenUnknown(fields: string): string {
    return `Reports nothing when ${fields} is unknown at preview (a value computed from another resource); the rule runs again at update with the resolved value, so an unknown never produces a false violation or a crash.`;
}
