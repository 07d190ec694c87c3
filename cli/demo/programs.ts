/**
 * Where `aiguard demo` finds the two example programs it checks. They are an input of the demo,
 * located at run time, not code the CLI imports:
 *
 *   <examples>/Pulumi.yaml            the example platform's project (main: stacks/platform/index.ts)
 *   <examples>/stacks/insecure-demo/  the insecure demo (a bare Node.js program)
 *
 * `<examples>` is `--examples <dir>` when given, else the aiguard package's own directory. A
 * checkout has them; the installed package does not (the programs import the components' sources,
 * which it does not ship), so there the demo stops with a usage error saying which program is
 * missing and to point `--examples` at a checkout.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PACKAGE_ROOT } from "../../offline/package-root";
import { UsageError } from "../errors";

export { PACKAGE_ROOT };

/** Relative to the examples directory: the insecure demo's program directory. */
export const INSECURE_DEMO_DIR = path.join("stacks", "insecure-demo");

export interface DemoPrograms {
    /** Program directory of the example platform (holds its Pulumi.yaml). */
    readonly platform: string;
    /** Program directory of the insecure demo. */
    readonly insecureDemo: string;
}

/** Locates the demo's programs under `examplesDir`. Throws {@link UsageError} naming what is missing. */
export function resolveDemoPrograms(examplesDir: string = PACKAGE_ROOT): DemoPrograms {
    const root = path.resolve(examplesDir);
    const platform = root;
    const insecureDemo = path.join(root, INSECURE_DEMO_DIR);
    const required = [
        { what: "the example platform's project file", file: path.join(platform, "Pulumi.yaml") },
        { what: "the insecure demo's program", file: path.join(insecureDemo, "index.ts") },
    ];
    const missing = required.filter((r) => !fs.existsSync(r.file));
    if (missing.length > 0) {
        throw new UsageError(
            `the demo's example programs are not in ${root}: ${missing.map((m) => `${m.what} (${path.relative(root, m.file)})`).join(" and ")} missing`,
            `pass --examples <dir> pointing at a directory with Pulumi.yaml and ${INSECURE_DEMO_DIR}/ (an aiguard checkout), or run \`aiguard check <program-dir>\` on your own program`,
        );
    }
    return { platform, insecureDemo };
}
