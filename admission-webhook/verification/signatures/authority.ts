/**
 * Verifies a {@link SignatureCandidate} against one authority of a policy with `@sigstore/verify`.
 * Trust material is built once per (policy, authority) and reused; verification itself is
 * synchronous and pure.
 *
 * - key authority: the bundle must name a public key (not a certificate); the policy's key is the
 *   only key the finder returns, whatever hint the bundle carries. `ignoreTlog: true` sets the
 *   transparency-log and timestamp thresholds to 0, otherwise one verified Rekor entry is required.
 * - keyless authority: the certificate must chain to a Fulcio CA of the trusted root; one SCT
 *   (unless `ignoreSct`), one Rekor entry (unless `ignoreTlog`, then one TSA timestamp) are
 *   required; the issuer and subject are compared by this module (exact, or fully anchored
 *   regex), never through `String.match` with an unanchored string. The leaf must carry
 *   extKeyUsage codeSigning (1.3.6.1.5.5.7.3.3), as cosign requires: `@sigstore/verify` does not
 *   check it, so without this a TLS or other certificate from a trusted CA could sign images.
 */
import { X509Certificate } from "node:crypto";
import { TrustedRoot } from "@sigstore/protobuf-specs";
import { toSignedEntity, toTrustMaterial, Verifier, type Signer, type TrustMaterial } from "@sigstore/verify";
import { describeError } from "../errors";
import type { Authority, CompiledPolicy, IdentityMatcher } from "../policy/types";
import type { SignatureCandidate } from "./candidate";

const EMPTY_ROOT = TrustedRoot.fromJSON({
    mediaType: "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
    tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [],
});

const verifiers = new WeakMap<Authority, Verifier>();

function verifierFor(policy: CompiledPolicy, authority: Authority): Verifier {
    let v = verifiers.get(authority);
    if (v !== undefined) return v;
    const root = policy.trustedRoot ?? EMPTY_ROOT;
    let material: TrustMaterial;
    if (authority.kind === "key") {
        const key = authority.publicKey;
        material = toTrustMaterial(root, () => ({ publicKey: key, validFor: () => true }));
        material = { ...material, certificateAuthorities: [] };
        v = new Verifier(material, { tlogThreshold: authority.ignoreTlog ? 0 : 1, ctlogThreshold: 0, timestampThreshold: authority.ignoreTlog ? 0 : 1 });
    } else {
        material = toTrustMaterial(root, (hint: string) => {
            throw new Error(`a keyless authority does not accept public-key signatures (hint ${JSON.stringify(hint)})`);
        });
        v = new Verifier(material, { tlogThreshold: authority.ignoreTlog ? 0 : 1, ctlogThreshold: authority.ignoreSct ? 0 : 1, timestampThreshold: 1 });
    }
    verifiers.set(authority, v);
    return v;
}

/** Undefined when `candidate` verifies under `authority`; otherwise why not. */
export function verifyWithAuthority(policy: CompiledPolicy, authority: Authority, candidate: SignatureCandidate): string | undefined {
    const keyCase = candidate.bundle.verificationMaterial.content.$case;
    if (authority.kind === "key" && keyCase !== "publicKey") return "signed with a certificate, but the authority is a public key";
    if (authority.kind === "keyless" && keyCase === "publicKey") return "signed with a public key, but the authority is keyless";
    let signer: Signer;
    try {
        signer = verifierFor(policy, authority).verify(toSignedEntity(candidate.bundle, candidate.artifact));
    } catch (err) {
        return describeError(err);
    }
    if (authority.kind === "keyless") {
        let usage: string[];
        try {
            usage = leafExtKeyUsage(candidate);
        } catch (err) {
            return `the signing certificate cannot be read: ${describeError(err)}`;
        }
        if (!usage.includes(CODE_SIGNING)) return `the signing certificate was not issued for code signing (extKeyUsage ${usage.length > 0 ? usage.join(", ") : "absent"}, ${CODE_SIGNING} required)`;
        const issuer = signer.identity?.extensions?.issuer;
        if (!matches(authority.issuer, issuer)) return `certificate issuer ${JSON.stringify(issuer)} does not match ${describeMatcher(authority.issuer)}`;
        const subject = signer.identity?.subjectAlternativeName;
        if (!matches(authority.subject, subject)) return `certificate subject ${JSON.stringify(subject)} does not match ${describeMatcher(authority.subject)}`;
    }
    return undefined;
}

const CODE_SIGNING = "1.3.6.1.5.5.7.3.3";

/** The extKeyUsage OIDs of the bundle's leaf certificate (empty when it has none). */
function leafExtKeyUsage(candidate: SignatureCandidate): string[] {
    const content = candidate.bundle.verificationMaterial.content;
    const raw = content.$case === "certificate" ? content.certificate.rawBytes
        : content.$case === "x509CertificateChain" ? content.x509CertificateChain.certificates[0]?.rawBytes
            : undefined;
    return raw === undefined ? [] : (new X509Certificate(raw).keyUsage ?? []);
}

function matches(m: IdentityMatcher, value: string | undefined): boolean {
    if (value === undefined) return false;
    return m.kind === "exact" ? m.value === value : m.regexp.test(value);
}

function describeMatcher(m: IdentityMatcher): string {
    return m.kind === "exact" ? JSON.stringify(m.value) : `/${m.source}/`;
}
