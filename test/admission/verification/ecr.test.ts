/**
 * ECR credentials end to end: a real registry (TLS, htpasswd user `AWS`) standing in for an ECR
 * registry, a fake ECR API speaking the real protocol, and the real AWS SDK with static test
 * credentials from the environment (the default credential chain, as on EKS with Pod Identity).
 */
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadPolicy } from "../../../admission-webhook/verification/policy/load";
import { EcrCredentialSource, parseEcrHost, type EcrCredentialOptions, type EcrHostMatcher } from "../../../admission-webhook/verification/registry/ecr";
import type { AdmissionSubject, RegistryCredential } from "../../../admission-webhook/verification/types";
import { ImageVerifier } from "../../../admission-webhook/verification/verify";
import { GET_AUTHORIZATION_TOKEN_TARGET, startFakeEcr, type FakeEcr } from "../fixtures/fake-ecr";
import { OciPusher } from "../../../fixtures/admission/oci";
import { keyPolicyDoc, MODEL_NAMESPACE } from "../../../fixtures/admission/policy";
import { startRegistry, type RegistryFixture } from "../../../fixtures/admission/registry";
import { generateTestKey, signLegacy } from "../../../fixtures/admission/sign";

// The SDK's default chain finds these first; no shared files, no instance metadata.
Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: "AKIDAIGUARDTEST00001",
    AWS_SECRET_ACCESS_KEY: "aiguard-test-secret-key",
    AWS_REGION: "eu-west-2",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_CONFIG_FILE: "/nonexistent/aws-config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
});
delete process.env.AWS_SESSION_TOKEN;
delete process.env.AWS_PROFILE;

const HOUR = 3600_000;
const PASSWORD = `ecr-password-${Math.random().toString(36).slice(2)}`;
const ECR = { account: "123456789012", region: "eu-west-2", fips: false };
const key = generateTestKey();

let reg: RegistryFixture;
let oci: OciPusher;
let ecr: FakeEcr;
let clock = Date.now();
let signed: string[];
let unsigned: string;
let matcher: EcrHostMatcher;

beforeAll(async () => {
    reg = await startRegistry({ tls: true, auth: { username: "AWS", password: PASSWORD } });
    oci = new OciPusher(reg);
    ecr = await startFakeEcr({ password: PASSWORD, now: () => clock });
    signed = [];
    for (const repo of ["ml/llm", "ml/embedder", "ml/reranker"]) {
        const img = await oci.pushImage(repo);
        await signLegacy(oci, reg.host, repo, img.digest, key);
        signed.push(img.reference);
    }
    unsigned = (await oci.pushImage("ml/unsigned")).reference;
    // Test seam: the registry's loopback host stands for an ECR registry; every other host uses the production matcher.
    matcher = (host) => (host === reg.host ? ECR : parseEcrHost(host));
});

afterAll(async () => {
    await oci?.close();
    await reg?.stop();
    await ecr?.stop();
});

beforeEach(() => {
    ecr.calls.length = 0;
    ecr.mode = "ok";
    ecr.delayMs = 0;
    clock = Date.now();
});

function source(extra: Partial<EcrCredentialOptions> = {}): EcrCredentialSource {
    return new EcrCredentialSource({ endpoint: ecr.url, matchHost: matcher, now: () => clock, ...extra });
}

function verifier(src: EcrCredentialSource, errors: string[] = []): ImageVerifier {
    return new ImageVerifier(loadPolicy(keyPolicyDoc({ images: [`${reg.host}/ml/**`], pems: [key.publicPem] })), {
        caCertificates: [reg.caPem!],
        ecr: src,
        // No verdict caching: every decision goes to the registry, so token reuse is what is measured.
        cache: { positiveTtlMs: 0, negativeTtlMs: 0 },
        hooks: { onRegistryError: (e) => errors.push(e.code) },
    });
}

function subject(images: string[], credentials: RegistryCredential[] = []): AdmissionSubject {
    return { namespace: "models", namespaceLabels: MODEL_NAMESPACE, images: images.map((image, i) => ({ path: `spec.containers[${i}].image`, image })), credentials };
}

const deadline = (ms = 10_000) => AbortSignal.timeout(ms);

async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}

