import fc from "fast-check";
import { Agent } from "node:https";
import { readFileSync } from "node:fs";
import { X509Certificate } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCa } from "../../../fixtures/admission/certs";
import { loadPinningPolicy } from "./support/deciders";
import { call } from "../../../fixtures/admission/https";
import { podSpec, review, workload } from "../../../fixtures/admission/reviews";
import { eventually, startServer, type Started } from "./support/server";

const ca = makeCa();
const PINNED = "reg.example/serve@sha256:" + "c".repeat(64);
const enforce = { "policy.json": JSON.stringify({ name: "models", mode: "enforce" }) };
const deployment = (image: string) => JSON.stringify(review("Deployment", workload("Deployment", podSpec({ containers: [image] })), { uid: "uid-42" }));

describe("webhook HTTPS server", () => {
    let s: Started;
    beforeAll(async () => {
        s = await startServer(ca, enforce, loadPinningPolicy);
    });
    afterAll(() => s.server.shutdown());
    const get = (path: string) => call(s.server.port, ca.ca, path);

    it("serves health and readiness", async () => {
        expect(await get("/healthz")).toMatchObject({ status: 200, body: "ok\n" });
        expect(await get("/readyz")).toMatchObject({ status: 200, body: "ok\n" });
    });

    it("answers an AdmissionReview and logs one JSON line per decision", async () => {
        const r = await call(s.server.port, ca.ca, "/validate", { body: deployment("reg.example/serve:latest") });
        expect(r.status).toBe(200);
        expect(r.headers["content-type"]).toBe("application/json");
        expect(JSON.parse(r.body)).toEqual({
            apiVersion: "admission.k8s.io/v1",
            kind: "AdmissionReview",
            response: {
                uid: "uid-42",
                allowed: false,
                status: {
                    code: 403,
                    reason: "Forbidden",
                    message: "aiguard denied Deployment models/model-server (policy models): 1 image failed verification: spec.template.spec.containers[0].image: reg.example/serve:latest: pin the image by digest (name@sha256:...)",
                },
            },
        });
        const line = s.logs.find((l) => l["msg"] === "admission decision" && l["uid"] === "uid-42");
        expect(line).toMatchObject({
            level: 30,
            uid: "uid-42",
            kind: "Deployment",
            operation: "CREATE",
            namespace: "models",
            name: "model-server",
            allowed: false,
            result: "denied",
            reason: "not-pinned",
            reasons: [{ path: "spec.template.spec.containers[0].image", image: "reg.example/serve:latest", code: "not-pinned" }],
            policy: "models",
        });
        expect(typeof line?.["latencyMs"]).toBe("number");
    });

    it("exposes Prometheus metrics for decisions, latency, policy and bad requests", async () => {
        await call(s.server.port, ca.ca, "/validate", { body: deployment(PINNED) });
        const m = await get("/metrics");
        expect(m.status).toBe(200);
        expect(m.headers["content-type"]).toContain("text/plain");
        expect(m.body).toContain('aiguard_webhook_decisions_total{result="denied",reason="not-pinned"} 1');
        expect(m.body).toContain('aiguard_webhook_decisions_total{result="allowed",reason="verified"} 1');
        expect(m.body).toContain('aiguard_webhook_image_violations_total{code="not-pinned",mode="enforce"} 1');
        expect(m.body).toMatch(/aiguard_webhook_request_duration_seconds_count\{result="allowed"\} 1/);
        expect(m.body).toContain("aiguard_webhook_policy_reloads_total 1");
        expect(m.body).toContain("aiguard_webhook_policy_load_errors_total 0");
        expect(m.body).toContain("aiguard_webhook_policy_loaded 1");
        for (const name of ["cache_hits_total", "registry_errors_total", "certificate_reloads_total", "bad_requests_total", "process_resident_memory_bytes"]) {
            expect(m.body).toContain(`# TYPE aiguard_webhook_${name}`);
        }
    });

    it("rejects malformed reviews with 400 and a message, wrong routes with 404/405, wrong media type with 415", async () => {
        const bad = await call(s.server.port, ca.ca, "/validate", { body: '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":7}}' });
        expect(bad).toMatchObject({ status: 400, body: "malformed AdmissionReview: request.uid must be a string\n" });
        expect(await call(s.server.port, ca.ca, "/validate", { body: "{oops" })).toMatchObject({ status: 400 });
        expect(await get("/mutate")).toMatchObject({ status: 404 });
        expect(await get("/validate")).toMatchObject({ status: 405, headers: { allow: "POST" } });
        expect(await call(s.server.port, ca.ca, "/validate", { body: deployment(PINNED), contentType: "text/plain" })).toMatchObject({
            status: 415,
            body: "Content-Type must be application/json (got text/plain)\n",
        });
        expect((await get("/metrics")).body).toContain('aiguard_webhook_bad_requests_total{status="400"} 2');
    });

    it("rejects a body over 3 MiB with 413", async () => {
        const big = Buffer.alloc(4 * 1024 * 1024, 0x20);
        const r = await call(s.server.port, ca.ca, "/validate", { body: big });
        expect(r).toMatchObject({ status: 413, body: `request body exceeds ${3 * 1024 * 1024} bytes\n` });
    });

    it("does not speak TLS below 1.2", async () => {
        const { connect } = await import("node:tls");
        const err = await new Promise<Error | undefined>((resolve) => {
            const sock = connect({ host: "127.0.0.1", port: s.server.port, ca: ca.ca, servername: "localhost", maxVersion: "TLSv1.1", minVersion: "TLSv1" }, () => resolve(undefined));
            sock.on("error", resolve);
        });
        expect(err).toBeInstanceOf(Error);
    });

    it("property: arbitrary bodies get a well-formed AdmissionReview answer or a 4xx, and the server stays up", async () => {
        const agent = new Agent({ keepAlive: true, maxSockets: 4 });
        const valid = JSON.parse(deployment(PINNED)) as Record<string, unknown>;
        const bodies = fc.oneof(
            fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)),
            fc.jsonValue().map((v) => JSON.stringify(v) ?? "null"),
            fc.tuple(fc.constantFrom("uid", "kind", "resource", "operation", "object", "namespace", "subResource"), fc.jsonValue()).map(([k, v]) =>
                JSON.stringify({ ...valid, request: { ...(valid["request"] as object), [k]: v } }),
            ),
        );
        await fc.assert(
            fc.asyncProperty(bodies, async (body) => {
                const r = await call(s.server.port, ca.ca, "/validate", { body, agent });
                if (r.status === 200) {
                    const out = JSON.parse(r.body) as { apiVersion: string; kind: string; response: { uid: unknown; allowed: unknown; status?: { code: unknown; message: unknown } } };
                    expect(out.apiVersion).toBe("admission.k8s.io/v1");
                    expect(out.kind).toBe("AdmissionReview");
                    expect(typeof out.response.uid).toBe("string");
                    expect(typeof out.response.allowed).toBe("boolean");
                    if (out.response.allowed === false) expect(typeof out.response.status?.message).toBe("string");
                } else {
                    expect(r.status).toBeGreaterThanOrEqual(400);
                    expect(r.status).toBeLessThan(500);
                    expect(r.body.length).toBeGreaterThan(1);
                }
            }),
            { numRuns: 300 },
        );
        agent.destroy();
        expect((await get("/healthz")).status).toBe(200);
    });
});

