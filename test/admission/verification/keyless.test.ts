/**
 * Keyless (Fulcio certificate) authorities end to end, offline: a self-made Fulcio CA and RFC 3161
 * TSA (fixtures/keyless.ts), a trusted_root.json naming them, cosign-v3-style bundles pushed as
 * referrers (tag fallback) to a real docker-registry, verified by the engine through
 * @sigstore/verify with `ignoreTlog: true` (a TSA timestamp is then required) and `ignoreSct: true`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPolicy } from "../../../admission-webhook/verification/policy/load";
import { ImageVerifier } from "../../../admission-webhook/verification/verify";
import {
    FakeFulcio, FakeTsa, GITHUB_ISSUER, GITHUB_SUBJECT, keylessPolicyDoc, keylessTrustedRoot, signKeyless,
    type FulcioLeaf, type KeylessPolicyDocOptions, type KeylessSignOptions,
} from "../fixtures/keyless";
import { OciPusher } from "../../../fixtures/admission/oci";
import { startRegistry, type RegistryFixture } from "../../../fixtures/admission/registry";

let reg: RegistryFixture;
let oci: OciPusher;
let fulcio: FakeFulcio;
let otherFulcio: FakeFulcio;
let tsa: FakeTsa;
let otherTsa: FakeTsa;
let trustedRoot: Record<string, unknown>;
let images = 0;

const EXACT = { issuer: GITHUB_ISSUER, subject: GITHUB_SUBJECT };
const RELEASE_REGEXP = "^https://github\\.com/acme/models/\\.github/workflows/release\\.yml@refs/(heads/main|tags/v[0-9.]+)$";

beforeAll(async () => {
    reg = await startRegistry();
    oci = new OciPusher(reg);
    fulcio = new FakeFulcio("fulcio");
    otherFulcio = new FakeFulcio("rogue-ca");
    tsa = new FakeTsa();
    otherTsa = new FakeTsa();
    trustedRoot = keylessTrustedRoot(fulcio, tsa);
});

afterAll(async () => {
    await oci?.close();
    await reg?.stop();
    for (const pki of [fulcio, otherFulcio, tsa, otherTsa]) pki?.cleanup();
});

/** Pushes a fresh image, signs it with `leaf` (timestamped by the trusted TSA unless overridden) and verifies it under `identity`. */
async function verifySigned(
    leaf: FulcioLeaf | undefined,
    identity: KeylessPolicyDocOptions["identity"] = EXACT,
    sign: KeylessSignOptions = { tsa },
): Promise<{ allowed: boolean; code?: string; message?: string }> {
    const repo = `ml/keyless-${++images}`;
    const img = await oci.pushImage(repo);
    if (leaf !== undefined) await signKeyless(oci, repo, img.digest, leaf, sign);
    const v = new ImageVerifier(loadPolicy(keylessPolicyDoc({ images: [`${reg.host}/ml/**`], trustedRoot, identity })), { insecureRegistries: [reg.host] });
    try {
        const r = await v.verifyImage(img.reference, { signal: AbortSignal.timeout(10_000) });
        expect(r.policies).toEqual(["models"]);
        const [violation] = r.violations;
        return { allowed: r.allowed, ...(violation !== undefined ? { code: violation.code, message: violation.message } : {}) };
    } finally {
        await v.close();
    }
}

describe("keyless signatures from the trusted CA, timestamped by the trusted TSA, are admitted", () => {
    it("accepts an exact issuer and subject", async () => {
        expect(await verifySigned(fulcio.issue())).toEqual({ allowed: true });
    });

    it("accepts anchored regexps for issuer and subject", async () => {
        const leaf = fulcio.issue({ subject: "https://github.com/acme/models/.github/workflows/release.yml@refs/tags/v1.2.0" });
        const identity = { issuerRegExp: "^https://token\\.actions\\.githubusercontent\\.com$", subjectRegExp: RELEASE_REGEXP };
        expect(await verifySigned(leaf, identity)).toEqual({ allowed: true });
    });

    it.each(["v1", "v2"] as const)("reads the OIDC issuer from the %s extension alone", async (issuerExtension) => {
        expect(await verifySigned(fulcio.issue({ issuerExtension }))).toEqual({ allowed: true });
    });
});

