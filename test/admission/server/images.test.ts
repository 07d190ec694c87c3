import { describe, expect, it } from "vitest";
import { extractFromObject, extractFromRequest, podSpecPath } from "../../../admission-webhook/server/images";
import { parseAdmissionReview } from "../../../admission-webhook/server/http/review";
import { KINDS, POD_SPEC_PREFIX, podSpec, review, workload, type Json, type KindName } from "../../../fixtures/admission/reviews";

const D = "@sha256:" + "a".repeat(64);
const images = {
    containers: [`reg.example/serve${D}`, "reg.example/sidecar:1.2"],
    initContainers: [`reg.example/fetch-weights${D}`],
    ephemeralContainers: ["busybox"],
    volumes: [`reg.example/weights${D}`],
};

function extract(kind: KindName, object: Json | null, o: Parameters<typeof review>[2] = {}) {
    return extractFromRequest(parseAdmissionReview(review(kind, object, o)));
}

describe("image extraction: every workload kind funnels into one pod-spec check", () => {
    for (const kind of Object.keys(KINDS) as KindName[]) {
        it(`${kind}: containers, initContainers, ephemeralContainers and image volumes with exact paths`, () => {
            const p = POD_SPEC_PREFIX[kind];
            const out = extract(kind, workload(kind, podSpec(images, { serviceAccountName: "runner", imagePullSecrets: [{ name: "regcred" }, { name: "" }] })));
            expect(out).toEqual({
                action: "check",
                images: [
                    { path: `${p}.containers[0].image`, image: images.containers[0] },
                    { path: `${p}.containers[1].image`, image: images.containers[1] },
                    { path: `${p}.initContainers[0].image`, image: images.initContainers[0] },
                    { path: `${p}.ephemeralContainers[0].image`, image: images.ephemeralContainers[0] },
                    { path: `${p}.volumes[0].image.reference`, image: images.volumes[0] },
                ],
                pod: { serviceAccountName: "runner", imagePullSecrets: ["regcred"] },
            });
        });
    }

    it("defaults the service account to `default` and reads the deprecated serviceAccount field", () => {
        const a = extract("Pod", workload("Pod", podSpec({ containers: ["x"] })));
        expect(a.action === "check" && a.pod).toEqual({ serviceAccountName: "default", imagePullSecrets: [] });
        const b = extract("Pod", workload("Pod", podSpec({ containers: ["x"] }, { serviceAccount: "legacy" })));
        expect(b.action === "check" && b.pod.serviceAccountName).toBe("legacy");
    });

    it("skips volumes without an image source", () => {
        const spec = { containers: [{ name: "m", image: "x" }], volumes: [{ name: "cache", emptyDir: {} }, { name: "w", image: { reference: "y" } }] };
        expect(extractFromObject({ spec }, ["spec"])).toMatchObject({ images: [{ path: "spec.containers[0].image", image: "x" }, { path: "spec.volumes[1].image.reference", image: "y" }] });
    });
});

