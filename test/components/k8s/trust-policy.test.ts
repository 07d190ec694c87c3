/**
 * The typed trust policy renders to YAML that the webhook's own loader (admission-webhook/verification,
 * the same code the server runs) accepts with the meaning the arguments state.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadPolicy, PolicyLoadError } from "../../../admission-webhook/verification";
import { readTrustPolicy } from "../../../admission-webhook/server/policy/verifier-loader";
import { renderTrustPolicy, TRUST_POLICY_FILE, TrustPolicyError, type TrustPolicyArgs } from "../../../components/k8s/trust-policy";
import { MODEL_REGISTRY, publicKeyPem, trustPolicy } from "./fixtures";

describe("renderTrustPolicy", () => {
    it("renders a document the webhook's loader accepts, defaults filled in", () => {
        const pem = publicKeyPem();
        const { yaml, policy } = renderTrustPolicy(trustPolicy(pem));
        const loaded = loadPolicy(yaml);
        expect(loaded.version).toBe(policy.version);
        expect(loaded.noMatch).toBe("deny");
        expect(loaded.policies).toHaveLength(1);
        const p = loaded.policies[0]!;
        expect(p).toMatchObject({
            name: "models",
            mode: "enforce",
            namespaceSelector: { matchLabels: { "aiguard.io/model-serving": "true" }, matchExpressions: [] },
            signatureFormats: ["legacy", "bundle"],
        });
        expect(p.images.map((g) => g.pattern)).toEqual([MODEL_REGISTRY]);
        expect(p.authorities).toHaveLength(1);
        expect(p.authorities[0]).toMatchObject({ kind: "key", name: "release-key", algorithm: "ecdsa-p256", ignoreTlog: true });
        expect(parse(yaml)).toMatchObject({ apiVersion: "aiguard.io/v1", kind: "ImageTrustPolicy" });
    });

    it("is what the server reads from a ConfigMap mount (a directory with the one policy file)", async () => {
        const { yaml, policy } = renderTrustPolicy(trustPolicy());
        const dir = mkdtempSync(join(tmpdir(), "aiguard-cm-"));
        writeFileSync(join(dir, TRUST_POLICY_FILE), yaml);
        expect((await readTrustPolicy(dir)).version).toBe(policy.version);
    });

    it("keeps every field: warn mode, noMatch allow, selector, formats, several authorities", () => {
        const args: TrustPolicyArgs = {
            noMatch: "allow",
            policies: [{
                name: "canary",
                mode: "warn",
                namespaceSelector: { matchExpressions: [{ key: "env", operator: "In", values: ["stage"] }] },
                images: ["ghcr.io/acme/models/*"],
                authorities: [
                    { name: "release", key: { pem: publicKeyPem(), ignoreTlog: true } },
                    { name: "backup", key: { pem: publicKeyPem(), ignoreTlog: true } },
                ],
                signatureFormats: ["bundle"],
            }],
        };
        const loaded = loadPolicy(renderTrustPolicy(args).yaml);
        expect(loaded.noMatch).toBe("allow");
        expect(loaded.policies[0]).toMatchObject({
            name: "canary",
            mode: "warn",
            signatureFormats: ["bundle"],
            namespaceSelector: { matchLabels: {}, matchExpressions: [{ key: "env", operator: "In", values: ["stage"] }] },
        });
        expect(loaded.policies[0]!.authorities.map((a) => a.name)).toEqual(["release", "backup"]);
    });

    it.each<[string, TrustPolicyArgs, RegExp]>([
        ["no rules", { policies: [] }, /at least one rule/],
        ["a key that is not a public key", { policies: [{ name: "m", images: [MODEL_REGISTRY], authorities: [{ name: "k", key: { pem: "not a key", ignoreTlog: true } }] }] }, /policies\[0\]\.authorities\[0\]/],
        ["an unanchored identity regexp", { policies: [{ name: "m", images: [MODEL_REGISTRY], authorities: [{ name: "k", keyless: { issuer: "https://x", subjectRegExp: "acme" } }] }] }, /anchored|\^/],
        ["a rule name that is not a DNS label", { policies: [{ name: "Models!", images: [MODEL_REGISTRY], authorities: [{ name: "k", key: { pem: publicKeyPem(), ignoreTlog: true } }] }] }, /DNS label/],
        ["a key authority needing the tlog without a trust root", { policies: [{ name: "m", images: [MODEL_REGISTRY], authorities: [{ name: "k", key: { pem: publicKeyPem() } }] }] }, /trustedRoot|tlog/i],
        ["a keyless authority without a trust root", { policies: [{ name: "m", images: [MODEL_REGISTRY], authorities: [{ name: "ci", keyless: { issuer: "https://token.actions.githubusercontent.com", subject: "https://github.com/acme/m/.github/workflows/r.yml@refs/heads/main" } }] }] }, /policies\[0\]/],
        ["a trust root given as a path", { policies: [{ name: "m", images: [MODEL_REGISTRY], authorities: [{ name: "k", key: { pem: publicKeyPem() } }], trustedRoot: "trusted_root.json" }] }, /not a path/],
    ])("rejects %s with the loader's field path", (_what, args, message) => {
        let caught: unknown;
        try {
            renderTrustPolicy(args);
        } catch (err) {
            caught = err;
        }
        expect(caught).toBeInstanceOf(TrustPolicyError);
        expect((caught as Error).message).toMatch(message);
        const cause = (caught as Error).cause;
        if (cause !== undefined) expect(cause).toBeInstanceOf(PolicyLoadError);
    });
});
