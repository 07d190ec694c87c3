/** `aiguard check`: evaluate a program or a planned stack with the policy pack. */
import * as fs from "node:fs";
import { Command, Option } from "commander";
import { UsageError } from "../errors";
import { exitCodeOf, SEVERITIES, verdictOf, type CheckResult, type FailOnSeverity, type RunMode } from "../evaluation/result";
import { createProgress, useColour, type Output } from "../io";
import type { CommandContext } from "./context";
import { describeError } from "../../common/errors";

export const FORMATS = ["text", "json", "sarif", "markdown"] as const;
export type Format = (typeof FORMATS)[number];

const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** Options shared by `check` and `report` (what to evaluate, and how the pack is configured). */
export function targetOptions(cmd: Command): Command {
    return cmd
        .argument("[program-dir]", "directory of the Pulumi program (holds Pulumi.yaml); default: the current directory")
        .option("-s, --stack <name>", "stack whose Pulumi.<stack>.yaml config the program gets (default: the only Pulumi.<stack>.yaml there; required when there are several)")
        .option("--set <key=value>", "stack config value, overriding the file; how to supply secure values (repeatable)", collect, [])
        .addOption(
            new Option(
                "-m, --mode <mode>",
                "how the program runs: preview = a first `pulumi preview` of a new stack (computed outputs unknown, references judged by their dependencies; default); update = every output known, as after `pulumi up`",
            ).choices(["preview", "update"]),
        )
        .option("--answers <file>", "YAML/JSON answers for lookups the program makes (AMI, VPC, zone IDs...): {version: 1, lookups: [{function: aws.ec2.getAmi, where: {...}, result: {...}}]}; lookups without an answer are unknown and named in the notes")
        .option("--from <file>", "evaluate `pulumi preview --json` or `pulumi stack export` output instead of running a program (- for stdin)")
        .option("-c, --config <file>", "settings JSON: `pulumi preview --policy-pack-config` form plus an \"aiguard\" block of pack-wide settings (`aiguard config expand` writes the same for Pulumi)")
        .option("--rule <name|glob>", "run only the rules matching (repeatable; e.g. aws-s3-*); every other rule is disabled in the policy config, as Pulumi would run it", collect, [])
        .option("--skip-rule <name|glob>", "never run the rules matching (repeatable); they are disabled in the policy config (the command line wins over --config)", collect, []);
}

export interface TargetFlags {
    stack?: string;
    set: string[];
    from?: string;
    config?: string;
    mode?: RunMode;
    answers?: string;
    rule: string[];
    skipRule: string[];
}

/** Runs the check (the engine is loaded here: it pulls in the Pulumi SDK, which `--help` does not need). */
export async function check(programDir: string | undefined, o: TargetFlags, io?: Output): Promise<CheckResult> {
    const { runCheck } = require("../evaluation/check") as typeof import("../evaluation/check");
    const progress = createProgress();
    try {
        return await runCheck({
            programDir,
            from: o.from,
            stack: o.stack,
            set: o.set,
            config: o.config,
            mode: o.mode,
            answers: o.answers,
            selection: { rules: o.rule, skipRules: o.skipRule },
            // The program's own output goes to stderr, never into the report on stdout.
            onProgramOutput: io ? (line) => io.err(`  │ ${line}`) : undefined,
            progress,
        });
    } finally {
        progress.done();
    }
}

/** Writes `text` to `file`, or to stdout when no file is given. */
export function emit(text: string, file: string | undefined, io: Output, flag = "--output"): void {
    if (file === undefined) return io.out(text);
    try {
        fs.writeFileSync(file, text.endsWith("\n") ? text : `${text}\n`);
    } catch (err) {
        throw new UsageError(`cannot write ${flag} ${file}: ${describeError(err)}`, "pass a path in an existing, writable directory");
    }
}

/** Renders a check result in one of {@link FORMATS}. */
export function render(result: CheckResult, format: Format, colour: boolean, sarif: { category?: string } = {}): string {
    switch (format) {
        case "json":
            return (require("../report/json") as typeof import("../report/json")).renderJson(result);
        case "sarif":
            return (require("../report/sarif") as typeof import("../report/sarif")).renderSarif(result, sarif);
        case "markdown":
            return (require("../report/markdown") as typeof import("../report/markdown")).renderMarkdown(result);
        case "text":
            return (require("../report/text") as typeof import("../report/text")).renderText(result, { colour });
    }
}

