/**
 * Issue 14 case 3, against the real docker-registry: verification limits bound work but never veto
 * a valid signature. Unrelated attachments, extra signatures and oversize layers that are not
 * needed to prove the image are skipped, not fatal.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPolicy } from "../../../admission-webhook/verification/policy/load";
import type { RegistryRequestEvent } from "../../../admission-webhook/verification/registry/client";
import type { AdmissionSubject } from "../../../admission-webhook/verification/types";
import { ImageVerifier } from "../../../admission-webhook/verification/verify";
import { OCI_MANIFEST, OciPusher, sha256Digest } from "../../../fixtures/admission/oci";
import { keyPolicyDoc, MODEL_NAMESPACE, type KeyPolicyDocOptions } from "../../../fixtures/admission/policy";
import { startRegistry, type RegistryFixture } from "../../../fixtures/admission/registry";
import { addToFallbackIndex, generateTestKey, signBundle, signLegacy } from "../../../fixtures/admission/sign";

const trusted = generateTestKey();
const other = generateTestKey();
let reg: RegistryFixture;
let oci: OciPusher;

beforeAll(async () => {
    reg = await startRegistry();
    oci = new OciPusher(reg);
});
afterAll(async () => {
    await oci?.close();
    await reg?.stop();
});

function verifier(formats: KeyPolicyDocOptions["signatureFormats"]) {
    const requests: RegistryRequestEvent[] = [];
    const v = new ImageVerifier(loadPolicy(keyPolicyDoc({ images: [`${reg.host}/ml/**`], pems: [trusted.publicPem], signatureFormats: formats })), {
        insecureRegistries: [reg.host],
        hooks: { onRegistryRequest: (e) => requests.push(e) },
    });
    return { v, requests };
}

const subject = (image: string): AdmissionSubject => ({ namespace: "models", namespaceLabels: MODEL_NAMESPACE, images: [{ path: "spec.containers[0].image", image }], credentials: [] });
const decide = (v: ImageVerifier, image: string) => v.decide(subject(image), AbortSignal.timeout(20_000));

/** Adds a layer to the image's legacy `.sig` manifest (after the existing ones). */
async function appendSigLayer(repo: string, digest: string, data: Buffer, annotations: Record<string, string>): Promise<void> {
    const tag = `${digest.replace(":", "-")}.sig`;
    const existing = await oci.getManifest(repo, tag);
    const layer = await oci.pushBlob(repo, data, "application/vnd.dev.cosign.simplesigning.v1+json");
    const layers = [...((existing?.json.layers as object[] | undefined) ?? []), { ...layer, annotations }];
    await oci.pushManifest(repo, tag, { ...(existing?.json ?? { schemaVersion: 2, mediaType: OCI_MANIFEST }), layers });
}

/** Pushes an SBOM-like referrer of `digest` (not a signature) and lists it in the fallback index. */
async function attachSbom(repo: string, digest: string, i: number, size = 64): Promise<void> {
    const empty = await oci.pushBlob(repo, "{}", "application/vnd.oci.empty.v1+json");
    const sbom = await oci.pushBlob(repo, Buffer.alloc(size, 0x61 + (i % 26)), "application/spdx+json");
    const body = JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType: "application/spdx+json", config: empty, layers: [sbom], subject: { mediaType: OCI_MANIFEST, size: 0, digest }, annotations: { n: String(i) } });
    const pushed = await oci.pushManifest(repo, sha256Digest(body), body);
    await addToFallbackIndex(oci, repo, digest, { mediaType: OCI_MANIFEST, size: pushed.size, digest: pushed.digest, artifactType: "application/spdx+json" });
}

