/**
 * The ValidatingWebhookConfiguration the test bed registers (no cluster needed).
 */
import { describe, expect, it } from "vitest";
import { validatingWebhookManifest } from "../../fixtures/engines/webhook";

const CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const RULE = { operations: ["CREATE"], apiGroups: [""], apiVersions: ["v1"], resources: ["pods"] } as const;

describe("validatingWebhookManifest", () => {
    it("calls the URL directly with the CA as caBundle and fails closed by default", () => {
        const m = validatingWebhookManifest("aiguard-x", {
            url: "https://127.0.0.1:8443/validate",
            caPem: CA,
            namespaceSelector: { matchLabels: { "aiguard.dev/enforce": "true" } },
            rules: [RULE],
        });
        expect(m).toEqual({
            apiVersion: "admissionregistration.k8s.io/v1",
            kind: "ValidatingWebhookConfiguration",
            metadata: { name: "aiguard-x" },
            webhooks: [
                {
                    name: "aiguard-x.aiguard.test",
                    clientConfig: { url: "https://127.0.0.1:8443/validate", caBundle: Buffer.from(CA).toString("base64") },
                    rules: [{ scope: "Namespaced", ...RULE }],
                    namespaceSelector: { matchLabels: { "aiguard.dev/enforce": "true" } },
                    failurePolicy: "Fail",
                    sideEffects: "None",
                    admissionReviewVersions: ["v1"],
                    timeoutSeconds: 10,
                },
            ],
        });
    });

    it("keeps an explicit failurePolicy, scope and timeout", () => {
        const m = validatingWebhookManifest("x", {
            url: "https://127.0.0.1:1/v",
            caPem: CA,
            namespaceSelector: {},
            failurePolicy: "Ignore",
            timeoutSeconds: 3,
            rules: [{ ...RULE, scope: "*" }],
        }) as { webhooks: Array<Record<string, unknown>> };
        expect(m.webhooks[0]).toMatchObject({ failurePolicy: "Ignore", timeoutSeconds: 3, rules: [{ scope: "*" }] });
    });

    it.each([
        [{ url: "http://127.0.0.1:8080/validate" }, /webhook url must be https/],
        [{ caPem: "not a certificate" }, /caPem must be a PEM certificate/],
        [{ rules: [] }, /rules must not be empty/],
    ])("rejects %o", (override, message) => {
        const opts = { url: "https://127.0.0.1:8443/validate", caPem: CA, namespaceSelector: {}, rules: [RULE], ...override };
        expect(() => validatingWebhookManifest("x", opts)).toThrow(message);
    });
});
