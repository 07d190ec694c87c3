import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RegistryError } from "../../../admission-webhook/verification/errors";
import { loadPolicy } from "../../../admission-webhook/verification/policy/load";
import { RegistryClient } from "../../../admission-webhook/verification/registry/client";
import type { AdmissionSubject, RegistryCredential } from "../../../admission-webhook/verification/types";
import { ImageVerifier, type ImageVerifierOptions } from "../../../admission-webhook/verification/verify";
import { startHostileRegistry, type HostileBehaviour } from "../fixtures/hostile";
import { OciPusher } from "../../../fixtures/admission/oci";
import { keyPolicyDoc, MODEL_NAMESPACE } from "../../../fixtures/admission/policy";
import { startRegistry, type RegistryFixture } from "../../../fixtures/admission/registry";
import { generateTestKey, signBundle, signLegacy } from "../../../fixtures/admission/sign";

const key = generateTestKey();
const DIGEST = `sha256:${"d".repeat(64)}`;

function verifierFor(host: string, options: ImageVerifierOptions = {}): ImageVerifier {
    return new ImageVerifier(loadPolicy(keyPolicyDoc({ images: [`${host}/ml/**`], pems: [key.publicPem] })), { insecureRegistries: [host], ...options });
}

function subject(image: string, credentials: RegistryCredential[] = []): AdmissionSubject {
    return { namespace: "models", namespaceLabels: MODEL_NAMESPACE, images: [{ path: "spec.containers[0].image", image }], credentials };
}

async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}

describe("fail closed on registry failures", () => {
    it("denies with registry-error when the registry is down", async () => {
        const host = `127.0.0.1:${await closedPort()}`;
        const errors: string[] = [];
        const v = verifierFor(host, { hooks: { onRegistryError: (e) => errors.push(e.code) } });
        const d = await v.decide(subject(`${host}/ml/model@${DIGEST}`), AbortSignal.timeout(5_000));
        expect(d.allowed).toBe(false);
        expect(d.violations.map((x) => x.code)).toEqual(["registry-error"]);
        expect(d.violations[0]!.message).toContain("fail closed");
        expect(errors).toEqual(["unreachable"]);
        await v.close();
    });

    it("denies with timeout within the deadline when the registry stalls", async () => {
        const hostile = await startHostileRegistry("stall");
        const v = verifierFor(hostile.host);
        const started = Date.now();
        const d = await v.decide(subject(`${hostile.host}/ml/model@${DIGEST}`), AbortSignal.timeout(300));
        const elapsed = Date.now() - started;
        expect(d.violations.map((x) => x.code)).toEqual(["timeout"]);
        expect(elapsed).toBeLessThan(2_000);
        expect(hostile.requests.length).toBeGreaterThan(0);
        await v.close();
        await hostile.stop();
    });

    it.each<[HostileBehaviour, RegExp]>([
        ["huge-manifest", /more than the limit of 4194304 bytes/],
        ["huge-blob", /more than the limit of 1048576 bytes/],
        ["lying-digest", /registry served different bytes/],
        ["error-500", /HTTP 500/],
    ])("bounds a hostile registry (%s) with registry-error", async (behaviour, message) => {
        const hostile = await startHostileRegistry(behaviour);
        const v = verifierFor(hostile.host);
        const heapBefore = process.memoryUsage().heapUsed;
        const d = await v.decide(subject(`${hostile.host}/ml/model@${DIGEST}`), AbortSignal.timeout(10_000));
        expect(d.allowed).toBe(false);
        expect(d.violations.map((x) => x.code)).toEqual(["registry-error"]);
        expect(d.violations[0]!.message).toMatch(message);
        // The stream was cut shortly after the limit: far below the fixture's 64 MiB cap.
        expect(hostile.streamedBytes).toBeLessThan(16 << 20);
        expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 << 20);
        await v.close();
        await hostile.stop();
    });

    it("examines at most 32 of 1000 legacy signatures (newest first) and says so, instead of failing on the count", async () => {
        const hostile = await startHostileRegistry("many-layers");
        const v = verifierFor(hostile.host);
        const d = await v.decide(subject(`${hostile.host}/ml/model@${DIGEST}`), AbortSignal.timeout(10_000));
        expect(d.violations.map((x) => x.code)).toEqual(["untrusted-signature"]);
        expect(d.violations[0]!.message).toMatch(/968 older signatures not examined \(at most 32 per image\)/);
        expect(hostile.requests.filter((p) => p.includes("/blobs/"))).toHaveLength(32);
        await v.close();
        await hostile.stop();
    });

    it("refuses plain http to non-loopback hosts", () => {
        expect(() => new RegistryClient({ insecureRegistries: ["registry.example.com"] })).toThrow(RegistryError);
    });
});

