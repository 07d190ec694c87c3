import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPolicy } from "../../../admission-webhook/verification/policy/load";
import type { RegistryRequestEvent } from "../../../admission-webhook/verification/registry/client";
import type { AdmissionSubject } from "../../../admission-webhook/verification/types";
import { ImageVerifier, type ImageVerifierOptions } from "../../../admission-webhook/verification/verify";
import { cosignGenerateKeyPair, cosignSign, cosignVerify } from "../fixtures/cosign";
import { OciPusher } from "../../../fixtures/admission/oci";
import { keyPolicyDoc, MODEL_NAMESPACE, type KeyPolicyDocOptions } from "../../../fixtures/admission/policy";
import { startRegistry, type RegistryFixture } from "../../../fixtures/admission/registry";
import { generateTestKey, signBundle, signLegacy, type TestKey } from "../../../fixtures/admission/sign";

let reg: RegistryFixture;
let oci: OciPusher;
let key: TestKey;
let otherKey: TestKey;
let cosignDir: string;
let cosignPub: string;
let cosignKey: string;

beforeAll(async () => {
    reg = await startRegistry();
    oci = new OciPusher(reg);
    key = generateTestKey();
    otherKey = generateTestKey();
    cosignDir = mkdtempSync(join(tmpdir(), "aiguard-cosign-"));
    ({ key: cosignKey, pub: cosignPub } = await cosignGenerateKeyPair(cosignDir));
});

afterAll(async () => {
    await oci?.close();
    await reg?.stop();
});

function verifier(options: Partial<KeyPolicyDocOptions> = {}, extra: ImageVerifierOptions = {}): { v: ImageVerifier; requests: RegistryRequestEvent[] } {
    const requests: RegistryRequestEvent[] = [];
    const policy = loadPolicy(keyPolicyDoc({ images: [`${reg.host}/ml/**`], pems: [key.publicPem], ...options }));
    const v = new ImageVerifier(policy, { insecureRegistries: [reg.host], ...extra, hooks: { ...extra.hooks, onRegistryRequest: (e) => requests.push(e) } });
    return { v, requests };
}

function subject(images: string[], labels: Record<string, string> = MODEL_NAMESPACE): AdmissionSubject {
    return { namespace: "models", namespaceLabels: labels, images: images.map((image, i) => ({ path: `spec.containers[${i}].image`, image })), credentials: [] };
}

const deadline = () => AbortSignal.timeout(10_000);

describe("signed images are admitted", () => {
    it("accepts our legacy signature (legacy format only)", async () => {
        const img = await oci.pushImage("ml/legacy");
        await signLegacy(oci, reg.host, "ml/legacy", img.digest, key);
        const { v } = verifier({ signatureFormats: ["legacy"] });
        const d = await v.decide(subject([img.reference]), deadline());
        expect(d).toEqual({ allowed: true, violations: [], warnings: [], policy: "models", cacheHits: 0 });
        await v.close();
    });

    it("accepts our sigstore bundle referrer (bundle format only)", async () => {
        const img = await oci.pushImage("ml/bundle");
        await signBundle(oci, "ml/bundle", img.digest, key);
        const { v } = verifier({ signatureFormats: ["bundle"] });
        expect((await v.decide(subject([img.reference]), deadline())).violations).toEqual([]);
        await v.close();
    });

    it("accepts a bundle whose fallback-index entry carries the config media type as artifactType", async () => {
        const img = await oci.pushImage("ml/bundle-empty-type");
        await signBundle(oci, "ml/bundle-empty-type", img.digest, key, { indexArtifactType: "application/vnd.oci.empty.v1+json" });
        const { v } = verifier({ signatureFormats: ["bundle"] });
        expect((await v.decide(subject([img.reference]), deadline())).allowed).toBe(true);
        await v.close();
    });

    it.each(["legacy", "bundle"] as const)("accepts a signature made by the real cosign CLI (%s format)", async (format) => {
        const repo = `ml/cosign-${format}`;
        const img = await oci.pushImage(repo);
        const signed = await cosignSign(reg, img.reference, cosignKey, format, cosignDir);
        expect(signed.code, signed.stderr).toBe(0);
        const policy = loadPolicy(keyPolicyDoc({ images: [`${reg.host}/ml/**`], pems: [readFileSync(cosignPub, "utf8")], signatureFormats: [format] }));
        const v = new ImageVerifier(policy, { insecureRegistries: [reg.host] });
        expect(await v.decide(subject([img.reference]), deadline())).toMatchObject({ allowed: true, violations: [] });
        // The other format alone finds nothing: the engine really read the format it was asked for.
        const other = new ImageVerifier(loadPolicy(keyPolicyDoc({ images: [`${reg.host}/ml/**`], pems: [readFileSync(cosignPub, "utf8")], signatureFormats: [format === "legacy" ? "bundle" : "legacy"] })), { insecureRegistries: [reg.host] });
        expect((await other.decide(subject([img.reference]), deadline())).violations.map((x) => x.code)).toEqual(["no-signature"]);
        await v.close();
        await other.close();
    });
});

