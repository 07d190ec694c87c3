/**
 * A signature found in a registry, in either format, normalised to a sigstore bundle so that one
 * verifier (`@sigstore/verify`) checks both. `binding` checks that the *signed content* names the
 * image being verified (exact digest, and repository where the format records it) — run only
 * after the signature itself verified.
 */
import type { Bundle } from "@sigstore/bundle";
import { RegistryError } from "../errors";

/** Why a signed payload does not bind to the image. */
export interface BindingFailure {
    readonly reason: string;
    /** `replay`: the content names another image (→ `digest-mismatch`); `not-a-signature`: e.g. an attestation (→ `untrusted-signature`). */
    readonly kind: "replay" | "not-a-signature";
}

export interface SignatureCandidate {
    readonly format: "legacy" | "bundle";
    /** Where it came from, for messages: `.sig layer sha256:...` or `referrer sha256:...`. */
    readonly source: string;
    readonly bundle: Bundle;
    /** The signed bytes for a message signature (the legacy simple-signing payload). */
    readonly artifact?: Buffer;
    /** Undefined when the signed content names the image being verified. */
    readonly binding: () => BindingFailure | undefined;
}

/** A signature that could not even be parsed (kept for the denial message). */
export interface CandidateProblem {
    readonly format: "legacy" | "bundle";
    readonly source: string;
    readonly reason: string;
    /** True when the material belongs to another image (a replay), reported as `digest-mismatch`. */
    readonly replay?: boolean;
}

/** What a collector yields, one at a time, so verification can stop at the first trusted signature. */
export type Collected = { readonly candidate: SignatureCandidate } | { readonly problem: CandidateProblem };

/**
 * Whether an error fetching one attachment is that attachment's problem (skip it and look at the
 * next): an error status (a dangling referrer) or malformed content. A registry that lies (bytes
 * beyond the declared size, bytes that do not match the digest), refuses credentials, is
 * unreachable or outlives the deadline fails the verification (fail closed).
 */
export function isAttachmentError(err: unknown): boolean {
    return err instanceof RegistryError && (err.code === "status" || err.code === "malformed");
}
