/** `npm start` (= `aiguard demo`): the example platform passes, the insecure demo is blocked, exit 0. */
import { describe, expect, it } from "vitest";
import { aiguard, REPO_ROOT } from "./support";
import * as fs from "node:fs";
import * as path from "node:path";

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
});