describe("limits bound work without vetoing a valid signature", () => {
    it("admits an image with 33 legacy signatures (cosign appends one per signing), the trusted one the newest", async () => {
        const img = await oci.pushImage("ml/resigned");
        for (let i = 0; i < 32; i++) await signLegacy(oci, reg.host, "ml/resigned", img.digest, other);
        await signLegacy(oci, reg.host, "ml/resigned", img.digest, trusted);
        const { v, requests } = verifier(["legacy"]);
        expect(await decide(v, img.reference)).toMatchObject({ allowed: true, violations: [] });
        // Newest first: the trusted signature is the first payload fetched, and the only one.
        expect(requests.filter((r) => r.path.includes("/blobs/"))).toHaveLength(1);
        await v.close();
    });

    it("admits an image with 33 legacy signatures all by the trusted key", async () => {
        const img = await oci.pushImage("ml/resigned-same");
        for (let i = 0; i < 33; i++) await signLegacy(oci, reg.host, "ml/resigned-same", img.digest, trusted);
        const { v } = verifier(["legacy"]);
        expect(await decide(v, img.reference)).toMatchObject({ allowed: true, violations: [] });
        await v.close();
    });

    it("admits an image with 1 valid bundle and 32 other attachments (SBOMs) listed before it", async () => {
        const img = await oci.pushImage("ml/attached");
        for (let i = 0; i < 32; i++) await attachSbom("ml/attached", img.digest, i);
        await signBundle(oci, "ml/attached", img.digest, trusted);
        const { v, requests } = verifier(["bundle"]);
        expect(await decide(v, img.reference)).toMatchObject({ allowed: true, violations: [] });
        // The bundle-typed referrer is examined first; no SBOM manifest is fetched.
        expect(requests.filter((r) => /\/manifests\/sha256:/.test(r.path))).toHaveLength(1);
        await v.close();
    });

    it("admits a bundle whose index entry carries the empty config type, behind 32 typed SBOMs", async () => {
        const img = await oci.pushImage("ml/attached-untyped");
        for (let i = 0; i < 32; i++) await attachSbom("ml/attached-untyped", img.digest, i);
        await signBundle(oci, "ml/attached-untyped", img.digest, trusted, { indexArtifactType: "application/vnd.oci.empty.v1+json" });
        const { v } = verifier(["bundle"]);
        expect(await decide(v, img.reference)).toMatchObject({ allowed: true, violations: [] });
        await v.close();
    });

    it("admits a legacy signature manifest that also holds a layer over 1 MiB (skipped, never fetched)", async () => {
        const img = await oci.pushImage("ml/big-layer");
        await signLegacy(oci, reg.host, "ml/big-layer", img.digest, trusted);
        await appendSigLayer("ml/big-layer", img.digest, Buffer.alloc(1536 * 1024, 0x7b), { "dev.cosignproject.cosign/signature": "MEUCIQ==" });
        const { v, requests } = verifier(["legacy"]);
        expect(await decide(v, img.reference)).toMatchObject({ allowed: true, violations: [] });
        expect(requests.filter((r) => r.path.includes("/blobs/"))).toHaveLength(1);
        await v.close();
    });

    it("admits a bundle next to an oversize bundle layer and an SBOM over 1 MiB", async () => {
        const img = await oci.pushImage("ml/big-bundle");
        await attachSbom("ml/big-bundle", img.digest, 0, 1536 * 1024);
        await signBundle(oci, "ml/big-bundle", img.digest, trusted);
        const { v } = verifier(["bundle"]);
        expect(await decide(v, img.reference)).toMatchObject({ allowed: true, violations: [] });
        await v.close();
    });

    it("still denies when only the skipped data could have proven the image, and says what was skipped", async () => {
        const img = await oci.pushImage("ml/only-old");
        await signLegacy(oci, reg.host, "ml/only-old", img.digest, trusted);
        for (let i = 0; i < 32; i++) await signLegacy(oci, reg.host, "ml/only-old", img.digest, other);
        const { v } = verifier(["legacy"]);
        const d = await decide(v, img.reference);
        expect(d.violations.map((x) => x.code)).toEqual(["untrusted-signature"]);
        expect(d.violations[0]!.message).toMatch(/1 older signatures not examined \(at most 32 per image\)/);
        await v.close();
    });
});
