/**
 * `aiguard demo` (`npm start`): the two example programs, checked exactly as `aiguard check` checks
 * any program. The example platform (stacks/platform, stack dev, built from aiguard's components)
 * must pass; the insecure demo (stacks/insecure-demo, raw resources configured the way teams get
 * them wrong) must be blocked. Exit 0 when both do, 1 when either does not, 2 when the programs are
 * missing (see cli/demo/programs.ts for where they are looked up).
 */
import * as path from "node:path";
import { Option, type Command } from "commander";
import { EXIT_OK, EXIT_VIOLATIONS } from "../errors";
import type { RecordedResource } from "../../offline/recorded";
import { resolveDemoPrograms } from "../demo/programs";
import type { CheckResult, RunMode } from "../evaluation/result";
import { createProgress, useColour } from "../io";
import type { CommandContext } from "./context";

interface Case {
    readonly title: string;
    readonly dir: string;
    readonly stack?: string;
    readonly expect: "pass" | "block";
    readonly summarise: boolean;
}

export function registerDemo(program: Command, ctx: CommandContext): void {
    program
        .command("demo")
        .description("Check the bundled example platform (must pass) and the insecure demo (must be blocked); exit 0 when both behave so.")
        .option("--stack <name>", "stack of the example platform (dev or prod)", "dev")
        .addOption(new Option("-m, --mode <mode>", "run the programs as a first preview (computed outputs unknown) or as an update (all outputs known)").choices(["preview", "update"]).default("preview"))
        .option("--examples <dir>", "directory holding the example programs: Pulumi.yaml (the platform) and stacks/insecure-demo/ (default: aiguard's own directory)")
        .action(async (o: { stack: string; mode: RunMode; examples?: string }) => {
            const programs = resolveDemoPrograms(o.examples);
            const { runCheck } = require("../evaluation/check") as typeof import("../evaluation/check");
            const { renderText, renderVerdict } = require("../report/text") as typeof import("../report/text");
            const { summarise } = require("../demo/platform-summary") as typeof import("../demo/platform-summary");
            const colour = useColour(process.stdout);
            const rel = (p: string) => path.relative(process.cwd(), p) || ".";
            const cases: Case[] = [
                { title: "Example platform, built from aiguard's components", dir: programs.platform, stack: o.stack, expect: "pass", summarise: true },
                { title: "Insecure demo, raw resources declared the way teams get them wrong", dir: programs.insecureDemo, expect: "block", summarise: false },
            ];
            const outcomes: { c: Case; result: CheckResult; ok: boolean }[] = [];
            ctx.io.out(
                o.mode === "preview"
                    ? "Mode: first preview (what a pull request's `pulumi preview` sends: computed outputs unknown, references judged by their dependencies; --mode update for all outputs known)\n"
                    : "Mode: update (every computed output known, as after `pulumi up`; the default --mode preview shows what a pull request's first preview sends)\n",
            );
            for (const [i, c] of cases.entries()) {
                ctx.io.out(`${i > 0 ? "\n" : ""}━━ ${i + 1}/${cases.length}  ${c.title}  →  expected: ${c.expect === "pass" ? "PASS" : "BLOCKED"}`);
                ctx.io.out(`   aiguard check ${rel(c.dir)}${c.stack ? ` --stack ${c.stack}` : ""} --mode ${o.mode}\n`);
                let resources: readonly RecordedResource[] = [];
                const progress = createProgress();
                let result: CheckResult;
                try {
                    result = await runCheck({ programDir: rel(c.dir), stack: c.stack, mode: o.mode, progress, onProgramRun: (r) => (resources = r), onProgramOutput: (line) => ctx.io.err(`  │ ${line}`) });
                } finally {
                    progress.done();
                }
                if (c.summarise) {
                    const custom = resources.filter((r) => r.custom).length;
                    ctx.io.out(`Provisions ${custom} resources through ${resources.length - custom} components:`);
                    for (const line of summarise(resources)) ctx.io.out(`  ${line}`);
                    ctx.io.out("");
                }
                // The blocked demo lists every finding; `aiguard check` on it also prints each fix.
                ctx.io.out(renderText(result, { colour, remediation: c.expect === "pass" }));
                const blocked = result.findings.some((f) => f.level === "mandatory");
                outcomes.push({ c, result, ok: blocked === (c.expect === "block") });
            }
            ctx.io.out("\n━━ Demo result");
            for (const { c, result, ok } of outcomes) {
                ctx.io.out(`   ${ok ? "as expected" : "NOT AS EXPECTED"} (expected ${c.expect === "pass" ? "pass" : "blocked"}): ${rel(c.dir)}  ${renderVerdict(result, colour)}`);
            }
            const allOk = outcomes.every((x) => x.ok);
            ctx.io.out(
                allOk
                    ? "\nBoth checks behaved as expected: the compliant platform passes and the non-compliant change is blocked (exit 0)."
                    : "\nA check did not behave as expected (exit 1): see above.",
            );
            ctx.exit(allOk ? EXIT_OK : EXIT_VIOLATIONS);
        });
}
