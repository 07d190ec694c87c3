import { describe, expect, it } from "vitest";
import type { AdmissionDecision } from "../../../admission-webhook/verification/types";
import { AdmissionController, fromDecision, type Decider } from "../../../admission-webhook/server/admit";
import { ClusterError, StaticClusterFacts, type ClusterFacts } from "../../../admission-webhook/server/cluster/facts";
import { parseAdmissionReview } from "../../../admission-webhook/server/http/review";
import { PinningDecider } from "./support/deciders";
import { podSpec, review, workload } from "../../../fixtures/admission/reviews";

const PINNED = "reg.example/serve@sha256:" + "b".repeat(64);
const req = (images: Parameters<typeof podSpec>[0]) => parseAdmissionReview(review("Deployment", workload("Deployment", podSpec(images)), { uid: "uid-1" }));
const facts = new StaticClusterFacts({ team: "ml" }, [{ registry: "reg.example", username: "u", password: "p" }]);
const controller = (decider: Decider | undefined, f: ClusterFacts = facts, deadlineMs = 2_000) => new AdmissionController({ facts: f, decider: () => decider, deadlineMs });

describe("AdmissionController", () => {
    it("passes images with paths, namespace labels and credentials to the decider and allows a clean object", async () => {
        const d = new PinningDecider({ name: "models", mode: "enforce" });
        const out = await controller(d).admit(req({ containers: [PINNED] }));
        expect(d.subjects).toEqual([
            {
                namespace: "models",
                namespaceLabels: { team: "ml" },
                images: [{ path: "spec.template.spec.containers[0].image", image: PINNED }],
                credentials: [{ registry: "reg.example", username: "u", password: "p" }],
            },
        ]);
        expect(out).toMatchObject({ result: "allowed", reason: "verified", response: { uid: "uid-1", allowed: true, status: { code: 200, message: "every image verified by policy models" } } });
    });

    it("denies with 403 and lists every failing image as `<path>: <image>: <reason and fix>`", async () => {
        const out = await controller(new PinningDecider({ name: "models", mode: "enforce" })).admit(req({ containers: [PINNED, "reg.example/side:1"], initContainers: ["busybox"] }));
        expect(out.result).toBe("denied");
        expect(out.reason).toBe("not-pinned");
        expect(out.response).toEqual({
            uid: "uid-1",
            allowed: false,
            status: {
                code: 403,
                reason: "Forbidden",
                message:
                    "aiguard denied Deployment models/model-server (policy models): 2 images failed verification: " +
                    "spec.template.spec.containers[1].image: reg.example/side:1: pin the image by digest (name@sha256:...); " +
                    "spec.template.spec.initContainers[0].image: busybox: pin the image by digest (name@sha256:...)",
            },
        });
    });

    it("warn mode admits with one AdmissionReview warning per image", async () => {
        const out = await controller(new PinningDecider({ name: "audit", mode: "warn" })).admit(req({ containers: ["busybox"] }));
        expect(out.result).toBe("warned");
        expect(out.response).toMatchObject({
            allowed: true,
            warnings: ["aiguard (warn, policy audit): spec.template.spec.containers[0].image: busybox: pin the image by digest (name@sha256:...)"],
        });
    });

    it("denies (timeout, fail closed) when the decision outlives the deadline, and aborts the decider", async () => {
        let aborted = false;
        const slow: Decider = {
            decide: (_s, signal) =>
                new Promise((_r, reject) => {
                    signal.addEventListener("abort", () => {
                        aborted = true;
                        reject(new Error("aborted"));
                    });
                }),
        };
        const t0 = Date.now();
        const out = await controller(slow, facts, 150).admit(req({ containers: [PINNED] }));
        expect(Date.now() - t0).toBeLessThan(1_000);
        expect(aborted).toBe(true);
        expect(out).toMatchObject({ result: "error", reason: "timeout", response: { allowed: false, status: { code: 403 } } });
        expect(out.response.status?.message).toBe(
            "aiguard could not verify the images within 150 ms and denies by default (fail closed); retry, and check the registry's and the Kubernetes API's latency",
        );
    });

    it("denies when the decider throws, with the error's message (never {})", async () => {
        const out = await controller({ decide: async () => Promise.reject(new TypeError("bad state")) }).admit(req({ containers: [PINNED] }));
        expect(out).toMatchObject({ result: "error", reason: "internal-error" });
        expect(out.response.status?.message).toBe("aiguard failed while checking images and denies by default (fail closed): bad state");
    });

    it("denies when the cluster cannot be read", async () => {
        const broken: ClusterFacts = { namespaceLabels: async () => Promise.reject(new ClusterError("the Kubernetes API failed to read namespace models (HTTP 500)")), pullCredentials: facts.pullCredentials.bind(facts) };
        const out = await controller(new PinningDecider({ name: "p", mode: "enforce" }), broken).admit(req({ containers: [PINNED] }));
        expect(out).toMatchObject({ result: "error", reason: "cluster-error" });
        expect(out.response.status?.message).toBe("aiguard denies by default (fail closed): the Kubernetes API failed to read namespace models (HTTP 500)");
    });

    it("denies every checked request when no policy is loaded, but still allows DELETE", async () => {
        const c = controller(undefined);
        expect(await c.admit(req({ containers: [PINNED] }))).toMatchObject({ result: "error", reason: "no-policy", response: { allowed: false } });
        const del = parseAdmissionReview(review("Pod", null, { operation: "DELETE" }));
        expect(await c.admit(del)).toMatchObject({ result: "allowed", reason: "skipped", response: { allowed: true } });
    });

    it("denies a malformed pod spec without calling the decider", async () => {
        const d = new PinningDecider({ name: "p", mode: "enforce" });
        const bad = parseAdmissionReview(review("Pod", { apiVersion: "v1", kind: "Pod", metadata: { name: "x" }, spec: { containers: [{ name: "a" }] } }));
        const out = await controller(d).admit(bad);
        expect(out).toMatchObject({ result: "denied", reason: "malformed-object", response: { allowed: false, status: { code: 403 } } });
        expect(out.response.status?.message).toBe("aiguard denied Pod models/x: spec.containers[0].image is missing or not a string; every container must name a digest-pinned image");
        expect(d.subjects).toEqual([]);
    });

    it("a decision with violations denies even if the engine said allowed", () => {
        const d: AdmissionDecision = { allowed: true, violations: [{ path: "p", image: "i", code: "no-signature", message: "m" }], warnings: [], cacheHits: 2 };
        expect(fromDecision(req({ containers: ["i"] }), d)).toMatchObject({ result: "denied", reason: "no-signature", cacheHits: 2, response: { allowed: false } });
    });

    it("an out-of-scope namespace is allowed and says so", () => {
        const d: AdmissionDecision = { allowed: true, violations: [], warnings: [], cacheHits: 0 };
        expect(fromDecision(req({ containers: ["i"] }), d)).toMatchObject({ result: "allowed", reason: "out-of-scope", response: { status: { message: "no aiguard policy applies to this namespace" } } });
    });
});