export function registerCheck(program: Command, ctx: CommandContext): void {
    targetOptions(
        program
            .command("check")
            .description(
                "Evaluate a Pulumi program offline (no cloud account, no Pulumi CLI) or a planned stack (--from) with the aiguard policy pack, " +
                    "sending every resource over the analyzer protocol as `pulumi preview --policy-pack` does.",
            ),
    )
        .addOption(new Option("-f, --format <format>", "output format").choices(FORMATS).default("text"))
        .option("-o, --output <file>", "write the report to a file instead of stdout (the verdict still goes to stderr)")
        .option("--baseline <file>", "accept the findings listed in this baseline: they are reported as baselined (suppressed) and never fail the run; only new findings do; entries that match nothing are listed as fixed")
        .option("--write-baseline <file>", "write every finding of this run to a baseline file (identified by rule + resource URN); the report shows them as baselined and the run exits 0; use the file later with --baseline")
        .addOption(new Option("--fail-on <severity>", "exit 1 only for mandatory findings of this severity or higher (advisory findings never fail; default: every mandatory finding fails)").choices(SEVERITIES))
        .option("--sarif-category <id>", "SARIF automationDetails.id (GitHub code scanning's category); default none, so upload-sarif's `category:` input applies")
        .addHelpText(
            "after",
            [
                "",
                "Exit codes: 0 no mandatory violation, 1 mandatory violations (block the change), 2 usage or input error.",
                "Exit 2 also for a program that fails, and for a run that judged no resource at all (not a pass).",
                "--fail-on narrows exit 1 by severity; it never promotes: an advisory finding (per the rule's level or",
                "--config) does not fail at any threshold, and a mandatory one below the threshold is reported, not failed.",
                "Exempted findings (--config exemptions) and baselined findings (--baseline) never fail.",
                "",
                "Resources the run cannot see (components implemented in provider plugins, dynamic providers, stack",
                "references, .get() reads, Helm charts) are listed under \"Not seen\" in every format; then the verdict",
                "is \"passed where seen\" (exit 0) and the fix is to check a real `pulumi preview --json` with --from.",
                "The program's own output goes to stderr, so --format json/sarif on stdout always parses; a failed",
                "run writes an error document in those formats.",
                "",
                "Examples:",
                "  aiguard check --stack dev                                  # the program in the current directory",
                "  aiguard check stacks/insecure-demo --format markdown       # a PR comment",
                "  pulumi preview --json --show-sames > preview.json && aiguard check --from preview.json --format sarif -o aiguard.sarif",
                "  pulumi stack export > stack.json && aiguard check --from stack.json --config policy-config.json",
                "  aiguard check --stack prod --write-baseline aiguard-baseline.json    # accept today's findings",
                "  aiguard check --stack prod --baseline aiguard-baseline.json --fail-on high",
                "  aiguard check --rule 'aws-s3-*' --skip-rule aws-s3-bucket-enable-access-logging",
            ].join("\n"),
        )
        .action(async (programDir: string | undefined, o: TargetFlags & CheckFlags) => {
            if (o.baseline !== undefined && o.writeBaseline !== undefined) {
                throw new UsageError("give either --baseline or --write-baseline, not both", "write a new baseline without --baseline (it lists every finding of the run)");
            }
            const { applyBaseline, createBaseline, readBaseline, renderBaseline } = require("../evaluation/baseline") as typeof import("../evaluation/baseline");
            const baseline = o.baseline !== undefined ? readBaseline(o.baseline) : undefined;
            if (o.sarifCategory !== undefined && o.format !== "sarif") throw new UsageError("--sarif-category applies to --format sarif", "add --format sarif, or drop --sarif-category");
            let result: CheckResult;
            try {
                result = await check(programDir, o, ctx.io);
            } catch (err) {
                emitErrorDocument(err, o.format, o.output, ctx.io);
                throw err;
            }
            if (baseline) result = applyBaseline(result, baseline, o.baseline!);
            if (o.failOn) result = { ...result, failOn: o.failOn };
            if (o.writeBaseline !== undefined) {
                // The report then shows this run against the baseline just written: every finding accepted.
                const written = createBaseline(result);
                emit(renderBaseline(written), o.writeBaseline, ctx.io, "--write-baseline");
                ctx.io.err(`aiguard: baseline written to ${o.writeBaseline}: ${written.findings.length} finding(s) of ${new Set(written.findings.map((f) => f.rule)).size} rule(s) accepted (identified by rule + resource URN); run with --baseline ${o.writeBaseline} to fail only on new findings`);
                result = applyBaseline(result, written, o.writeBaseline);
            }
            const colour = o.output === undefined && o.format === "text" && useColour(process.stdout);
            emit(render(result, o.format, colour, { category: o.sarifCategory }), o.output, ctx.io);
            if (o.output !== undefined || o.format !== "text") {
                const { renderVerdict } = require("../report/text") as typeof import("../report/text");
                ctx.io.err(`${renderVerdict(result, useColour(process.stderr))}${o.output ? ` (report: ${o.output})` : ""}`);
            }
            if (verdictOf(result) === "nothing-judged") {
                ctx.io.err(`aiguard: error: no resource was judged: the run saw ${result.unseen.length > 0 ? `only what it cannot judge (${result.unseen.map((u) => u.name).join(", ")})` : "no resources"}`);
                ctx.io.err(`  fix: ${result.unseen.length > 0 ? (require("../evaluation/unseen") as typeof import("../evaluation/unseen")).UNSEEN_FIX : "check the program declares resources (an exported async function is called), or pass the right directory"}`);
            }
            ctx.exit(exitCodeOf(result));
        });
}

interface CheckFlags {
    format: Format;
    output?: string;
    baseline?: string;
    writeBaseline?: string;
    failOn?: FailOnSeverity;
    sarifCategory?: string;
}

/** For machine formats, a failed run still writes a document (then the error goes to stderr as usual). */
function emitErrorDocument(err: unknown, format: Format, output: string | undefined, io: Output): void {
    if (format !== "json" && format !== "sarif") return;
    const error = err instanceof UsageError ? { message: err.message, ...(err.fix ? { fix: err.fix } : {}) } : { message: `internal error: ${describeError(err)}` };
    const text =
        format === "json"
            ? (require("../report/json") as typeof import("../report/json")).renderJsonError(error)
            : (require("../report/sarif") as typeof import("../report/sarif")).renderSarifError(error);
    try {
        emit(text, output, io);
    } catch {
        // The error itself is reported on stderr; an unwritable --output must not hide it.
    }
}
