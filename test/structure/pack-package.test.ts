/**
 * The pack folder is a package of its own (what `pulumi policy publish` bundles): its compiled
 * entry point exists where package.json says, it carries the shared vocabulary it imports, and
 * every package its compiled code requires is declared in its own package.json, at the versions
 * the repository installs.
 */
import * as fs from "node:fs";
import { builtinModules } from "node:module";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..", "..");
const PACK = path.join(ROOT, "policies");
const pkg = JSON.parse(fs.readFileSync(path.join(PACK, "package.json"), "utf8")) as { main: string; files: string[]; dependencies: Record<string, string> };
const rootPkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };

function compiled(dir: string): string[] {
    return fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".js")).map((f) => path.join(dir, f));
}

/** The package part of a bare specifier (`@pulumi/aws/s3` → `@pulumi/aws`). */
function packageOf(spec: string): string {
    const parts = spec.split("/");
    return spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

describe("the policy pack's package", () => {
    it("has its compiled entry point, the shared vocabulary and the rule manifest in bin/, which it publishes", () => {
        expect(fs.existsSync(path.join(PACK, pkg.main))).toBe(true);
        expect(fs.existsSync(path.join(PACK, "bin", "common", "image-reference.js"))).toBe(true);
        expect(fs.existsSync(path.join(PACK, "bin", "rules.json"))).toBe(true);
        expect(pkg.files).toEqual(expect.arrayContaining(["bin", "PulumiPolicy.yaml"]));
    });

    it("declares every package its compiled code requires, at the repository's versions", () => {
        const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
        const required = new Set<string>();
        for (const file of compiled(path.join(PACK, "bin"))) {
            for (const m of fs.readFileSync(file, "utf8").matchAll(/require\("([^".][^"]*)"\)/g)) {
                if (!builtins.has(m[1]!)) required.add(packageOf(m[1]!));
            }
        }
        expect(required.size).toBeGreaterThan(0);
        for (const p of required) {
            expect(pkg.dependencies[p], `policies/package.json lacks ${p}`).toBeDefined();
            expect(pkg.dependencies[p], p).toBe(rootPkg.dependencies[p]);
        }
    });
});
