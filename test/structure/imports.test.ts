/**
 * Import boundaries between top-level folders: benchmarks never depend on test code (they share
 * fixtures/ instead), and nothing that ships (the CLI, the offline runner) imports the example
 * stacks or the test fixtures at module level.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..", "..");

function sources(dir: string): string[] {
    return fs.readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".ts"))
        .map((f) => path.join(dir, f));
}

/** Every relative import (static, `import()` or `require()`) of `file`, resolved to a repository path. */
function importsOf(file: string): string[] {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    const specs = [...text.matchAll(/(?:from\s+|import\(\s*|require\(\s*)"(\.{1,2}\/[^"]+)"/g)].map((m) => m[1]!);
    return specs.map((s) => path.relative(ROOT, path.resolve(ROOT, path.dirname(file), s)));
}

function offenders(dirs: readonly string[], forbidden: string): string[] {
    return dirs.flatMap(sources).flatMap((f) => importsOf(f).filter((i) => i.startsWith(forbidden)).map((i) => `${f} -> ${i}`));
}

describe("import boundaries", () => {
    it("finds imports (the scan itself works)", () => {
        expect(importsOf("bench/webhook.ts")).toContain("fixtures/admission/registry");
    });

    it("bench/ imports nothing from test/", () => {
        expect(offenders(["bench"], `test${path.sep}`)).toEqual([]);
    });

    it("cli/ and offline/ import nothing from stacks/, test/ or fixtures/", () => {
        for (const forbidden of ["stacks", "test", "fixtures"]) {
            expect(offenders(["cli", "offline"], `${forbidden}${path.sep}`)).toEqual([]);
        }
    });

    it("components/ and cli/ import nothing of the pack's rules or framework (the vocabulary they share is common/)", () => {
        for (const forbidden of ["policies/rules", "policies/framework", "policies/catalogue"]) {
            expect(offenders(["components", "cli"], forbidden)).toEqual([]);
        }
    });

    it("common/ imports no enforcement point: it is owned by none of them", () => {
        for (const forbidden of ["policies", "admission-webhook", "components", "cli", "offline", "stacks", "test"]) {
            expect(offenders(["common"], `${forbidden}${path.sep}`)).toEqual([]);
        }
    });

    it("the pack and the webhook use the same image parser, label selector and workload table", () => {
        const users = (target: string) => [...new Set(["policies", "admission-webhook"].flatMap(sources).filter((f) => importsOf(f).includes(target)).map((f) => f.split(path.sep)[0]))].sort();
        expect(users(path.join("common", "image-reference"))).toEqual(["admission-webhook", "policies"]);
        expect(users(path.join("common", "label-selector"))).toEqual(["admission-webhook", "policies"]);
        expect(users(path.join("common", "pod-spec"))).toEqual(["admission-webhook", "policies"]);
    });
});
