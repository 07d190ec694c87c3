import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseReferenceResult as parseImageReference, registryAllowed, registryMatches, type ImageReference } from "../../common/image-reference";
import { UNKNOWN, UNKNOWN_STRING } from "../../common/unknown";
import { digestProblem, registryProblem } from "../../policies/framework/images";
import { DIGEST, ECR } from "../policies/support";

const isPinnedByDigest = (ref: ImageReference) => ref.pinned;

const ECR_GLOB = "*.dkr.ecr.*.amazonaws.com";

describe("the shared parser, as the pack's image rules use it", () => {
    it.each([
        ["nginx", "docker.io", "library/nginx", undefined, undefined],
        ["nginx:1.27", "docker.io", "library/nginx", "1.27", undefined],
        ["acme/model:v1", "docker.io", "acme/model", "v1", undefined],
        [`${ECR}/models/llm@${DIGEST}`, ECR, "models/llm", undefined, DIGEST],
        [`${ECR}/llm:v2@${DIGEST}`, ECR, "llm", "v2", DIGEST],
        ["localhost:5000/m", "localhost:5000", "m", undefined, undefined],
        ["Registry.Example.COM/a/b", "registry.example.com", "a/b", undefined, undefined],
    ])("parses %s", (input, registry, repository, tag, digest) => {
        const parsed = parseImageReference(input);
        expect(parsed.ok).toBe(true);
        if (parsed.ok) expect([parsed.ref.registry, parsed.ref.repository, parsed.ref.tag, parsed.ref.digest]).toEqual([registry, repository, tag, digest]);
    });

    it.each(["", " nginx", "acme/Model", "a//b", "ghcr.io/acme/Model", "x@sha256", "x:bad tag", "-host.com/x", "ghcr.io/"])("rejects %j", (input) => {
        expect(parseImageReference(input).ok).toBe(false);
    });

    it("pins by the one digest policy of aiguard (the webhook's): sha256 with 64 or sha512 with 128 lower-case hex characters", () => {
        const pinned = (s: string) => {
            const p = parseImageReference(s);
            return p.ok && isPinnedByDigest(p.ref);
        };
        expect(pinned(`${ECR}/m@${DIGEST}`)).toBe(true);
        expect(pinned(`${ECR}/m@sha256:${"a".repeat(63)}`)).toBe(false);
        expect(pinned(`${ECR}/m@sha256:${"A".repeat(64)}`)).toBe(false);
        // Was false in the pack while the webhook admitted it: one parser now, one answer.
        expect(pinned(`${ECR}/m@sha512:${"a".repeat(128)}`)).toBe(true);
        expect(digestProblem(`${ECR}/m@sha512:${"a".repeat(128)}`)).toBeUndefined();
        expect(pinned(`${ECR}/m@sha384:${"a".repeat(96)}`)).toBe(false);
        expect(pinned(`${ECR}/m:latest`)).toBe(false);
    });
});

describe("registryMatches (anchored globs, `*` never crosses `.` in the host or `/` in the path)", () => {
    const ref = (s: string) => {
        const p = parseImageReference(s);
        if (!p.ok) throw new Error(p.error);
        return p.ref;
    };
    it.each([
        [`${ECR}/m@${DIGEST}`, ECR_GLOB, true],
        [`evil.com/${ECR}/m@${DIGEST}`, ECR_GLOB, false],
        [`${ECR}.evil.com/m@${DIGEST}`, ECR_GLOB, false],
        [`a.b.dkr.ecr.eu-west-2.amazonaws.com/m@${DIGEST}`, ECR_GLOB, false],
        [`123.dkr.ecr.eu-west-2.amazonaws.com.cn/m`, ECR_GLOB, false],
        [`evildkr.ecr.x.amazonaws.com/m`, ECR_GLOB, false],
        ["ghcr.io/acme/model", "ghcr.io/acme", true],
        ["ghcr.io/acme", "ghcr.io/acme", true],
        ["ghcr.io/acme-evil/model", "ghcr.io/acme", false],
        ["ghcr.io/acme/team/model", "ghcr.io/acme/*/model", true],
        ["ghcr.io/acme/team/sub/model", "ghcr.io/acme/*/model", false],
        ["GHCR.io/acme/model", "ghcr.io/ACME", false],
        ["GHCR.io/acme/model", "GHCR.IO/acme", true],
        ["nginx", "docker.io", true],
        ["nginx", "docker.io/library", true],
        ["acme/model", "docker.io/library", false],
        ["localhost:5000/m", "localhost:*", true],
        ["localhost:5000/m", "localhost", false],
        ["ghcr.io/acme/model", "", false],
        ["ghcr.io/acme/model", "ghcr.io/acme/", true],
    ])("%s against %j → %s", (image, pattern, expected) => {
        expect(registryMatches(ref(image), pattern)).toBe(expected);
    });
});