describe("keyless signatures that must not be trusted are denied", () => {
    it("rejects a certificate for another subject", async () => {
        const r = await verifySigned(fulcio.issue({ subject: "https://github.com/mallory/models/.github/workflows/release.yml@refs/heads/main" }));
        expect(r).toMatchObject({ allowed: false, code: "untrusted-signature" });
        expect(r.message).toContain('certificate subject "https://github.com/mallory/models/.github/workflows/release.yml@refs/heads/main" does not match');
    });

    it("rejects a certificate from another OIDC issuer", async () => {
        const r = await verifySigned(fulcio.issue({ issuer: "https://accounts.example.com" }));
        expect(r).toMatchObject({ allowed: false, code: "untrusted-signature" });
        expect(r.message).toContain('certificate issuer "https://accounts.example.com" does not match');
    });

    it.each([
        ["an extra suffix (exact subject)", `${GITHUB_SUBJECT}-evil`, EXACT],
        ["an extra suffix (anchored regexp)", `${GITHUB_SUBJECT}-evil`, { issuer: GITHUB_ISSUER, subjectRegExp: RELEASE_REGEXP }],
        ["an extra prefix (anchored regexp)", `https://evil.example/?${GITHUB_SUBJECT}`, { issuer: GITHUB_ISSUER, subjectRegExp: RELEASE_REGEXP }],
        // `^A|B$` unwrapped would accept anything that starts with A or ends with B.
        ["an alternation escaping the anchors", `${GITHUB_SUBJECT}.attacker.example`, { issuer: GITHUB_ISSUER, subjectRegExp: `^${GITHUB_SUBJECT.replace(/[.]/g, "\\.")}|https://github\\.com/acme/models/x$` }],
        ["an issuer regexp matched only as a prefix", GITHUB_SUBJECT, { issuerRegExp: "^https://token\\.actions\\.githubusercontent\\.com$", subject: GITHUB_SUBJECT }, "https://token.actions.githubusercontent.com.evil.example"],
    ])("rejects a look-alike identity: %s", async (_what, subject, identity, issuer = GITHUB_ISSUER) => {
        const r = await verifySigned(fulcio.issue({ subject, issuer }), identity);
        expect(r).toMatchObject({ allowed: false, code: "untrusted-signature" });
        expect(r.message).toMatch(/certificate (subject|issuer) ".*" does not match/);
    });

    it("rejects a leaf issued by a CA that is not in the trusted root, even with the right identity", async () => {
        const r = await verifySigned(otherFulcio.issue());
        expect(r).toMatchObject({ allowed: false, code: "untrusted-signature" });
        expect(r.message).toContain("Failed to verify certificate chain (no valid certificate path found)");
    });

    it("rejects a leaf from the trusted CA that is not for code signing (extKeyUsage serverAuth)", async () => {
        const r = await verifySigned(fulcio.issue({ extendedKeyUsage: "serverAuth" }));
        expect(r).toMatchObject({ allowed: false, code: "untrusted-signature" });
        expect(r.message).toContain("not issued for code signing");
    });

    it.each([
        ["expired", -20, -10],
        ["not yet valid", 10, 20],
    ])("rejects a signature timestamped while the leaf was %s", async (_what, fromMin, toMin) => {
        const leaf = fulcio.issue({ notBefore: new Date(Date.now() + fromMin * 60_000), notAfter: new Date(Date.now() + toMin * 60_000) });
        const r = await verifySigned(leaf);
        expect(r).toMatchObject({ allowed: false, code: "untrusted-signature" });
        expect(r.message).toContain("Failed to verify certificate chain (certificate is not valid or expired at the specified date)");
    });

    it("rejects a signature without a timestamp (ignoreTlog: true requires one)", async () => {
        const r = await verifySigned(fulcio.issue(), EXACT, {});
        expect(r).toMatchObject({ allowed: false, code: "untrusted-signature" });
        expect(r.message).toContain("expected 1 timestamps, got 0");
    });

    it("rejects a timestamp from a TSA that is not in the trusted root", async () => {
        const r = await verifySigned(fulcio.issue(), EXACT, { tsa: otherTsa });
        expect(r).toMatchObject({ allowed: false, code: "untrusted-signature" });
        expect(r.message).toContain("timestamp could not be verified");
    });

    it("rejects a trusted timestamp lifted from another signature", async () => {
        const r = await verifySigned(fulcio.issue(), EXACT, { tsa, timestampedData: Buffer.from("another signature") });
        expect(r).toMatchObject({ allowed: false, code: "untrusted-signature" });
        expect(r.message).toContain("timestamp could not be verified");
    });

    it("rejects a statement altered after signing", async () => {
        const forged = JSON.stringify({ _type: "https://in-toto.io/Statement/v1", subject: [{ digest: { sha256: "0".repeat(64) } }], predicateType: "https://sigstore.dev/cosign/sign/v1", predicate: {} });
        const r = await verifySigned(fulcio.issue(), EXACT, { tsa, tamperedStatement: forged });
        expect(r).toMatchObject({ allowed: false, code: "untrusted-signature" });
        expect(r.message).toContain("signature verification failed");
    });

    it("reports a valid keyless signature of another image's digest as digest-mismatch", async () => {
        const other = await oci.pushImage("ml/keyless-other");
        const r = await verifySigned(fulcio.issue(), EXACT, { tsa, statementDigest: other.digest });
        expect(r).toMatchObject({ allowed: false, code: "digest-mismatch" });
        expect(r.message).toContain(`the signed statement names ${other.digest}`);
    });

    it("denies an unsigned image as no-signature", async () => {
        expect(await verifySigned(undefined)).toMatchObject({ allowed: false, code: "no-signature" });
    });
});
