/**
 * The loaded (validated and compiled) form of an `ImageTrustPolicy` file. See
 * `admission-webhook/POLICY.md` for the file format. Clauses: DP-2, DV-1, DV-3, P7, P8.
 */
import type { KeyObject } from "node:crypto";
import type { TrustedRoot } from "@sigstore/protobuf-specs";
import type { ImageGlob } from "./image-glob";
import type { LabelSelector } from "../../../common/label-selector";

/** `enforce` denies on violations; `warn` admits and returns AdmissionReview warnings. */
export type PolicyMode = "enforce" | "warn";
/** Behaviour for an in-scope namespace whose image matches no policy's `images`. */
export type NoMatchBehaviour = "deny" | "allow";
/** Where signatures are looked for: cosign's `.sig` tag (`legacy`) and/or sigstore bundles as OCI referrers (`bundle`). */
export type SignatureFormat = "legacy" | "bundle";

/** An exact string or a fully anchored regular expression. */
export type IdentityMatcher =
    | { readonly kind: "exact"; readonly value: string }
    | { readonly kind: "regexp"; readonly source: string; readonly regexp: RegExp };

/** A public-key authority (cosign `--key`). */
export interface KeyAuthority {
    readonly kind: "key";
    readonly name: string;
    readonly publicKey: KeyObject;
    /** SPKI PEM as written (normalised line endings), part of the policy version. */
    readonly pem: string;
    readonly algorithm: "ecdsa-p256" | "ecdsa-p384" | "ed25519";
    /** When true, no transparency-log entry is required (cosign `--insecure-ignore-tlog`). Default false. */
    readonly ignoreTlog: boolean;
}

/** A keyless (Fulcio certificate) authority: OIDC issuer + certificate subject. */
export interface KeylessAuthority {
    readonly kind: "keyless";
    readonly name: string;
    readonly issuer: IdentityMatcher;
    readonly subject: IdentityMatcher;
    /** When true, no transparency-log entry is required; a TSA timestamp then is. Default false. */
    readonly ignoreTlog: boolean;
    /** When true, no certificate-transparency SCT is required. Default false. */
    readonly ignoreSct: boolean;
}

export type Authority = KeyAuthority | KeylessAuthority;

/** One compiled entry of `policies`. */
export interface CompiledPolicy {
    readonly name: string;
    readonly mode: PolicyMode;
    readonly namespaceSelector: LabelSelector;
    readonly images: readonly ImageGlob[];
    readonly authorities: readonly Authority[];
    /** Sigstore trust root (Fulcio CAs, Rekor/CT log keys, TSAs); required for keyless or tlog checks. */
    readonly trustedRoot?: TrustedRoot;
    readonly signatureFormats: readonly SignatureFormat[];
    /** sha256 over this policy's normalised content: part of every cache key. */
    readonly version: string;
}

/** A loaded trust policy file. */
export interface TrustPolicy {
    readonly noMatch: NoMatchBehaviour;
    readonly policies: readonly CompiledPolicy[];
    /** sha256 over the whole normalised file (the policies' versions and `noMatch`). */
    readonly version: string;
}