describe("cosign accepts what our signers write", () => {
    it.each(["legacy", "bundle"] as const)("cosign verify --key accepts our %s signature", async (format) => {
        const repo = `ml/ours-for-cosign-${format}`;
        const img = await oci.pushImage(repo);
        const cosignPubKey = readFileSync(cosignPub, "utf8");
        expect(cosignPubKey).toContain("BEGIN PUBLIC KEY");
        const pubPath = join(cosignDir, `ours-${format}.pub`);
        writeFileSync(pubPath, key.publicPem);
        if (format === "legacy") await signLegacy(oci, reg.host, repo, img.digest, key);
        else await signBundle(oci, repo, img.digest, key);
        const ok = await cosignVerify(reg, img.reference, pubPath, format, cosignDir);
        expect(ok.code, ok.stderr).toBe(0);
        const wrongPath = join(cosignDir, `other-${format}.pub`);
        writeFileSync(wrongPath, otherKey.publicPem);
        expect((await cosignVerify(reg, img.reference, wrongPath, format, cosignDir)).code).not.toBe(0);
    });
});

describe("denials", () => {
    it("denies an unsigned image with no-signature and the signing hint", async () => {
        const img = await oci.pushImage("ml/unsigned");
        const { v } = verifier();
        const d = await v.decide(subject([img.reference]), deadline());
        expect(d.allowed).toBe(false);
        expect(d.violations).toHaveLength(1);
        expect(d.violations[0]).toMatchObject({ path: "spec.containers[0].image", image: img.reference, code: "no-signature" });
        expect(d.violations[0]!.message).toContain(`cosign sign --key cosign.key ${reg.host}/ml/unsigned@${img.digest}`);
        await v.close();
    });

    it.each(["legacy", "bundle"] as const)("denies a %s signature by another key with untrusted-signature", async (format) => {
        const repo = `ml/wrong-key-${format}`;
        const img = await oci.pushImage(repo);
        if (format === "legacy") await signLegacy(oci, reg.host, repo, img.digest, otherKey);
        else await signBundle(oci, repo, img.digest, otherKey);
        const { v } = verifier();
        const d = await v.decide(subject([img.reference]), deadline());
        expect(d.violations.map((x) => x.code)).toEqual(["untrusted-signature"]);
        await v.close();
    });

    it("denies a legacy .sig manifest replayed from another digest", async () => {
        const signedImg = await oci.pushImage("ml/replay");
        const target = await oci.pushImage("ml/replay");
        await signLegacy(oci, reg.host, "ml/replay", signedImg.digest, key);
        await oci.copyManifest("ml/replay", `${signedImg.digest.replace(":", "-")}.sig`, `${target.digest.replace(":", "-")}.sig`);
        const { v } = verifier();
        expect((await v.decide(subject([signedImg.reference]), deadline())).allowed).toBe(true);
        const d = await v.decide(subject([target.reference]), deadline());
        expect(d.violations.map((x) => x.code)).toEqual(["digest-mismatch"]);
        expect(d.violations[0]!.message).toContain(`made for digest ${signedImg.digest}`);
        await v.close();
    });

    it("denies a legacy signature whose payload names another repository", async () => {
        const img = await oci.pushImage("ml/repo-a");
        await signLegacy(oci, reg.host, "ml/repo-a", img.digest, key, { dockerReference: `${reg.host}/ml/repo-b` });
        const { v } = verifier();
        expect((await v.decide(subject([img.reference]), deadline())).violations.map((x) => x.code)).toEqual(["digest-mismatch"]);
        await v.close();
    });

    it("denies a bundle fallback index replayed from another digest, and a bundle naming another digest", async () => {
        const signedImg = await oci.pushImage("ml/replay-bundle");
        const copied = await oci.pushImage("ml/replay-bundle");
        const forged = await oci.pushImage("ml/replay-bundle");
        await signBundle(oci, "ml/replay-bundle", signedImg.digest, key);
        await oci.copyManifest("ml/replay-bundle", signedImg.digest.replace(":", "-"), copied.digest.replace(":", "-"));
        await signBundle(oci, "ml/replay-bundle", forged.digest, key, { statementDigest: signedImg.digest });
        const { v } = verifier({ signatureFormats: ["bundle"] });
        expect((await v.decide(subject([copied.reference]), deadline())).violations.map((x) => x.code)).toEqual(["digest-mismatch"]);
        const d = await v.decide(subject([forged.reference]), deadline());
        expect(d.violations.map((x) => x.code)).toEqual(["digest-mismatch"]);
        expect(d.violations[0]!.message).toContain(`names ${signedImg.digest}`);
        await v.close();
    });

    it("does not count an attestation (other predicate type) as a signature", async () => {
        const img = await oci.pushImage("ml/attested");
        await signBundle(oci, "ml/attested", img.digest, key, { predicateType: "https://slsa.dev/provenance/v1" });
        const { v } = verifier({ signatureFormats: ["bundle"] });
        const d = await v.decide(subject([img.reference]), deadline());
        expect(d.violations.map((x) => x.code)).toEqual(["untrusted-signature"]);
        expect(d.violations[0]!.message).toContain("attestations are not signatures");
        await v.close();
    });

    it("does not accept a key-signed bundle for a keyless authority", async () => {
        const img = await oci.pushImage("ml/keyless");
        await signBundle(oci, "ml/keyless", img.digest, key);
        const dir = mkdtempSync(join(tmpdir(), "aiguard-ca-"));
        execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj", "/CN=test-fulcio", "-keyout", join(dir, "ca.key"), "-out", join(dir, "ca.pem")], { stdio: "pipe" });
        const der = execFileSync("openssl", ["x509", "-in", join(dir, "ca.pem"), "-outform", "DER"]).toString("base64");
        const doc = keyPolicyDoc({ images: [`${reg.host}/ml/**`], pems: [] }) as { policies: Record<string, unknown>[] };
        doc.policies[0]!.authorities = [{ name: "ci", keyless: { issuer: "https://token.actions.githubusercontent.com", subjectRegExp: "^https://github\\.com/acme/.*$", ignoreTlog: true, ignoreSct: true } }];
        doc.policies[0]!.trustedRoot = {
            mediaType: "application/vnd.dev.sigstore.trustedroot+json;version=0.1", tlogs: [], ctlogs: [],
            certificateAuthorities: [{ subject: { organization: "t", commonName: "t" }, uri: "https://fulcio.test", certChain: { certificates: [{ rawBytes: der }] }, validFor: { start: "2020-01-01T00:00:00Z" } }],
            timestampAuthorities: [{ subject: { organization: "t", commonName: "t" }, uri: "https://tsa.test", certChain: { certificates: [{ rawBytes: der }] }, validFor: { start: "2020-01-01T00:00:00Z" } }],
        };
        const v = new ImageVerifier(loadPolicy(doc), { insecureRegistries: [reg.host] });
        const d = await v.decide(subject([img.reference]), deadline());
        expect(d.violations.map((x) => x.code)).toEqual(["untrusted-signature"]);
        expect(d.violations[0]!.message).toContain("signed with a public key, but the authority is keyless");
        await v.close();
    });

    it("denies tag-only references with not-pinned before any registry request", async () => {
        const { v, requests } = verifier();
        const d = await v.decide(subject([`${reg.host}/ml/model:v1`]), deadline());
        expect(d.violations).toEqual([{
            path: "spec.containers[0].image",
            image: `${reg.host}/ml/model:v1`,
            code: "not-pinned",
            message: `${reg.host}/ml/model:v1 is not pinned by digest (tags can move; policy models): pin it by digest as \`${reg.host}/ml/model@sha256:<digest>\` (find the digest with \`crane digest ${reg.host}/ml/model:v1\`)`,
        }]);
        expect(requests).toEqual([]);
        await v.close();
    });

    it("verifies a tag+digest reference by its digest; the tag is not resolved", async () => {
        const signed = await oci.pushImage("ml/tagged");
        await oci.pushImage("ml/tagged", "moved");
        await signLegacy(oci, reg.host, "ml/tagged", signed.digest, key);
        const { v, requests } = verifier();
        const d = await v.decide(subject([`${reg.host}/ml/tagged:moved@${signed.digest}`]), deadline());
        expect(d.allowed).toBe(true);
        expect(requests.some((r) => r.path.endsWith("/manifests/moved"))).toBe(false);
        await v.close();
    });

    it("reports invalid references", async () => {
        const { v } = verifier();
        const d = await v.decide(subject(["ghcr.io/Acme/model"]), deadline());
        expect(d.violations.map((x) => x.code)).toEqual(["invalid-reference"]);
        await v.close();
    });
});

