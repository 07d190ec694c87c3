/**
 * The webhook image carries what it imports: the Dockerfile's build stage, reproduced without a
 * Docker engine. Only what `.dockerignore` lets into the build context is copied (package*.json,
 * `common/`, `admission-webhook/`), the Dockerfile's own `tsc` command line compiles it, and the
 * compiled server and engine load. A webhook import outside that context (e.g. from `policies/`)
 * fails here, as it would fail the image build.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { builtinModules } from "node:module";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../../..");
const dockerfile = fs.readFileSync(path.join(ROOT, "admission-webhook/Dockerfile"), "utf8");
const BUILTINS = new Set(builtinModules);
const work = fs.mkdtempSync(path.join(os.tmpdir(), "aiguard-image-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** The paths `.dockerignore` re-includes after its leading `*` (only those reach the build). */
function contextPaths(): string[] {
    return fs.readFileSync(path.join(ROOT, ".dockerignore"), "utf8")
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l.startsWith("!"))
        .map((l) => l.slice(1).replace(/\/$/, ""));
}

/** The `keep` list of the Dockerfile's prune step: the only packages the image ships. */
function keptPackages(): string[] {
    const m = /const keep = \[([^\]]*)\]/.exec(dockerfile);
    if (!m) throw new Error("the Dockerfile has no `const keep = [...]` list");
    return [...m[1]!.matchAll(/"([^"]+)"/g)].map((x) => x[1]!);
}

/** Package names the compiled JavaScript under `dir` requires (bare specifiers; `node:` and relative paths excluded). */
function requiredPackages(dir: string): Set<string> {
    const found = new Set<string>();
    for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !entry.name.endsWith(".js")) continue;
        const js = fs.readFileSync(path.join(entry.parentPath, entry.name), "utf8");
        for (const [, spec] of js.matchAll(/require\("([^"]+)"\)/g)) {
            if (spec!.startsWith(".") || spec!.startsWith("node:")) continue;
            const parts = spec!.split("/");
            found.add(spec!.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!);
        }
    }
    return found;
}

/** The arguments of the Dockerfile's `RUN npx tsc ...` line (continuations joined). */
function tscArgs(): string[] {
    const joined = dockerfile.replace(/\\\n\s*/g, " ");
    const m = /RUN npx tsc ([^&\n]+?)\s*&&/.exec(joined);
    if (!m) throw new Error("the Dockerfile has no `RUN npx tsc ... &&` line");
    return m[1]!.trim().split(/\s+/);
}

describe("the admission webhook image's build stage", () => {
    it("sends the shared vocabulary in the build context and copies its output into the image", () => {
        expect(contextPaths()).toEqual(expect.arrayContaining(["package.json", "package-lock.json", "common", "admission-webhook"]));
        expect(dockerfile).toMatch(/^COPY common\/ \.\/common\/$/m);
        expect(dockerfile).toMatch(/^COPY --from=build .* \/src\/dist\/common \.\/dist\/common$/m);
    });

    it("compiles from the build context alone, and the compiled server and engine load", () => {
        for (const p of contextPaths()) fs.cpSync(path.join(ROOT, p), path.join(work, p), { recursive: true });
        fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(work, "node_modules"));
        execFileSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), ...tscArgs()], { cwd: work, stdio: "pipe" });
        const out = execFileSync(process.execPath, ["-e", 'require("./dist/admission-webhook/server/http/server.js"); require("./dist/admission-webhook/verification/index.js"); console.log("loaded")'], { cwd: work, encoding: "utf8" });
        expect(out.trim()).toBe("loaded");
        expect(fs.existsSync(path.join(work, "dist/common/image-reference.js"))).toBe(true);
        // Every package the compiled code requires survives the prune (e.g. ajv for the trust policy schema).
        const required = [...requiredPackages(path.join(work, "dist"))].filter((p) => !BUILTINS.has(p)).sort();
        expect(required).toContain("ajv");
        expect(required.filter((p) => !keptPackages().includes(p))).toEqual([]);
    }, 120_000);
});
