/**
 * Typed errors of the verification engine. Each error carries a stable `code` (tests and metrics
 * compare codes, never message wording) and an optional `cause`. Messages say what is wrong and
 * how to fix it.
 */

/** Base class: a stable `code` plus the human message. */
export class EngineError<C extends string = string> extends Error {
    readonly code: C;
    constructor(code: C, message: string, options?: { cause?: unknown }) {
        super(message, options);
        this.code = code;
        this.name = new.target.name;
    }
}

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
export class ReferenceParseError extends EngineError<ReferenceErrorCode> {}

/** Codes of {@link PolicyLoadError}. */
export type PolicyErrorCode = "syntax" | "schema" | "key" | "regexp" | "trusted-root" | "io";

/** A trust policy file that cannot be loaded. `path` is the field path, e.g. `policies[0].images[1]`. */
export class PolicyLoadError extends EngineError<PolicyErrorCode> {
    readonly path: string;
    constructor(code: PolicyErrorCode, path: string, message: string, options?: { cause?: unknown }) {
        super(code, path ? `${path}: ${message}` : message, options);
        this.path = path;
    }
}

/** Codes of {@link RegistryError}. */
export type RegistryErrorCode =
    | "unreachable"   // connection refused, DNS, TLS failure
    | "status"        // unexpected HTTP status
    | "unauthorized"  // 401/403 after the auth flow
    | "oversize"      // body larger than the configured bound
    | "too-many"      // more layers/manifests than the configured bound
    | "digest-mismatch" // content does not hash to the digest it was fetched by
    | "malformed"     // not the JSON/media type expected
    | "timeout"       // the caller's deadline passed
    | "insecure";     // plain http to a host not allowed by `insecureRegistries`

/** A registry interaction that failed. `status` is the HTTP status when there was one. */
export class RegistryError extends EngineError<RegistryErrorCode> {
    readonly status?: number;
    constructor(code: RegistryErrorCode, message: string, options?: { cause?: unknown; status?: number }) {
        super(code, message, options);
        this.status = options?.status;
    }
}

/** Renders any thrown value for a message (never `JSON.stringify(err)`, which prints `{}`). */
export function describeError(err: unknown): string {
    if (err instanceof Error) {
        const cause = (err as { cause?: unknown }).cause;
        const causeText = cause instanceof Error && cause.message && !err.message.includes(cause.message)
            ? ` (${cause.message})`
            : "";
        return `${err.message}${causeText}`;
    }
    return String(err);
}
