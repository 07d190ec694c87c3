/** `npm start` (= `aiguard demo`): the example platform passes, the insecure demo is blocked, exit 0. */
import { describe, expect, it } from "vitest";
import { aiguard, REPO_ROOT, STACK_TRACE } from "./support";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PACKAGE_ROOT, resolveDemoPrograms } from "../../cli/demo/programs";
import { UsageError } from "../../cli/errors";

function examplesDir(files: readonly string[]): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aiguard-demo-"));
    for (const f of files) {
        fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        fs.writeFileSync(path.join(dir, f), "");
    }
    return dir;
}

describe("the demo's example programs (a run-time input, not an import)", () => {
    it("are found in aiguard's own directory by default", () => {
        expect(PACKAGE_ROOT).toBe(REPO_ROOT);
        expect(resolveDemoPrograms()).toEqual({ platform: REPO_ROOT, insecureDemo: path.join(REPO_ROOT, "stacks", "insecure-demo") });
    });

    it("are found in any directory laid out the same way", () => {
        const dir = examplesDir(["Pulumi.yaml", "stacks/insecure-demo/index.ts"]);
        expect(resolveDemoPrograms(dir)).toEqual({ platform: dir, insecureDemo: path.join(dir, "stacks", "insecure-demo") });
    });

    it("name exactly what is missing", () => {
        const dir = examplesDir(["Pulumi.yaml"]);
        expect(() => resolveDemoPrograms(dir)).toThrow(UsageError);
        expect(() => resolveDemoPrograms(dir)).toThrow(/insecure demo's program \(stacks\/insecure-demo\/index\.ts\) missing$/);
        expect(() => resolveDemoPrograms(dir)).not.toThrow(/Pulumi\.yaml/);
    });
});

describe("aiguard demo (npm start)", () => {
    it("is what npm start runs", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
        expect(pkg.scripts.start).toBe("node cli/aiguard.js demo");
        expect(pkg.bin).toEqual({ aiguard: "cli/aiguard.js" });
    });

    it("shows one pass and one blocked change, and exits 0 because both behaved as expected", async () => {
        const r = await aiguard(["demo"]);
        expect(r.code).toBe(0);
        expect(r.stdout).toContain("━━ 1/2  Example platform, built from aiguard's components  →  expected: PASS");
        expect(r.stdout).toMatch(/^Provisions \d+ resources through \d+ components:\n {2}Networks {3}2 VPCs \(training /m);
        expect(r.stdout).toContain("━━ 2/2  Insecure demo, raw resources declared the way teams get them wrong  →  expected: BLOCKED");
        expect(r.stdout).toMatch(/^ {3}as expected \(expected pass\): \. {2}✔ PASSED {2}no mandatory violations/m);
        expect(r.stdout).toMatch(/^ {3}as expected \(expected blocked\): stacks\/insecure-demo {2}✖ BLOCKED {2}\d+ mandatory violations/m);
        expect(r.stdout).toContain("Both checks behaved as expected: the compliant platform passes and the non-compliant change is blocked (exit 0).");
    }, 300_000);

    it("stops with a usage error and a fix when the example programs are absent (exit 2)", async () => {
        const dir = examplesDir([]);
        const r = await aiguard(["demo", "--examples", dir]);
        expect(r.code).toBe(2);
        expect(r.stdout).toBe("");
        expect(r.stderr).toContain(`aiguard: error: the demo's example programs are not in ${dir}: the example platform's project file (Pulumi.yaml) and the insecure demo's program (stacks/insecure-demo/index.ts) missing`);
        expect(r.stderr).toMatch(/^ {2}fix: pass --examples <dir> pointing at a directory with Pulumi\.yaml and stacks\/insecure-demo\//m);
        expect(r.stderr).not.toMatch(STACK_TRACE);
    });
});