describe("ECR credentials from the webhook's AWS identity", () => {
    it("verifies a signed image in the ECR registry with a SigV4-signed GetAuthorizationToken", async () => {
        const src = source();
        const v = verifier(src);
        expect(await v.decide(subject([signed[0]!]), deadline())).toMatchObject({ allowed: true, violations: [] });
        // Authenticated, so the missing signature is what denies the unsigned image.
        expect((await v.decide(subject([unsigned]), deadline())).violations.map((x) => x.code)).toEqual(["no-signature"]);
        expect(ecr.calls).toHaveLength(1);
        const call = ecr.calls[0]!;
        expect(call).toMatchObject({ method: "POST", path: "/", target: GET_AUTHORIZATION_TOKEN_TARGET, contentType: "application/x-amz-json-1.1", body: "{}" });
        expect(call.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDAIGUARDTEST00001\/\d{8}\/eu-west-2\/ecr\/aws4_request, SignedHeaders=[a-z0-9;-]*x-amz-target[a-z0-9;-]*, Signature=[0-9a-f]{64}$/);
        expect(call.amzDate).toMatch(/^\d{8}T\d{6}Z$/);
        await v.close();
        await src.close();
    });

    it("caches the token: one API call for many decisions, one for concurrent ones", async () => {
        const src = source();
        const v = verifier(src);
        for (let i = 0; i < 5; i++) expect((await v.decide(subject([signed[i % 3]!]), deadline())).allowed).toBe(true);
        expect(ecr.calls).toHaveLength(1);
        await src.close();

        ecr.calls.length = 0;
        ecr.delayMs = 200;
        const fresh = source();
        const w = verifier(fresh);
        const decisions = await Promise.all([w.decide(subject(signed), deadline()), w.decide(subject([signed[0]!]), deadline()), w.decide(subject([signed[2]!]), deadline())]);
        expect(decisions.map((d) => d.allowed)).toEqual([true, true, true]);
        expect(ecr.calls).toHaveLength(1);
        await Promise.all([v.close(), w.close(), fresh.close()]);
    });

    it("refreshes the token one hour before it expires", async () => {
        const src = source();
        const v = verifier(src);
        expect((await v.decide(subject([signed[0]!]), deadline())).allowed).toBe(true);
        clock += 11 * HOUR - 1000;
        expect((await v.decide(subject([signed[0]!]), deadline())).allowed).toBe(true);
        expect(ecr.calls).toHaveLength(1);
        clock += 2000;
        expect((await v.decide(subject([signed[0]!]), deadline())).allowed).toBe(true);
        expect(ecr.calls).toHaveLength(2);
        await v.close();
        await src.close();
    });

    it("keeps using a still-valid token when a refresh fails, and denies once it has expired", async () => {
        const src = source();
        const v = verifier(src);
        expect((await v.decide(subject([signed[0]!]), deadline())).allowed).toBe(true);
        ecr.mode = "denied";
        clock += 11.5 * HOUR;
        expect((await v.decide(subject([signed[0]!]), deadline())).allowed).toBe(true);
        expect(ecr.calls).toHaveLength(2);
        clock += 0.5 * HOUR;
        const d = await v.decide(subject([signed[0]!]), deadline());
        expect(d.violations.map((x) => x.code)).toEqual(["registry-error"]);
        await v.close();
        await src.close();
    });

    it("denies with the IAM fix when ECR answers AccessDenied, and does not cache the failure", async () => {
        ecr.mode = "denied";
        const src = source();
        const errors: string[] = [];
        const v = verifier(src, errors);
        const d = await v.decide(subject([signed[0]!]), deadline());
        expect(d.allowed).toBe(false);
        expect(d.violations.map((x) => x.code)).toEqual(["registry-error"]);
        const message = d.violations[0]!.message;
        expect(message).toContain("AccessDeniedException");
        expect(message).toContain(`cannot get Amazon ECR credentials for ${reg.host} (account 123456789012, eu-west-2)`);
        expect(message).toContain("grant ecr:GetAuthorizationToken");
        expect(message).toContain("ecr:BatchGetImage, ecr:GetDownloadUrlForLayer");
        expect(message).toContain("fail closed");
        // One API call for the whole decision (both signature formats), and the failure is reused briefly...
        expect(errors).toEqual(["unauthorized"]);
        expect(ecr.calls).toHaveLength(1);
        ecr.mode = "ok";
        expect((await v.decide(subject([signed[0]!]), deadline())).allowed).toBe(false);
        expect(ecr.calls).toHaveLength(1);
        // ...but not cached: a second later the fixed permissions take effect.
        clock += 1001;
        expect((await v.decide(subject([signed[0]!]), deadline())).allowed).toBe(true);
        expect(ecr.calls).toHaveLength(2);
        await v.close();
        await src.close();
    });

    it("denies within the deadline when the ECR API hangs, and recovers once the API answers", async () => {
        ecr.mode = "hang";
        const src = source({ apiTimeoutMs: 1500 });
        const v = verifier(src);
        const started = Date.now();
        const d = await v.decide(subject([signed[0]!]), deadline(600));
        expect(Date.now() - started).toBeLessThan(1400);
        expect(d.allowed).toBe(false);
        expect(d.violations.map((x) => x.code)).toEqual(["timeout"]);
        ecr.mode = "ok";
        // The hung call ends at apiTimeoutMs; the next decision gets a fresh token.
        await new Promise((resolve) => setTimeout(resolve, 1200));
        clock += 1001;
        expect((await v.decide(subject([signed[0]!]), deadline())).allowed).toBe(true);
        await v.close();
        await src.close();
    });

    it("denies with registry-error when the ECR API is unreachable", async () => {
        const src = source({ endpoint: `http://127.0.0.1:${await closedPort()}` });
        const errors: string[] = [];
        const v = verifier(src, errors);
        const d = await v.decide(subject([signed[0]!]), deadline());
        expect(d.violations.map((x) => x.code)).toEqual(["registry-error"]);
        expect(d.violations[0]!.message).toContain("cannot reach the ECR API");
        expect(errors).toEqual(["unreachable"]);
        await v.close();
        await src.close();
    });

    it("uses pull-secret credentials for the host instead of ECR", async () => {
        const src = source();
        const v = verifier(src);
        expect((await v.decide(subject([signed[0]!], [{ registry: reg.host, username: "AWS", password: PASSWORD }]), deadline())).allowed).toBe(true);
        // A wrong pull secret is not rescued by ECR: the explicit credentials are the ones used.
        const wrong = await v.decide(subject([signed[1]!], [{ registry: reg.host, username: "AWS", password: "stale" }]), deadline());
        expect(wrong.violations[0]!.message).toContain("rejected the credentials (401): check the imagePullSecret");
        expect(ecr.calls).toHaveLength(0);
        await v.close();
        await src.close();
    });

    it("makes no ECR call with --ecr-credentials off, and says how to turn it on", async () => {
        const src = source({ mode: "off" });
        const v = verifier(src);
        const d = await v.decide(subject([signed[0]!]), deadline());
        expect(d.violations.map((x) => x.code)).toEqual(["registry-error"]);
        expect(d.violations[0]!.message).toContain(`add an imagePullSecret for ${reg.host} (or run the webhook with --ecr-credentials auto)`);
        expect(ecr.calls).toHaveLength(0);
        await v.close();
        await src.close();
    });

    it("makes no ECR call for hosts the production matcher rejects", async () => {
        const src = source({ matchHost: parseEcrHost });
        const v = verifier(src);
        const d = await v.decide(subject([signed[0]!]), deadline());
        expect(d.violations[0]!.message).toContain(`requires credentials and none were given: add an imagePullSecret for ${reg.host}`);
        expect(ecr.calls).toHaveLength(0);
        await v.close();
        await src.close();
    });
});

