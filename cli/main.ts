/**
 * `aiguard`: the command line of the aiguard policy pack.
 *
 *   aiguard check [program-dir]     evaluate a program offline, or --from preview/export JSON
 *   aiguard report [program-dir]    compliance matrix (Markdown or self-contained HTML)
 *   aiguard config expand <file>    one settings block -> Pulumi's per-policy --policy-pack-config
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
import { registerConfig } from "./commands/config";
import type { CommandContext } from "./commands/context";
import { registerDemo } from "./commands/demo";
import { registerReport } from "./commands/report";
import { registerRules } from "./commands/rules";
import { TOOL_VERSION } from "./report/version";
import { describeError } from "../common/errors";
import { InputError, inputErrorLines } from "../admission-webhook/server/offline/verify";

/** A commander error (unknown option, missing argument, invalid choice...): its text and the command it concerns. */
interface ParseError {
    readonly message: string;
    readonly command: string;
}

/** The `fix:` line for a commander error code. */
function parseFix(code: string, command: string): string {
    const help = `\`${command} --help\``;
    switch (code) {
        case "commander.unknownCommand":
            return "run `aiguard --help` for the commands";
        case "commander.unknownOption":
            return `run ${help} for its options`;
        case "commander.invalidArgument":
            return `use one of the allowed values (${help} lists them)`;
        case "commander.missingArgument":
        case "commander.optionMissingArgument":
        case "commander.missingMandatoryOptionValue":
            return `run ${help} for what it needs`;
        case "commander.excessArguments":
            return `run ${help} for its arguments (quote globs such as 'aws-s3-*' so the shell does not expand them)`;
        default:
            return `run ${help}`;
    }
}

/** The full name of a command (`aiguard check`). */
function commandPath(cmd: Command): string {
    const names: string[] = [];
    for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
    return names.join(" ");
}

/**
 * Routes commander's own error output of `cmd` and every subcommand (including the admission
 * commands, built by another program) into `onError`, so it is printed in aiguard's one error style.
 */
function captureParseErrors(cmd: Command, io: Output, onError: (e: ParseError) => void): void {
    cmd.configureOutput({
        writeOut: (s) => io.out(s.trimEnd()),
        writeErr: (s) => io.err(s.trimEnd()),
        outputError: (s) => onError({ message: s.trim().replace(/^error:\s*/, "").replace(/\s*\n\s*/g, " "), command: commandPath(cmd) }),
    });
    cmd.showHelpAfterError(false);
    for (const sub of cmd.commands) captureParseErrors(sub, io, onError);
}

let lastParseError: ParseError | undefined;

/** Builds the CLI. Commands write through `io` and report their exit code through `exit`. */
export function buildCli(io: Output, exit: (code: number) => void): Command {
    const ctx: CommandContext = { io, exit };
    const program = new Command("aiguard")
        .description(
            "Policy checks for AI infrastructure against the NCSC/CISA Guidelines for Secure AI System Development " +
                "and the UK Code of Practice for the Cyber Security of AI.",
        )
        .version(TOOL_VERSION, "-V, --version")
        .exitOverride()
        .addHelpText("after", "\nExit codes: 0 clean, 1 mandatory violations (or an image denied), 2 usage or input error.\nEvery command has --help.");
    registerCheck(program, ctx);
    registerReport(program, ctx);
    registerConfig(program, ctx);
    registerRules(program, ctx);
    registerDemo(program, ctx);
    registerAdmission(program, ctx);
    captureParseErrors(program, io, (e) => (lastParseError = e));
    return program;
}

/** Runs the CLI with `argv` (without `node` and the script) and resolves with the exit code. */
export async function run(argv: readonly string[], io: Output = processOutput): Promise<number> {
    let code = 0;
    lastParseError = undefined;
    const program = buildCli(io, (c) => {
        code = c;
    });
    try {
        await program.parseAsync([...argv], { from: "user" });
        return code;
    } catch (err) {
        if (err instanceof CommanderError) {
            if (["commander.helpDisplayed", "commander.help", "commander.version"].includes(err.code)) return 0;
            const parse = lastParseError ?? { message: err.message.replace(/^error:\s*/, ""), command: "aiguard" };
            io.err(`aiguard: error: ${parse.message}\n  fix: ${parseFix(err.code, parse.command)}`);
            return EXIT_USAGE;
        }
        if (err instanceof UsageError) {
            io.err(`aiguard: error: ${err.message}${err.fix ? `\n  fix: ${err.fix}` : ""}`);
            return EXIT_USAGE;
        }
        if (err instanceof InputError) {
            io.err(inputErrorLines("aiguard", err).join("\n"));
            return EXIT_USAGE;
        }
        io.err(`aiguard: internal error: ${describeError(err)}${process.env.AIGUARD_DEBUG ? `\n${(err as Error).stack ?? ""}` : "\n  (set AIGUARD_DEBUG=1 to see the stack trace)"}`);
        return EXIT_USAGE;
    }
}