describe("scope and noMatch", () => {
    it("denies images matching no policy with noMatch: deny, without registry requests", async () => {
        const { v, requests } = verifier({ noMatch: "deny" });
        const d = await v.decide(subject([`ghcr.io/other/model@sha256:${"c".repeat(64)}`]), deadline());
        expect(d.violations.map((x) => x.code)).toEqual(["image-not-allowed"]);
        expect(requests).toEqual([]);
        await v.close();
    });

    it("admits images matching no policy with noMatch: allow", async () => {
        const { v } = verifier({ noMatch: "allow" });
        expect(await v.decide(subject([`ghcr.io/other/model@sha256:${"c".repeat(64)}`]), deadline())).toEqual({ allowed: true, violations: [], warnings: [], policy: "models", cacheHits: 0 });
        await v.close();
    });

    it("admits everything in namespaces no policy selects, with no policy named", async () => {
        const { v, requests } = verifier();
        expect(await v.decide(subject([`${reg.host}/ml/model:latest`], { team: "web" }), deadline())).toEqual({ allowed: true, violations: [], warnings: [], cacheHits: 0 });
        expect(requests).toEqual([]);
        await v.close();
    });

    it("turns violations of a warn policy into warnings", async () => {
        const img = await oci.pushImage("ml/warned");
        const { v } = verifier({ mode: "warn" });
        const d = await v.decide(subject([img.reference, `${reg.host}/ml/warned:v1`]), deadline());
        expect(d.allowed).toBe(true);
        expect(d.violations).toEqual([]);
        expect(d.warnings.map((w) => [w.path, w.code])).toEqual([["spec.containers[1].image", "not-pinned"], ["spec.containers[0].image", "no-signature"]]);
        await v.close();
    });
});

