import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ReferenceParseError } from "../../common/image-reference";
import { formatReference, normaliseRegistryHost, parseReference, pinnedFormHint } from "../../common/image-reference";

const D = `sha256:${"a".repeat(64)}`;
const D512 = `sha512:${"b".repeat(128)}`;

describe("parseReference: valid references", () => {
    it.each([
        ["nginx", "docker.io", "library/nginx", undefined, undefined],
        ["nginx:1.27", "docker.io", "library/nginx", "1.27", undefined],
        [`nginx@${D}`, "docker.io", "library/nginx", undefined, D],
        ["acme/model:v1", "docker.io", "acme/model", "v1", undefined],
        ["docker.io/nginx", "docker.io", "library/nginx", undefined, undefined],
        ["index.docker.io/library/nginx:latest", "docker.io", "library/nginx", "latest", undefined],
        ["INDEX.DOCKER.IO/acme/x", "docker.io", "acme/x", undefined, undefined],
        ["127.0.0.1:5000/ml/model:v1", "127.0.0.1:5000", "ml/model", "v1", undefined],
        [`127.0.0.1:5000/ml/model@${D}`, "127.0.0.1:5000", "ml/model", undefined, D],
        [`Registry.Example.COM/models/llm:v2@${D}`, "registry.example.com", "models/llm", "v2", D],
        ["localhost/a", "localhost", "a", undefined, undefined],
        ["localhost:5000/a/b/c", "localhost:5000", "a/b/c", undefined, undefined],
        ["ghcr.io/acme/my_model-x.y__z", "ghcr.io", "acme/my_model-x.y__z", undefined, undefined],
        [`ghcr.io/acme/m@${D512}`, "ghcr.io", "acme/m", undefined, D512],
        ["[::1]:5000/ml/m", "[::1]:5000", "ml/m", undefined, undefined],
        ["LOCALHOST:5000/repo", "localhost:5000", "repo", undefined, undefined],
    ])("%s", (input, registry, repository, tag, digest) => {
        const ref = parseReference(input);
        expect(ref.registry).toBe(registry);
        expect(ref.repository).toBe(repository);
        expect(ref.tag).toBe(tag);
        expect(ref.digest).toBe(digest);
        expect(ref.pinned).toBe(digest !== undefined);
        expect(ref.name).toBe(`${registry}/${repository}`);
        expect(ref.original).toBe(input);
    });
});

describe("parseReference: invalid references", () => {
    it.each([
        ["", "empty"],
        ["   ", "empty"],
        [" nginx", "invalid-format"],
        ["ghcr.io/Acme/model", "uppercase-repository"],
        ["Nginx", "uppercase-repository"],
        ["Uppercase/repo", "invalid-host"],
        ["ghcr.io/acme/model:", "invalid-tag"],
        ["ghcr.io/acme/model:-bad", "invalid-tag"],
        [`ghcr.io/acme/model:${"t".repeat(129)}`, "invalid-tag"],
        ["ghcr.io/acme/model@sha256:abc", "invalid-digest"],
        [`ghcr.io/acme/model@sha256:${"A".repeat(64)}`, "invalid-digest"],
        [`ghcr.io/acme/model@md5:${"a".repeat(32)}`, "invalid-digest"],
        [`ghcr.io/acme/model@${D}@${D}`, "invalid-digest"],
        ["ghcr.io/acme//model", "invalid-format"],
        ["ghcr.io/acme/model-", "invalid-format"],
        ["ghcr.io/", "invalid-format"],
        ["-bad.io/acme/model", "invalid-host"],
        ["registry.io:99999/acme/model", "invalid-host"],
        ["registry.io:port/acme/model", "invalid-host"],
        [`${"a".repeat(250)}.io/${"b".repeat(10)}`, "name-too-long"],
    ])("%j → %s", (input, code) => {
        expect(() => parseReference(input)).toThrow(ReferenceParseError);
        try {
            parseReference(input);
        } catch (err) {
            expect((err as ReferenceParseError).code).toBe(code);
        }
    });
});

describe("formatting helpers", () => {
    it("formats the canonical form and the pinned-form hint", () => {
        const ref = parseReference("127.0.0.1:5000/ml/model:v1");
        expect(formatReference(ref)).toBe("127.0.0.1:5000/ml/model:v1");
        expect(pinnedFormHint(ref)).toBe("pin it by digest as `127.0.0.1:5000/ml/model@sha256:<digest>` (find the digest with `crane digest 127.0.0.1:5000/ml/model:v1`)");
        expect(pinnedFormHint(parseReference("nginx"))).toContain("crane digest docker.io/library/nginx:latest");
        expect(formatReference(parseReference(`nginx:1@${D}`))).toBe(`docker.io/library/nginx:1@${D}`);
    });

    it("normalises docker-config registry keys", () => {
        expect(normaliseRegistryHost("https://index.docker.io/v1/")).toBe("docker.io");
        expect(normaliseRegistryHost("GHCR.io")).toBe("ghcr.io");
        expect(normaliseRegistryHost("http://127.0.0.1:5000")).toBe("127.0.0.1:5000");
    });
});

describe("parseReference properties", () => {
    it("never throws anything but ReferenceParseError, and re-parses its canonical form", () => {
        fc.assert(
            fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[a-zA-Z0-9.:/@_-]{0,80}$/)), (input) => {
                let ref;
                try {
                    ref = parseReference(input);
                } catch (err) {
                    expect(err).toBeInstanceOf(ReferenceParseError);
                    return;
                }
                const again = parseReference(formatReference(ref));
                expect(again.name).toBe(ref.name);
                expect(again.digest).toBe(ref.digest);
                expect(again.tag).toBe(ref.tag);
            }),
            { numRuns: 2000 },
        );
    });

    it("round-trips generated valid references", () => {
        const component = fc.stringMatching(/^[a-z0-9]{1,8}([._-][a-z0-9]{1,8}){0,2}$/);
        const host = fc.constantFrom("ghcr.io", "127.0.0.1:5000", "registry.example.com:443", "localhost");
        const digest = fc.stringMatching(/^[a-f0-9]{64}$/).map((h) => `sha256:${h}`);
        fc.assert(
            fc.property(host, fc.array(component, { minLength: 1, maxLength: 4 }), fc.option(fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/)), fc.option(digest), (h, parts, tag, dg) => {
                const input = `${h}/${parts.join("/")}${tag !== null ? `:${tag}` : ""}${dg !== null ? `@${dg}` : ""}`;
                const ref = parseReference(input);
                expect(ref.registry).toBe(h);
                expect(ref.repository).toBe(parts.join("/"));
                expect(ref.tag).toBe(tag ?? undefined);
                expect(ref.pinned).toBe(dg !== null);
            }),
            { numRuns: 500 },
        );
    });
});
