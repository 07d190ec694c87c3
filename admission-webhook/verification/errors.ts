/**
 * Typed errors of the verification engine. Each error carries a stable `code` (tests and metrics
 * compare codes, never message wording) and an optional `cause`. Messages say what is wrong and
 * how to fix it.
 */

import { AiguardError } from "../../common/errors";

export { describeError } from "../../common/errors";
export { ReferenceParseError, type ReferenceErrorCode } from "../../common/image-reference";

/** Base class of the verification engine's errors (the shared {@link AiguardError}). */
export class EngineError<C extends string = string> extends AiguardError<C> {}

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