describe("reloads without restart", () => {
    it("serves a new certificate on new connections after the Secret volume is updated", async () => {
        const s = await startServer(ca, enforce, loadPinningPolicy);
        try {
            const first = await call(s.server.port, ca.ca, "/healthz");
            const next = ca.issue("rotated");
            const want = new X509Certificate(readFileSync(next.certFile)).fingerprint256;
            expect(first.cert.fingerprint256).not.toBe(want);
            s.tls.update({ "tls.crt": readFileSync(next.certFile), "tls.key": readFileSync(next.keyFile) });
            await eventually(async () => (await call(s.server.port, ca.ca, "/healthz")).cert.fingerprint256 === want);
            expect((await call(s.server.port, ca.ca, "/metrics")).body).toContain('aiguard_webhook_certificate_reloads_total{result="success"} 1');
            // A broken pair is refused and the working certificate stays.
            s.tls.update({ "tls.crt": readFileSync(next.certFile), "tls.key": readFileSync(ca.issue("other").keyFile) });
            await eventually(async () => (await call(s.server.port, ca.ca, "/metrics")).body.includes('aiguard_webhook_certificate_reloads_total{result="failure"} 1'));
            expect((await call(s.server.port, ca.ca, "/healthz")).cert.fingerprint256).toBe(want);
        } finally {
            await s.server.shutdown();
        }
    });

    it("reloads the policy on a kubelet ..data swap and keeps the last good policy when the new one is bad", async () => {
        const s = await startServer(ca, enforce, loadPinningPolicy);
        const decide = async () => JSON.parse((await call(s.server.port, ca.ca, "/validate", { body: deployment("busybox") })).body).response as { allowed: boolean; warnings?: string[] };
        try {
            expect((await decide()).allowed).toBe(false);
            s.policy.update({ "policy.json": JSON.stringify({ name: "audit", mode: "warn" }) });
            await eventually(async () => (await decide()).allowed);
            expect((await decide()).warnings).toEqual(["aiguard (warn, policy audit): spec.template.spec.containers[0].image: busybox: pin the image by digest (name@sha256:...)"]);
            s.policy.update({ "policy.json": "{ not json" });
            await eventually(async () => (await call(s.server.port, ca.ca, "/metrics")).body.includes("aiguard_webhook_policy_load_errors_total 1"));
            expect((await decide()).allowed).toBe(true);
            expect((await call(s.server.port, ca.ca, "/readyz")).status).toBe(200);
            expect(s.logs.some((l) => l["msg"] === "trust policy rejected; keeping the last good policy" && l["kept"] === "audit (warn)")).toBe(true);
            expect((await call(s.server.port, ca.ca, "/metrics")).body).toContain("aiguard_webhook_policy_reloads_total 2");
        } finally {
            await s.server.shutdown();
        }
    });

    it("is not ready and denies checked requests while no policy has ever loaded", async () => {
        const s = await startServer(ca, { "policy.json": "{}" }, loadPinningPolicy);
        try {
            expect(await call(s.server.port, ca.ca, "/readyz")).toMatchObject({ status: 503, body: "no trust policy loaded\n" });
            const r = JSON.parse((await call(s.server.port, ca.ca, "/validate", { body: deployment(PINNED) })).body);
            expect(r.response).toMatchObject({ allowed: false, status: { code: 403 } });
            expect(r.response.status.message).toContain("no trust policy loaded");
            s.policy.update(enforce);
            await eventually(async () => (await call(s.server.port, ca.ca, "/readyz")).status === 200);
        } finally {
            await s.server.shutdown();
        }
    });
});

