/**
 * The contract between the admission webhook's HTTP side (`../server`) and its verification engine
 * (this folder). The engine is pure with respect to HTTP: it gets images with their field paths,
 * the namespace facts and registry credentials, and returns a decision. All registry I/O goes
 * through the engine's own Distribution-v2 client, bounded by the caller's deadline.
 */

/** One image reference found in an object, with where it was found. */
export interface ImageAtPath {
    /** JSON field path as users read it, e.g. `spec.template.spec.initContainers[0].image`. */
    readonly path: string;
    /** The reference exactly as written in the object. */
    readonly image: string;
}

/** Credentials for one registry host (from imagePullSecrets / service-account pull secrets). */
export interface RegistryCredential {
    /** Registry host as in a docker config (`ghcr.io`, `127.0.0.1:5000`, `https://index.docker.io/v1/`). */
    readonly registry: string;
    readonly username?: string;
    readonly password?: string;
    /** A bearer/identity token, when the docker config carries one. */
    readonly identityToken?: string;
}

/** What the engine is asked to decide for one admission request. */
export interface AdmissionSubject {
    readonly namespace: string;
    /** Labels of the namespace (for the policy's namespace selector). */
    readonly namespaceLabels: Readonly<Record<string, string>>;
    /** Every image in the object, with its path. */
    readonly images: readonly ImageAtPath[];
    /** Pull credentials, most specific first. */
    readonly credentials: readonly RegistryCredential[];
}

/** Why an image failed. Stable codes for metrics and tests; the message is for people. */
export type ViolationCode =
    | "not-pinned"          // tag-only reference
    | "invalid-reference"   // cannot parse
    | "image-not-allowed"   // matched no image pattern of the applicable policy
    | "no-signature"        // no signature found in either format
    | "untrusted-signature" // signatures exist but none verifies against the policy's authorities
    | "digest-mismatch"     // signed payload names another digest/repository (replay)
    | "registry-error"      // registry unreachable, error status, oversize or malformed data
    | "timeout"             // deadline passed
    | "policy-error";       // the trust policy could not be applied

export interface ImageViolation {
    readonly path: string;
    readonly image: string;
    readonly code: ViolationCode;
    /** What went wrong, and how to fix it (one or two sentences). */
    readonly message: string;
}

export interface AdmissionDecision {
    /** `false` when any violation is from an `enforce` policy (or fail-closed error). */
    readonly allowed: boolean;
    /** Violations from `enforce` policies (deny). */
    readonly violations: readonly ImageViolation[];
    /** Violations from `warn` policies, returned as AdmissionReview warnings. */
    readonly warnings: readonly ImageViolation[];
    /** Name of the policy that applied, or undefined when the namespace is out of scope. */
    readonly policy?: string;
    /** For metrics: how many distinct verifications came from the cache. */
    readonly cacheHits: number;
    /** Verifications that failed on registry I/O, by registry error code (absent when none did). */
    readonly registryErrors?: Readonly<Record<string, number>>;
}