describe("registry denials of the webhook's AWS identity", () => {
    let server: Server;
    let host: string;
    beforeAll(async () => {
        // ECR answers 403 when the token is valid but the role may not read the repository.
        server = createHttpServer((req, res) => {
            if (req.headers.authorization === undefined) return res.writeHead(401, { "www-authenticate": 'Basic realm="https://fake-ecr",service="ecr.amazonaws.com"' }).end();
            res.writeHead(403, { "content-type": "application/json" }).end('{"errors":[{"code":"DENIED","message":"not authorized to perform: ecr:BatchGetImage"}]}');
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it("names the missing repository permissions on a 403", async () => {
        const src = new EcrCredentialSource({ endpoint: ecr.url, matchHost: (h) => (h === host ? ECR : undefined), now: () => clock });
        const v = new ImageVerifier(loadPolicy(keyPolicyDoc({ images: [`${host}/ml/**`], pems: [key.publicPem] })), { insecureRegistries: [host], ecr: src });
        const d = await v.decide(subject([`${host}/ml/llm@sha256:${"a".repeat(64)}`]), deadline());
        expect(d.violations.map((x) => x.code)).toEqual(["registry-error"]);
        expect(d.violations[0]!.message).toContain(`${host} denied ml/llm to the webhook's AWS identity (403): grant ecr:GetAuthorizationToken`);
        expect(ecr.calls).toHaveLength(1);
        await v.close();
        await src.close();
    });
});
