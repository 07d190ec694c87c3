import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PolicyLoadError } from "../../../admission-webhook/verification/errors";
import { compileGlob, matchGlob } from "../../../admission-webhook/verification/policy/image-glob";
import { loadPolicy, loadPolicyFile } from "../../../admission-webhook/verification/policy/load";
import { selectorMatches } from "../../../common/label-selector";
import { generateTestKey } from "../../../fixtures/admission/sign";

const PEM = generateTestKey().publicPem;

function doc(policy: Record<string, unknown> = {}, top: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        apiVersion: "aiguard.io/v1",
        kind: "ImageTrustPolicy",
        noMatch: "deny",
        policies: [{
            name: "models",
            mode: "enforce",
            namespaceSelector: {},
            images: ["registry.example.com/models/**"],
            authorities: [{ name: "release", key: { pem: PEM, ignoreTlog: true } }],
            ...policy,
        }],
        ...top,
    };
}

function loadError(source: string | object): PolicyLoadError {
    try {
        loadPolicy(source);
    } catch (err) {
        expect(err).toBeInstanceOf(PolicyLoadError);
        return err as PolicyLoadError;
    }
    throw new Error("expected loadPolicy to throw");
}

describe("loadPolicy", () => {
    it("loads a valid YAML policy with defaults", () => {
        const yaml = `
apiVersion: aiguard.io/v1
kind: ImageTrustPolicy
noMatch: allow
policies:
  - name: models
    mode: warn
    namespaceSelector: { matchLabels: { team: ml }, matchExpressions: [{ key: env, operator: In, values: [prod] }] }
    images: ["registry.example.com/models/*", "127.0.0.1:*/ml/**"]
    authorities:
      - name: release
        key:
          ignoreTlog: true
          pem: |
${PEM.trim().split("\n").map((l) => `            ${l}`).join("\n")}
`;
        const p = loadPolicy(yaml);
        expect(p.noMatch).toBe("allow");
        expect(p.policies).toHaveLength(1);
        const [policy] = p.policies;
        expect(policy!.mode).toBe("warn");
        expect(policy!.signatureFormats).toEqual(["legacy", "bundle"]);
        expect(policy!.authorities[0]).toMatchObject({ kind: "key", name: "release", algorithm: "ecdsa-p256", ignoreTlog: true });
        expect(p.version).toMatch(/^[0-9a-f]{64}$/);
        expect(loadPolicy(yaml).version).toBe(p.version);
    });

    it("changes the version when an authority changes", () => {
        const a = loadPolicy(doc());
        const b = loadPolicy(doc({ authorities: [{ name: "release", key: { pem: generateTestKey().publicPem, ignoreTlog: true } }] }));
        expect(a.version).not.toBe(b.version);
        expect(a.policies[0]!.version).not.toBe(b.policies[0]!.version);
    });

    it.each([
        ["not yaml: [", "syntax", ""],
        [doc({}, { apiVersion: "v1" }), "schema", "apiVersion"],
        [doc({}, { noMatch: undefined }), "schema", "noMatch"],
        [doc({}, { extra: 1 }), "schema", "extra"],
        [doc({}, { policies: [] }), "schema", "policies"],
        [doc({ authorities: [] }), "schema", "policies[0].authorities"],
        [doc({ mode: "audit" }), "schema", "policies[0].mode"],
        [doc({ images: [] }), "schema", "policies[0].images"],
        [doc({ images: ["nginx"] }), "schema", "policies[0].images[0]"],
        [doc({ images: ["ghcr.io/acme/model:v1"] }), "schema", "policies[0].images[0]"],
        [doc({ namespaceSelector: undefined }), "schema", "policies[0].namespaceSelector"],
        [doc({ namespaceSelector: { matchExpressions: [{ key: "a", operator: "In" }] } }), "schema", "policies[0].namespaceSelector.matchExpressions[0].values"],
        [doc({ subjectRegex: "x" }), "schema", "policies[0].subjectRegex"],
        [doc({ authorities: [{ name: "k", key: { pem: "hello", ignoreTlog: true } }] }), "key", "policies[0].authorities[0].key.pem"],
        [doc({ authorities: [{ name: "k", key: { pem: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", ignoreTlog: true } }] }), "key", "policies[0].authorities[0].key.pem"],
        [doc({ authorities: [{ name: "k", key: { pem: PEM } }] }), "trusted-root", "policies[0].authorities[0]"],
        [doc({ authorities: [{ name: "k", key: { pem: PEM, ignoreTlog: true }, keyless: { issuer: "x", subject: "y" } }] }), "schema", "policies[0].authorities[0]"],
        [doc({ authorities: [{ name: "k", keyless: { issuer: "https://i", subjectRegExp: "https://github.com/acme/.*" } }] }), "regexp", "policies[0].authorities[0].keyless.subjectRegExp"],
        [doc({ authorities: [{ name: "k", keyless: { issuer: "https://i", subjectRegExp: "^(unclosed$" } }] }), "regexp", "policies[0].authorities[0].keyless.subjectRegExp"],
        [doc({ authorities: [{ name: "k", keyless: { issuer: "https://i", subject: "a", subjectRegExp: "^a$" } }] }), "schema", "policies[0].authorities[0].keyless"],
        [doc({ authorities: [{ name: "k", keyless: { issuer: "https://i", subject: "a" } }] }), "trusted-root", "policies[0].authorities[0]"],
        [doc({ trustedRoot: "{not json" }), "trusted-root", "policies[0].trustedRoot"],
        [doc({ trustedRoot: "/nonexistent/trusted_root.json" }), "io", "policies[0].trustedRoot"],
        [doc({ signatureFormats: ["sbom"] }), "schema", "policies[0].signatureFormats[0]"],
    ])("rejects case %#", (source, code, path) => {
        const err = loadError(source);
        expect(err.code).toBe(code);
        expect(err.path).toBe(path);
    });

    it("rejects RSA keys with the supported types in the message", () => {
        const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }).toString();
        const err = loadError(doc({ authorities: [{ name: "k", key: { pem: rsa, ignoreTlog: true } }] }));
        expect(err.code).toBe("key");
        expect(err.message).toContain("ECDSA P-256");
    });

    it("tells how to anchor an unanchored identity regex", () => {
        const err = loadError(doc({ authorities: [{ name: "k", keyless: { issuer: "https://i", subjectRegExp: "https://github.com/acme/.*" } }] }));
        expect(err.message).toContain('"^https://github.com/acme/.*$"');
    });

    it("accepts keyless authorities with an anchored regex and a trusted root file", () => {
        const dir = mkdtempSync(join(tmpdir(), "aiguard-policy-"));
        writeFileSync(join(dir, "root.json"), JSON.stringify({
            mediaType: "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
            tlogs: [], ctlogs: [], timestampAuthorities: [],
            certificateAuthorities: [{ subject: { organization: "test", commonName: "test" }, uri: "https://fulcio.test", certChain: { certificates: [{ rawBytes: "MAA=" }] }, validFor: { start: "2020-01-01T00:00:00Z" } }],
        }));
        const policy = doc({ trustedRoot: "root.json", authorities: [{ name: "ci", keyless: { issuer: "https://token.actions.githubusercontent.com", subjectRegExp: "^https://github\\.com/acme/.*$", ignoreTlog: false, ignoreSct: true } }] });
        writeFileSync(join(dir, "policy.json"), JSON.stringify(policy));
        const err = (() => { try { loadPolicyFile(join(dir, "policy.json")); } catch (e) { return e as PolicyLoadError; } return undefined; })();
        // The root has no Rekor keys and the authority requires the tlog.
        expect(err?.code).toBe("trusted-root");
        expect(err?.message).toContain("tlogs");
        const relaxed = JSON.parse(JSON.stringify(policy));
        relaxed.policies[0].authorities[0].keyless.ignoreTlog = true;
        relaxed.policies[0].authorities[0].keyless.ignoreSct = true;
        writeFileSync(join(dir, "policy.json"), JSON.stringify(relaxed));
        expect(() => loadPolicyFile(join(dir, "policy.json"))).toThrow(/timestampAuthorities/);
    });
});

describe("image globs", () => {
    it.each([
        ["registry.example.com/models/*", "registry.example.com/models/llm", true],
        ["registry.example.com/models/*", "registry.example.com/models/a/b", false],
        ["registry.example.com/models/*", "registry.example.com/models-evil/x", false],
        ["registry.example.com/models/**", "registry.example.com/models/a/b", true],
        ["registry.example.com/models/**", "registry.example.com/models", false],
        ["registry.example.com/models/**", "registry.example.comXmodels/a", false],
        ["127.0.0.1:*/ml/*", "127.0.0.1:5000/ml/model", true],
        ["127.0.0.1:*/ml/*", "127.0.0.1:5000/evil/ml/model", false],
        ["*/ml/model", "ghcr.io/ml/model", true],
        ["*/ml/model", "evil.io/x/ml/model", false],
        ["ghcr.io/acme/model?", "ghcr.io/acme/model1", true],
        ["ghcr.io/acme/model?", "ghcr.io/acme/model/", false],
        ["INDEX.docker.io/library/*", "docker.io/library/nginx", true],
        ["ghcr.io/acme/model", "ghcr.io/acme/model2", false],
    ])("%s vs %s → %s", (pattern, name, expected) => {
        expect(matchGlob(compileGlob(pattern), name)).toBe(expected);
    });
});

describe("namespace selectors", () => {
    const labels = { team: "ml", env: "prod" };
    it.each([
        [{}, true],
        [{ matchLabels: { team: "ml" } }, true],
        [{ matchLabels: { team: "web" } }, false],
        [{ matchExpressions: [{ key: "env", operator: "In" as const, values: ["prod", "stage"] }] }, true],
        [{ matchExpressions: [{ key: "env", operator: "NotIn" as const, values: ["prod"] }] }, false],
        [{ matchExpressions: [{ key: "missing", operator: "NotIn" as const, values: ["x"] }] }, true],
        [{ matchExpressions: [{ key: "team", operator: "Exists" as const }] }, true],
        [{ matchExpressions: [{ key: "team", operator: "DoesNotExist" as const }] }, false],
        [{ matchLabels: { team: "ml" }, matchExpressions: [{ key: "env", operator: "In" as const, values: ["dev"] }] }, false],
    ])("%j → %s", (selector, expected) => {
        expect(selectorMatches(selector, labels)).toBe(expected);
    });
});
