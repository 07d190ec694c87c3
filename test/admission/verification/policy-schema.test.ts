/**
 * The trust policy's structural validation (admission-webhook/verification/policy/schema.ts, a JSON
 * schema checked with ajv): the exact message each mistake gets, naming the field path and the
 * fix, as operators see it in `trust policy rejected` logs and `verify-image` errors.
 */
import { describe, expect, it } from "vitest";
import { PolicyLoadError } from "../../../admission-webhook/verification/errors";
import { validateDocument } from "../../../admission-webhook/verification/policy/schema";

type Doc = Record<string, any>;

function doc(): Doc {
    return {
        apiVersion: "aiguard.io/v1",
        kind: "ImageTrustPolicy",
        noMatch: "deny",
        policies: [{
            name: "models",
            mode: "enforce",
            namespaceSelector: { matchLabels: { "aiguard.io/model-serving": "true" }, matchExpressions: [{ key: "tier", operator: "In", values: ["gpu"] }] },
            images: ["registry.example.com/models/**"],
            authorities: [
                { name: "release", key: { pem: "PEM" } },
                { name: "ci", keyless: { issuer: "https://token.actions.githubusercontent.com", subjectRegExp: "^https://github\\.com/acme/.*$" } },
            ],
        }],
    };
}

function message(change: (d: Doc) => void): string {
    const d = doc();
    change(d);
    try {
        validateDocument(d);
    } catch (err) {
        expect(err).toBeInstanceOf(PolicyLoadError);
        expect((err as PolicyLoadError).code).toBe("schema");
        return (err as Error).message;
    }
    throw new Error("expected the document to be rejected");
}

const P = "policies[0]";

describe("trust policy schema messages", () => {
    it.each<[string, (d: Doc) => void, string]>([
        ["wrong apiVersion", (d) => (d.apiVersion = "v1"), 'apiVersion: must be "aiguard.io/v1", got "v1"'],
        ["missing apiVersion", (d) => delete d.apiVersion, 'apiVersion: must be "aiguard.io/v1", got undefined'],
        ["missing noMatch", (d) => delete d.noMatch, "noMatch: is required: set it to one of deny | allow"],
        ["unknown top-level field", (d) => (d.extra = 1), "extra: unknown field: remove it (allowed here: apiVersion, kind, noMatch, policies)"],
        ["no policies", (d) => (d.policies = []), "policies: must not be empty"],
        ["policies missing", (d) => delete d.policies, "policies: must be a list"],
        ["a typo in a policy field", (d) => (d.policies[0].subjectRegex = "x"), `${P}.subjectRegex: unknown field: remove it (allowed here: name, mode, namespaceSelector, images, authorities, trustedRoot, signatureFormats)`],
        ["name not a DNS label", (d) => (d.policies[0].name = "Models"), `${P}.name: must be a DNS label (lowercase letters, digits, '-')`],
        ["blank name", (d) => (d.policies[0].name = " "), `${P}.name: must be a non-empty string`],
        ["unknown mode", (d) => (d.policies[0].mode = "audit"), `${P}.mode: must be one of enforce | warn, got "audit"`],
        ["selector missing", (d) => delete d.policies[0].namespaceSelector, `${P}.namespaceSelector: is required: use \`{}\` to select every namespace, or matchLabels/matchExpressions`],
        ["label value not a string (key with / and .)", (d) => (d.policies[0].namespaceSelector.matchLabels["aiguard.io/model-serving"] = true), `${P}.namespaceSelector.matchLabels.aiguard.io/model-serving: must be a string (quote numbers and booleans)`],
        ["unknown operator", (d) => (d.policies[0].namespaceSelector.matchExpressions[0].operator = "Gt"), `${P}.namespaceSelector.matchExpressions[0].operator: must be one of In | NotIn | Exists | DoesNotExist, got "Gt"`],
        ["In without values", (d) => delete d.policies[0].namespaceSelector.matchExpressions[0].values, `${P}.namespaceSelector.matchExpressions[0].values: must not be empty for operator In`],
        ["empty image glob", (d) => (d.policies[0].images = [""]), `${P}.images[0]: must be a non-empty string`],
        ["authority with key and keyless", (d) => (d.policies[0].authorities[0].keyless = { issuer: "x", subject: "y" }), `${P}.authorities[0]: must have exactly one of \`key\` or \`keyless\``],
        ["ignoreTlog not a boolean", (d) => (d.policies[0].authorities[0].key.ignoreTlog = "yes"), `${P}.authorities[0].key.ignoreTlog: must be true or false`],
        ["issuer and issuerRegExp", (d) => (d.policies[0].authorities[1].keyless.issuerRegExp = "^x$"), `${P}.authorities[1].keyless: must have exactly one of \`issuer\` or \`issuerRegExp\``],
        ["duplicate authority", (d) => (d.policies[0].authorities[1].name = "release"), `${P}.authorities[1].name: duplicate authority name "release"`],
        ["duplicate policy", (d) => d.policies.push(structuredClone(d.policies[0])), 'policies[1].name: duplicate policy name "models"'],
        ["trustedRoot not a path or object", (d) => (d.policies[0].trustedRoot = 3), `${P}.trustedRoot: must be an object`],
        ["unknown signature format", (d) => (d.policies[0].signatureFormats = ["sbom"]), `${P}.signatureFormats[0]: must be one of legacy | bundle, got "sbom"`],
    ])("%s", (_name, change, expected) => {
        expect(message(change)).toBe(expected);
    });

    it("rejects a document that is not an object", () => {
        expect(() => validateDocument("policies: []")).toThrow(new PolicyLoadError("schema", "", "must be an object"));
    });

    it("treats an empty YAML value (null) of an optional keyless field as absent, and fills defaults", () => {
        const d = doc();
        d.policies[0].authorities[1].keyless.subject = null;
        d.policies[0].signatureFormats = ["bundle", "bundle"];
        const raw = validateDocument(d);
        expect(raw.policies[0]!.authorities[1]).toEqual({ name: "ci", keyless: { issuer: "https://token.actions.githubusercontent.com", subjectRegExp: "^https://github\\.com/acme/.*$", ignoreTlog: false, ignoreSct: false } });
        expect(raw.policies[0]!.authorities[0]).toEqual({ name: "release", key: { pem: "PEM", ignoreTlog: false } });
        expect(raw.policies[0]!.signatureFormats).toEqual(["bundle"]);
        expect(raw.policies[0]!.namespaceSelector.matchExpressions).toEqual([{ key: "tier", operator: "In", values: ["gpu"] }]);
    });
});