describe("TLS and basic auth", () => {
    let reg: RegistryFixture;
    let oci: OciPusher;
    let image: string;
    let unsignedImage: string;
    const auth = { username: "puller", password: "s3cret-pass" };

    beforeAll(async () => {
        reg = await startRegistry({ tls: true, auth });
        oci = new OciPusher(reg);
        const img = await oci.pushImage("ml/private");
        await signLegacy(oci, reg.host, "ml/private", img.digest, key);
        await signBundle(oci, "ml/private", img.digest, key);
        image = img.reference;
        unsignedImage = (await oci.pushImage("ml/private")).reference;
    });

    afterAll(async () => {
        await oci?.close();
        await reg?.stop();
    });

    const tlsVerifier = (withCa: boolean) => new ImageVerifier(
        loadPolicy(keyPolicyDoc({ images: [`${reg.host}/ml/**`], pems: [key.publicPem] })),
        withCa ? { caCertificates: [reg.caPem!] } : {},
    );

    it("verifies over TLS with the extra CA and the pull credentials", async () => {
        const v = tlsVerifier(true);
        const d = await v.decide(subject(image, [{ registry: `https://${reg.host}`, ...auth }]), AbortSignal.timeout(10_000));
        expect(d).toMatchObject({ allowed: true, violations: [] });
        const unsigned = await v.decide(subject(unsignedImage, [{ registry: reg.host, ...auth }]), AbortSignal.timeout(10_000));
        expect(unsigned.violations.map((x) => x.code)).toEqual(["no-signature"]);
        await v.close();
    });

    it("fails closed without credentials, with wrong credentials, and without the CA", async () => {
        const v = tlsVerifier(true);
        const none = await v.decide(subject(image), AbortSignal.timeout(10_000));
        expect(none.violations.map((x) => x.code)).toEqual(["registry-error"]);
        expect(none.violations[0]!.message).toContain(`add an imagePullSecret for ${reg.host}`);
        const wrong = await v.decide(subject(image, [{ registry: reg.host, username: "puller", password: "nope" }]), AbortSignal.timeout(10_000));
        expect(wrong.violations[0]!.message).toMatch(/rejected the credentials \(401\)/);
        // Credentials for another registry are not sent here.
        const other = await v.decide(subject(image, [{ registry: "ghcr.io", ...auth }]), AbortSignal.timeout(10_000));
        expect(other.violations.map((x) => x.code)).toEqual(["registry-error"]);
        await v.close();
        const noCa = tlsVerifier(false);
        const untrusted = await noCa.decide(subject(image, [{ registry: reg.host, ...auth }]), AbortSignal.timeout(10_000));
        expect(untrusted.violations.map((x) => x.code)).toEqual(["registry-error"]);
        expect(untrusted.violations[0]!.message).toMatch(/cannot reach registry/);
        await noCa.close();
    });
});

describe("bearer token flow", () => {
    it("fetches a token from the realm with basic credentials and retries", async () => {
        const { createServer: createHttp } = await import("node:http");
        const seen: { path: string; auth?: string }[] = [];
        const server = createHttp((req, res) => {
            seen.push({ path: req.url ?? "", auth: req.headers.authorization });
            const port = (server.address() as AddressInfo).port;
            if (req.url?.startsWith("/token")) {
                const expected = `Basic ${Buffer.from("u:p").toString("base64")}`;
                if (req.headers.authorization !== expected) return res.writeHead(401).end();
                return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token: "tok-123", expires_in: 300 }));
            }
            if (req.headers.authorization !== "Bearer tok-123") {
                return res.writeHead(401, { "www-authenticate": `Bearer realm="http://127.0.0.1:${port}/token",service="test-registry",scope="repository:ml/model:pull"` }).end();
            }
            return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ tags: ["a", "b"] }));
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
        const client = new RegistryClient({ insecureRegistries: [host] });
        const ctx = { signal: AbortSignal.timeout(5_000), credentials: [{ registry: host, username: "u", password: "p" }] };
        expect(await client.listTags({ registry: host, repository: "ml/model" }, ctx)).toEqual(["a", "b"]);
        expect(seen.map((s) => s.path)).toEqual(["/v2/ml/model/tags/list", "/token?service=test-registry&scope=repository%3Aml%2Fmodel%3Apull", "/v2/ml/model/tags/list"]);
        // The token is cached: one more request, no new token request.
        await client.listTags({ registry: host, repository: "ml/model" }, ctx);
        expect(seen.length).toBe(4);
        await client.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
    });
});
