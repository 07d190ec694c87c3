import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeError } from "../../../common/errors";
import { parseAdmissionReview, parseJsonBody, reviewResponse, ReviewError } from "../../../admission-webhook/server/http/review";
import { podSpec, review, workload, type Json } from "../../../fixtures/admission/reviews";

const valid = (): Json => review("Pod", workload("Pod", podSpec({ containers: ["reg.example/a:1"] })), { uid: "705ab4f5-6393-11e8-b7cc-42010a800002" });

function mutate(fn: (r: Json) => void): Json {
    const r = valid();
    fn(r["request"] as Json);
    return r;
}

describe("AdmissionReview v1 parsing", () => {
    it("reads every field a decision needs", () => {
        const req = parseAdmissionReview(valid());
        expect(req).toMatchObject({
            uid: "705ab4f5-6393-11e8-b7cc-42010a800002",
            kind: { group: "", version: "v1", kind: "Pod" },
            resource: { group: "", version: "v1", resource: "pods" },
            subResource: "",
            operation: "CREATE",
            namespace: "models",
            name: "model-server",
            dryRun: false,
        });
        expect(req.object?.["kind"]).toBe("Pod");
        expect(req.oldObject).toBeUndefined();
    });

    const bad: [string, unknown, string][] = [
        ["not an object", [1, 2], "body must be a JSON object (an AdmissionReview)"],
        ["v1beta1", { ...valid(), apiVersion: "admission.k8s.io/v1beta1" }, 'apiVersion must be "admission.k8s.io/v1" (got "admission.k8s.io/v1beta1"); register the webhook with admissionReviewVersions: ["v1"]'],
        ["wrong kind", { ...valid(), kind: "Pod" }, 'kind must be "AdmissionReview" (got "Pod")'],
        ["no request", { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview" }, "AdmissionReview.request must be an object"],
        ["no uid", mutate((r) => delete r["uid"]), "request.uid is required"],
        ["empty uid", mutate((r) => (r["uid"] = "")), "request.uid must not be empty"],
        ["uid not a string", mutate((r) => (r["uid"] = 42)), "request.uid must be a string"],
        ["kind not an object", mutate((r) => (r["kind"] = "Pod")), "request.kind must be an object"],
        ["kind without kind", mutate((r) => (r["kind"] = { group: "", version: "v1" })), "request.kind.kind is required"],
        ["resource missing", mutate((r) => delete r["resource"]), "request.resource must be an object"],
        ["bad operation", mutate((r) => (r["operation"] = "PATCH")), 'request.operation must be one of CREATE, UPDATE, DELETE, CONNECT (got "PATCH")'],
        ["CREATE without object", mutate((r) => (r["object"] = null)), "request.object is required for CREATE"],
        ["object an array", mutate((r) => (r["object"] = [])), "request.object must be an object or null"],
        ["namespace not a string", mutate((r) => (r["namespace"] = {})), "request.namespace must be a string"],
        ["dryRun not a boolean", mutate((r) => (r["dryRun"] = "yes")), "request.dryRun must be a boolean"],
    ];
    for (const [name, body, message] of bad) {
        it(`rejects ${name} with a message naming the field`, () => {
            expect(() => parseAdmissionReview(body)).toThrow(new ReviewError(message));
        });
    }

    it("DELETE needs no object", () => {
        const r = mutate((q) => {
            q["operation"] = "DELETE";
            q["oldObject"] = q["object"];
            q["object"] = null;
        });
        expect(parseAdmissionReview(r)).toMatchObject({ operation: "DELETE", object: undefined });
    });

    it("JSON syntax errors become ReviewError with the parser's message", () => {
        expect(() => parseJsonBody(Buffer.from("{"))).toThrow(ReviewError);
        expect(() => parseJsonBody(Buffer.from("{"))).toThrow(/^body is not valid JSON: /);
    });

    it("builds the v1 response envelope", () => {
        expect(reviewResponse({ uid: "u", allowed: false, status: { code: 403, message: "m" } })).toEqual({
            apiVersion: "admission.k8s.io/v1",
            kind: "AdmissionReview",
            response: { uid: "u", allowed: false, status: { code: 403, message: "m" } },
        });
    });

    it("error descriptions never print {} for errors", () => {
        expect(describeError(new Error("boom", { cause: new Error("root") }))).toBe("boom (root)");
        expect(describeError("plain")).toBe("plain");
    });
});

describe("property: the parser never throws anything but ReviewError", () => {
    it("on arbitrary JSON values", () => {
        fc.assert(
            fc.property(fc.jsonValue(), (v) => {
                try {
                    parseAdmissionReview(v);
                } catch (err) {
                    expect(err).toBeInstanceOf(ReviewError);
                }
            }),
            { numRuns: 2000 },
        );
    });

    it("on valid reviews with arbitrary values substituted into any request field", () => {
        const keys = ["uid", "kind", "resource", "subResource", "operation", "namespace", "name", "object", "oldObject", "dryRun"];
        fc.assert(
            fc.property(fc.constantFrom(...keys), fc.jsonValue(), (key, value) => {
                const r = mutate((q) => (q[key] = value));
                try {
                    const req = parseAdmissionReview(r);
                    expect(typeof req.uid).toBe("string");
                    expect(req.uid.length).toBeGreaterThan(0);
                } catch (err) {
                    expect(err).toBeInstanceOf(ReviewError);
                    expect((err as Error).message).toContain(key);
                }
            }),
            { numRuns: 2000 },
        );
    });

    it("on arbitrary bytes", () => {
        fc.assert(
            fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
                try {
                    parseAdmissionReview(parseJsonBody(Buffer.from(bytes)));
                } catch (err) {
                    expect(err).toBeInstanceOf(ReviewError);
                }
            }),
            { numRuns: 2000 },
        );
    });
});