describe("digestProblem / registryProblem", () => {
    it("reports nothing for unknown values or strings embedding the unknown marker", () => {
        for (const v of [UNKNOWN, `${UNKNOWN_STRING}/m:latest`, undefined]) {
            expect(digestProblem(v)).toBeUndefined();
            expect(registryProblem(v, [ECR_GLOB])).toBeUndefined();
        }
    });
    it("explains each problem", () => {
        expect(digestProblem("nginx:latest")).toContain("not pinned by digest");
        expect(digestProblem("acme/Model:v1")).toContain("not a valid image reference");
        expect(registryProblem(`evil.com/${ECR}/m@${DIGEST}`, [ECR_GLOB])).toContain(`comes from "evil.com/`);
        expect(registryProblem(`${ECR}/m@${DIGEST}`, [ECR_GLOB])).toBeUndefined();
    });
});

// ---- properties ----

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
const host = fc.array(label, { minLength: 2, maxLength: 5 }).map((ls) => ls.join("."));
const pathComponent = fc.stringMatching(/^[a-z0-9]{1,8}$/);
const repoPath = fc.array(pathComponent, { minLength: 1, maxLength: 3 }).map((ps) => ps.join("/"));
const hex64 = fc.stringMatching(/^[a-f0-9]{64}$/);
/** A host glob made of the labels of some host with some labels replaced by `*`. */
const hostGlobOf = (h: string) => fc.array(fc.boolean(), { minLength: h.split(".").length, maxLength: h.split(".").length }).map((stars) => h.split(".").map((l, i) => (stars[i] ? "*" : l)).join("."));

/** Independent oracle: a host-only glob admits a host iff same label count and every label equal or `*`. */
function oracle(glob: string, h: string): boolean {
    const g = glob.split(".");
    const l = h.split(".");
    return g.length === l.length && g.every((x, i) => x === "*" || x === l[i]);
}

describe("image reference properties (fast-check)", () => {
    it("never throws on arbitrary strings, and every result is a decision or undefined", () => {
        fc.assert(
            fc.property(fc.string({ unit: "binary" }), fc.array(fc.string(), { maxLength: 4 }), (s, patterns) => {
                const parsed = parseImageReference(s);
                if (parsed.ok) {
                    expect(typeof registryAllowed(parsed.ref, patterns)).toBe("boolean");
                    expect(typeof isPinnedByDigest(parsed.ref)).toBe("boolean");
                }
                const d = digestProblem(s);
                const r = registryProblem(s, patterns);
                expect(d === undefined || typeof d === "string").toBe(true);
                expect(r === undefined || typeof r === "string").toBe(true);
            }),
            { numRuns: 2000 },
        );
    });

    it("admits a reference only if its registry matches the glob (label-wise oracle)", () => {
        const cases = fc
            .tuple(host, host, fc.boolean(), repoPath, hex64)
            .chain(([h, other, useOwn, path, hex]) => fc.tuple(fc.constant(h), hostGlobOf(useOwn ? h : other), fc.constant(path), fc.constant(hex)));
        fc.assert(
            fc.property(cases, ([h, glob, path, hex]) => {
                const p = parseImageReference(`${h}/${path}@sha256:${hex}`);
                expect(p.ok).toBe(true);
                if (p.ok) expect(registryAllowed(p.ref, [glob])).toBe(oracle(glob, h));
            }),
            { numRuns: 2000 },
        );
    });

    it("a glob derived from the host always admits it; prefixing any other host to the path never does", () => {
        fc.assert(
            fc.property(host, host, repoPath, hex64, (h, prefix, path, hex) => {
                fc.pre(!oracle(h, prefix));
                const own = parseImageReference(`${h}/${path}@sha256:${hex}`);
                const tricked = parseImageReference(`${prefix}/${h}/${path}@sha256:${hex}`);
                if (!own.ok) return;
                const globs = [h, h.replace(/^[^.]+/, "*")];
                expect(registryAllowed(own.ref, globs)).toBe(true);
                // `prefix/h/...` is either invalid (h as a path component may hold `-` in odd places) or belongs to `prefix`.
                if (tricked.ok) {
                    expect(tricked.ref.registry).toBe(prefix);
                    expect(registryAllowed(tricked.ref, [h])).toBe(false);
                }
            }),
            { numRuns: 1000 },
        );
    });

    it("ECR default: any 12-digit account and region is admitted; the same host under another registry is not", () => {
        fc.assert(
            fc.property(fc.stringMatching(/^\d{12}$/), fc.stringMatching(/^[a-z]{2}-[a-z]+-\d$/), host, hex64, (acct, region, evil, hex) => {
                const ecr = `${acct}.dkr.ecr.${region}.amazonaws.com`;
                fc.pre(!oracle(ECR_GLOB, evil));
                expect(registryProblem(`${ecr}/m@sha256:${hex}`, [ECR_GLOB])).toBeUndefined();
                expect(registryProblem(`${evil}/${ecr}/m@sha256:${hex}`, [ECR_GLOB])).toBeDefined();
            }),
            { numRuns: 500 },
        );
    });
});
