/**
 * Where aiguard's own files are, whether it runs from its sources (a checkout: this module is
 * `<root>/offline/package-root.ts`, loaded through tsx) or compiled (an installed package: it is
 * `<root>/dist/offline/package-root.js`). Also the package's `aiguard/policies` entry point, so a
 * consumer's scripts can find the compiled pack without spelling out `node_modules/aiguard/policies`.
 */
import * as fs from "node:fs";
import * as path from "node:path";

function isAiguardRoot(dir: string): boolean {
    try {
        return (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: unknown }).name === "aiguard";
    } catch {
        return false;
    }
}

function findPackageRoot(from: string): string {
    // Sources sit one level below the root, the compiled package two (dist/offline).
    for (const up of ["..", path.join("..", "..")]) {
        const dir = path.resolve(from, up);
        if (isAiguardRoot(dir)) return dir;
    }
    throw new Error(`aiguard's package.json is not above ${from}: the package is incomplete; reinstall aiguard`);
}

/** The aiguard package's directory (holds package.json and `policies/`). */
export const PACKAGE_ROOT: string = findPackageRoot(__dirname);

/** The CrossGuard policy pack's directory: pass it to `pulumi preview --policy-pack`. */
export const PACK_DIR: string = path.join(PACKAGE_ROOT, "policies");