describe("which requests are checked", () => {
    const pod = workload("Pod", podSpec({ containers: ["reg.example/a:1"], ephemeralContainers: ["busybox:latest"] }));

    it("DELETE and CONNECT are allowed without a check", () => {
        expect(extract("Pod", null, { operation: "DELETE", oldObject: pod })).toEqual({ action: "skip", reason: "DELETE cannot introduce an image" });
        expect(extract("Pod", { apiVersion: "v1", kind: "PodExecOptions" }, { operation: "CONNECT", subResource: "exec" }).action).toBe("skip");
    });

    it("status, scale and other subresources are allowed without a check", () => {
        expect(extract("Pod", pod, { operation: "UPDATE", subResource: "status" })).toEqual({ action: "skip", reason: "subresource pods/status cannot change images" });
        expect(extract("Deployment", { apiVersion: "autoscaling/v1", kind: "Scale", spec: { replicas: 3 } }, { operation: "UPDATE", subResource: "scale" })).toEqual({
            action: "skip",
            reason: "subresource deployments/scale cannot change images",
        });
    });

    it("pods/ephemeralcontainers checks EVERY image of the new Pod, not only the added container", () => {
        const out = extract("Pod", pod, { operation: "UPDATE", subResource: "ephemeralcontainers", oldObject: workload("Pod", podSpec({ containers: ["reg.example/a:1"] })) });
        expect(out.action === "check" && out.images).toEqual([
            { path: "spec.containers[0].image", image: "reg.example/a:1" },
            { path: "spec.ephemeralContainers[0].image", image: "busybox:latest" },
        ]);
    });

    it("UPDATE of the main resource checks all images of the new object", () => {
        const out = extract("Deployment", workload("Deployment", podSpec({ containers: ["new:2"] })), { operation: "UPDATE", oldObject: workload("Deployment", podSpec({ containers: ["old:1"] })) });
        expect(out.action === "check" && out.images).toEqual([{ path: "spec.template.spec.containers[0].image", image: "new:2" }]);
    });

    it("an object being deleted (deletionTimestamp) is still checked on UPDATE", () => {
        const out = extract("Pod", workload("Pod", podSpec({ containers: ["evil:1"] }), { deletionTimestamp: "2026-11-22T00:00:00Z" }), { operation: "UPDATE" });
        expect(out.action === "check" && out.images).toEqual([{ path: "spec.containers[0].image", image: "evil:1" }]);
    });

    it("an unknown kind sent to the webhook is rejected (fail closed) with the fix", () => {
        const req = review("Pod", { apiVersion: "serving.kserve.io/v1beta1", kind: "InferenceService", spec: {} });
        (req["request"] as Json)["kind"] = { group: "serving.kserve.io", version: "v1beta1", kind: "InferenceService" };
        (req["request"] as Json)["resource"] = { group: "serving.kserve.io", version: "v1beta1", resource: "inferenceservices" };
        const out = extractFromRequest(parseAdmissionReview(req));
        expect(out).toMatchObject({ action: "reject", code: "unsupported-kind" });
        expect(out.action === "reject" && out.message).toContain("Remove InferenceService.serving.kserve.io from the ValidatingWebhookConfiguration rules");
    });

    it("kinds are matched on group as well as name", () => {
        expect(podSpecPath("apps", "Deployment")).toEqual(["spec", "template", "spec"]);
        expect(podSpecPath("example.com", "Deployment")).toBeUndefined();
        expect(podSpecPath("", "Deployment")).toBeUndefined();
    });
});

describe("malformed objects are denied with the field, not crashed on", () => {
    const cases: [string, Json, string][] = [
        ["no spec", { metadata: {} }, "spec is missing or not an object; the pod spec cannot be read"],
        ["containers not a list", { spec: { containers: { image: "x" } } }, "spec.containers must be a list"],
        ["container not an object", { spec: { containers: ["x"] } }, "spec.containers[0] must be an object"],
        ["image missing", { spec: { containers: [{ name: "a" }] } }, "spec.containers[0].image is missing or not a string; every container must name a digest-pinned image"],
        ["image not a string", { spec: { initContainers: [{ name: "a", image: 7 }] } }, "spec.initContainers[0].image is missing or not a string; every container must name a digest-pinned image"],
        ["empty ephemeral image", { spec: { ephemeralContainers: [{ name: "a", image: " " }] } }, "spec.ephemeralContainers[0].image is missing or not a string; every container must name a digest-pinned image"],
        ["volume image not an object", { spec: { volumes: [{ name: "v", image: "x" }] } }, "spec.volumes[0].image must be an object"],
        ["volume image without reference", { spec: { volumes: [{ name: "v", image: {} }] } }, "spec.volumes[0].image.reference is missing or not a string; every container must name a digest-pinned image"],
    ];
    for (const [name, obj, message] of cases) {
        it(name, () => expect(extractFromObject(obj, ["spec"])).toEqual({ action: "reject", code: "malformed-object", message }));
    }
});