describe("graceful shutdown", () => {
    it("stops accepting, reports not ready, and finishes in-flight decisions", async () => {
        const s = await startServer(ca, { "policy.json": JSON.stringify({ name: "slow", mode: "enforce", delayMs: 600 }) }, loadPinningPolicy);
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        const inflight = call(s.server.port, ca.ca, "/validate", { body: deployment(PINNED), agent });
        await new Promise((r) => setTimeout(r, 150));
        const done = s.server.shutdown();
        expect(s.server.ready).toBe(false);
        await expect(call(s.server.port, ca.ca, "/healthz")).rejects.toThrow(/ECONNREFUSED/);
        const r = await inflight;
        expect(r.status).toBe(200);
        expect(r.headers["connection"]).toBe("close");
        expect(JSON.parse(r.body).response.allowed).toBe(true);
        await done;
        agent.destroy();
    });

    it("closes in-flight connections once the grace period ends", async () => {
        const s = await startServer(ca, { "policy.json": JSON.stringify({ name: "stuck", mode: "enforce", delayMs: 5_000 }) }, loadPinningPolicy, { shutdownGraceMs: 200 });
        const inflight = call(s.server.port, ca.ca, "/validate", { body: deployment(PINNED) });
        await new Promise((r) => setTimeout(r, 100));
        const t0 = Date.now();
        await s.server.shutdown();
        expect(Date.now() - t0).toBeLessThan(1_500);
        await expect(inflight).rejects.toThrow(/socket hang up|ECONNRESET/);
        expect(s.logs.some((l) => l["msg"] === "shutdown grace expired; closing in-flight connections")).toBe(true);
    });
});
