/**
 * `aiguard`: the command line of the aiguard policy pack.
 *
 *   aiguard check [program-dir]     evaluate a program offline, or --from preview/export JSON
 *   aiguard report [program-dir]    compliance matrix (Markdown or self-contained HTML)
 *   aiguard rules                   list the pack's rules (filter by clause, service, severity)
 *   aiguard explain <rule>          one rule in full: clauses, fix, settings, exemption, examples
 *   aiguard demo                    the example platform passes, the insecure demo is blocked
 *   aiguard verify-image <ref>      verify an image's signature against a trust policy
 *   aiguard check-manifests <f...>  verify every image of Kubernetes manifests
 *
 * Exit codes: 0 clean / verified, 1 mandatory violations / denied, 2 usage or input error.
 * Installed as the `aiguard` bin (cli/aiguard.js), which runs this file through tsx.
 */
import { Command, CommanderError } from "commander";
import { EXIT_USAGE, UsageError } from "./errors";
import { processOutput, type Output } from "./io";
import { registerAdmission } from "./commands/admission";
import { registerCheck } from "./commands/check";
import type { CommandContext } from "./commands/context";
import { registerDemo } from "./commands/demo";
import { registerReport } from "./commands/report";
import { registerRules } from "./commands/rules";
import { TOOL_VERSION } from "./report/version";
import { describeError } from "../common/errors";

/** Builds the CLI. Commands write through `io` and report their exit code through `exit`. */
export function buildCli(io: Output, exit: (code: number) => void): Command {
    const ctx: CommandContext = { io, exit };
    const program = new Command("aiguard")
        .description(
            "Policy checks for AI infrastructure against the NCSC/CISA Guidelines for Secure AI System Development " +
                "and the UK Code of Practice for the Cyber Security of AI.",
        )
        .version(TOOL_VERSION, "-V, --version")
        .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
        .exitOverride()
        .showHelpAfterError("(run with --help for usage)")
        .addHelpText("after", "\nExit codes: 0 clean, 1 mandatory violations (or an image denied), 2 usage or input error.\nEvery command has --help.");
    registerCheck(program, ctx);
    registerReport(program, ctx);
    registerRules(program, ctx);
    registerDemo(program, ctx);
    registerAdmission(program, ctx);
    return program;
}

/** Runs the CLI with `argv` (without `node` and the script) and resolves with the exit code. */
export async function run(argv: readonly string[], io: Output = processOutput): Promise<number> {
    let code = 0;
    const program = buildCli(io, (c) => {
        code = c;
    });
    try {
        await program.parseAsync([...argv], { from: "user" });
        return code;
    } catch (err) {
        if (err instanceof CommanderError) {
            // Commander has printed its message already.
            return ["commander.helpDisplayed", "commander.help", "commander.version"].includes(err.code) ? 0 : EXIT_USAGE;
        }
        if (err instanceof UsageError) {
            io.err(`aiguard: error: ${err.message}${err.fix ? `\n  fix: ${err.fix}` : ""}`);
            return EXIT_USAGE;
        }
        io.err(`aiguard: internal error: ${describeError(err)}${process.env.AIGUARD_DEBUG ? `\n${(err as Error).stack ?? ""}` : "\n  (set AIGUARD_DEBUG=1 to see the stack trace)"}`);
        return EXIT_USAGE;
    }
}
