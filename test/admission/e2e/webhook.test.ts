/**
 * The real webhook server + real verification engine + real docker-registry on 127.0.0.1 + the
 * Kubernetes API (namespace labels, service accounts) over HTTPS: what the API server would get back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTestKey, signLegacy } from "../../../fixtures/admission/sign";
import { call } from "../../../fixtures/admission/https";
import { startE2e, type E2e } from "../server/support/e2e";
import { KINDS, podSpec, review, workload, type KindName } from "../../../fixtures/admission/reviews";

let e: E2e;
let good: { reference: string; digest: string };
const stranger = generateTestKey();

beforeAll(async () => {
    e = await startE2e();
    good = await e.signed("llm");
});
afterAll(() => e?.stop());

describe("signed, digest-pinned images are admitted for every workload kind", () => {
    for (const kind of Object.keys(KINDS) as KindName[]) {
        it(kind, async () => {
            const r = await e.validate(review(kind, workload(kind, podSpec({ containers: [good.reference], initContainers: [good.reference], volumes: [good.reference] })), { uid: `ok-${kind}` }));
            expect(r).toEqual({ uid: `ok-${kind}`, allowed: true, status: { code: 200, message: "every image verified by policy models" } });
        });
    }

    it("counts cache hits for repeated images", async () => {
        const text = await e.metrics.registry.metrics();
        const hits = Number(/aiguard_webhook_cache_hits_total (\d+)/.exec(text)?.[1]);
        // Each request verifies its distinct image once: the first Pod fetches, the 7 other kinds hit the cache.
        expect(hits).toBe(7);
        expect(text).toContain('aiguard_webhook_decisions_total{result="allowed",reason="verified"} 8');
    });
});

describe("denials name the field path, the image and the fix", () => {
    const denial = async (kind: KindName, spec: ReturnType<typeof podSpec>, opts: Parameters<typeof review>[2] = {}, meta = {}) => {
        const r = await e.validate(review(kind, workload(kind, spec, meta), opts));
        expect(r.allowed).toBe(false);
        expect(r.status?.code).toBe(403);
        return r.status!.message;
    };

    it("unsigned image → no-signature", async () => {
        const img = await e.oci.pushImage("ml/unsigned");
        const msg = await denial("Pod", podSpec({ containers: [img.reference] }));
        expect(msg).toMatch(new RegExp(`^aiguard denied Pod models/model-server \\(policy models\\): 1 image failed verification: spec\\.containers\\[0\\]\\.image: ${esc(img.reference)}: `));
        expect(msg.toLowerCase()).toContain("sign");
    });

    it("signed with a key the policy does not trust → untrusted signature", async () => {
        const img = await e.signed("wrongkey", stranger);
        const msg = await denial("Deployment", podSpec({ containers: [img.reference] }));
        expect(msg).toContain(`spec.template.spec.containers[0].image: ${img.reference}: `);
        expect(await lastReason()).toBe("untrusted-signature");
    });

    it("a signature replayed from another image → digest mismatch", async () => {
        const img = await e.oci.pushImage("ml/replayed");
        await signLegacy(e.oci, e.reg.host, "ml/replayed", img.digest, e.key, { payloadDigest: good.digest });
        const msg = await denial("StatefulSet", podSpec({ containers: [img.reference] }));
        expect(msg).toContain(`spec.template.spec.containers[0].image: ${img.reference}: `);
        expect(await lastReason()).toBe("digest-mismatch");
    });

    it("tag-only reference → not pinned, with the pinned form to use", async () => {
        const tagged = `${e.reg.host}/ml/llm:v1`;
        const msg = await denial("Job", podSpec({ containers: [tagged] }));
        expect(msg).toContain(`spec.template.spec.containers[0].image: ${tagged}: `);
        expect(msg).toContain("@sha256:");
        expect(await lastReason()).toBe("not-pinned");
    });

    it("image from a registry the policy does not allow → image-not-allowed", async () => {
        const foreign = `docker.io/library/busybox@${good.digest}`;
        const msg = await denial("CronJob", podSpec({ containers: [good.reference, foreign] }));
        expect(msg).toContain(`1 image failed verification: spec.jobTemplate.spec.template.spec.containers[1].image: ${foreign}: `);
        expect(await lastReason()).toBe("image-not-allowed");
    });

    it("an unsigned init container denies a Deployment with signed main containers", async () => {
        const img = await e.oci.pushImage("ml/init");
        const msg = await denial("Deployment", podSpec({ containers: [good.reference], initContainers: [img.reference] }));
        expect(msg).toContain(`1 image failed verification: spec.template.spec.initContainers[0].image: ${img.reference}: `);
    });

    it("an unsigned ephemeral (debug) container added through pods/ephemeralcontainers is denied", async () => {
        const debug = await e.oci.pushImage("ml/debug");
        const old = workload("Pod", podSpec({ containers: [good.reference] }));
        const msg = await denial("Pod", podSpec({ containers: [good.reference], ephemeralContainers: [debug.reference] }), { operation: "UPDATE", subResource: "ephemeralcontainers", oldObject: old });
        expect(msg).toContain(`1 image failed verification: spec.ephemeralContainers[0].image: ${debug.reference}: `);
    });

    it("an object carrying deletionTimestamp is still checked on UPDATE", async () => {
        const img = await e.oci.pushImage("ml/terminating");
        const msg = await denial("Pod", podSpec({ containers: [img.reference] }), { operation: "UPDATE" }, { deletionTimestamp: "2026-11-22T00:00:00Z" });
        expect(msg).toContain(`spec.containers[0].image: ${img.reference}: `);
    });

    it("an unsigned image volume (model weights) is denied", async () => {
        const weights = await e.oci.pushImage("ml/weights");
        const msg = await denial("DaemonSet", podSpec({ containers: [good.reference], volumes: [weights.reference] }));
        expect(msg).toContain(`spec.template.spec.volumes[0].image.reference: ${weights.reference}: `);
    });

    it("lists every failing image in one message", async () => {
        const a = await e.oci.pushImage("ml/a");
        const msg = await denial("ReplicaSet", podSpec({ containers: [a.reference, `${e.reg.host}/ml/llm:latest`] }));
        expect(msg).toContain("2 images failed verification: ");
        expect(msg).toContain(`spec.template.spec.containers[0].image: ${a.reference}: `);
        expect(msg).toContain(`; spec.template.spec.containers[1].image: ${e.reg.host}/ml/llm:latest: `);
    });
});

describe("scope and requests that carry no new image", () => {
    it("a namespace no policy selects is admitted without verification", async () => {
        const r = await e.validate(review("Pod", workload("Pod", podSpec({ containers: ["busybox"] }), { namespace: "sandbox" }), { namespace: "sandbox" }));
        expect(r).toMatchObject({ allowed: true, status: { message: "no aiguard policy applies to this namespace" } });
    });

    it("DELETE and scale are admitted", async () => {
        expect((await e.validate(review("Pod", null, { operation: "DELETE", oldObject: workload("Pod", podSpec({ containers: ["busybox"] })) }))).allowed).toBe(true);
        expect((await e.validate(review("Deployment", { apiVersion: "autoscaling/v1", kind: "Scale", spec: { replicas: 2 } }, { operation: "UPDATE", subResource: "scale" }))).allowed).toBe(true);
    });

    it("a namespace the API does not know is denied (fail closed)", async () => {
        const r = await e.validate(review("Pod", workload("Pod", podSpec({ containers: [good.reference] }), { namespace: "ghost" }), { namespace: "ghost" }));
        expect(r).toMatchObject({ allowed: false, status: { code: 403 } });
        expect(r.status?.message).toBe("aiguard denies by default (fail closed): namespace ghost not found");
    });

    it("a malformed review is answered with 400", async () => {
        const r = await call(e.web.server.port, e.ca.ca, "/validate", { body: JSON.stringify({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request: { uid: "x" } }) });
        expect(r).toMatchObject({ status: 400, body: "malformed AdmissionReview: request.kind must be an object\n" });
    });
});

async function lastReason(): Promise<string | undefined> {
    const line = [...e.web.logs].reverse().find((l) => l["msg"] === "admission decision");
    return line?.["reason"] as string | undefined;
}

function esc(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
