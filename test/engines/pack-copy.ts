/**
 * A private build of aiguard's policy pack for CLI tests.
 *
 * `buildPack()` (offline/analyzer-client.ts) compiles into the shared `policies/bin`, and several
 * test files call it; tsc rewrites every file in place, so a CLI loading `policies/bin` while
 * another process rebuilds it can read a torn module (seen here as
 * `TypeError: Cannot read properties of undefined (reading 'kind') at toPolicy`). This compiles
 * the same tsc project (`policies/tsconfig.json`) with `--outDir` into a directory of its own and
 * copies the pack's `PulumiPolicy.yaml` and `package.json` beside it, so the CLI loads exactly the
 * pack `pulumi preview --policy-pack policies` would, from files no one else writes.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { REPO_ROOT } from "../../fixtures/engines/tools";

/** The pack's source directory. */
export const PACK_SOURCE = path.join(REPO_ROOT, "policies");

/**
 * Compiles the pack into `dest` (`dest/bin`, `dest/package.json`, `dest/PulumiPolicy.yaml`, and
 * `dest/node_modules` linked to the repository's). Returns `dest`. Throws with tsc's output.
 */
export function compilePackCopy(dest: string): string {
    mkdirSync(dest, { recursive: true });
    const tsc = createRequire(__filename).resolve("typescript/bin/tsc");
    try {
        execFileSync(process.execPath, [tsc, "-p", path.join(PACK_SOURCE, "tsconfig.json"), "--outDir", path.join(dest, "bin")], {
            cwd: REPO_ROOT,
            stdio: "pipe",
        });
    } catch (e) {
        const err = e as { stdout?: Buffer; stderr?: Buffer; message: string };
        throw new Error(`compiling the policy pack into ${dest} failed:\n${String(err.stdout ?? "")}${String(err.stderr ?? "")}${err.message}`);
    }
    for (const file of ["PulumiPolicy.yaml", "package.json"]) copyFileSync(path.join(PACK_SOURCE, file), path.join(dest, file));
    symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dest, "node_modules"), "dir");
    return dest;
}