describe("cache and single-flight", () => {
    it("verifies each distinct image once per request and answers repeats from the cache", async () => {
        const img = await oci.pushImage("ml/cached");
        await signLegacy(oci, reg.host, "ml/cached", img.digest, key);
        const hits: string[] = [];
        const { v, requests } = verifier({}, { hooks: { onCacheHit: (e) => hits.push(e.image) } });
        const first = await v.decide(subject([img.reference, img.reference, `${img.reference.replace("@", ":v9@")}`]), deadline());
        expect(first).toMatchObject({ allowed: true, cacheHits: 0 });
        expect(requests.filter((r) => r.path.endsWith(".sig")).length).toBe(1);
        const count = requests.length;
        const second = await v.decide(subject([img.reference]), deadline());
        expect(second.cacheHits).toBe(1);
        expect(requests.length).toBe(count);
        expect(hits).toEqual([`${reg.host}/ml/cached@${img.digest}`]);
        await v.close();
    });

    it("shares one verification among concurrent requests (single-flight) and counts registry requests", async () => {
        const img = await oci.pushImage("ml/flight");
        await signBundle(oci, "ml/flight", img.digest, key);
        const one = verifier();
        await one.v.decide(subject([img.reference]), deadline());
        const perVerification = one.requests.length;
        expect(perVerification).toBeGreaterThan(0);
        await one.v.close();

        const many = verifier();
        const decisions = await Promise.all(Array.from({ length: 8 }, () => many.v.decide(subject([img.reference]), deadline())));
        expect(decisions.every((d) => d.allowed)).toBe(true);
        expect(many.requests.length).toBe(perVerification);
        const again = await many.v.decide(subject([img.reference]), deadline());
        expect(again.cacheHits).toBe(1);
        expect(many.requests.length).toBe(perVerification);
        await many.v.close();
    });

    it("re-verifies after the positive TTL and does not cache registry errors", async () => {
        const img = await oci.pushImage("ml/ttl");
        await signLegacy(oci, reg.host, "ml/ttl", img.digest, key);
        let now = 1_000_000;
        const { v, requests } = verifier({}, { cache: { positiveTtlMs: 1_000, now: () => now } });
        await v.decide(subject([img.reference]), deadline());
        const n = requests.length;
        expect((await v.decide(subject([img.reference]), deadline())).cacheHits).toBe(1);
        now += 1_001;
        expect((await v.decide(subject([img.reference]), deadline())).cacheHits).toBe(0);
        expect(requests.length).toBe(2 * n);
        await v.close();
    });
});
