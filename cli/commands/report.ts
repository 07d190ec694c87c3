/** `aiguard report`: the compliance matrix of a program or planned stack, as Markdown or HTML. */
import { Command, Option } from "commander";
import { EXIT_OK } from "../errors";
import type { CommandContext } from "./context";
import { check, emit, targetOptions, type TargetFlags } from "./check";

export const REPORT_FORMATS = ["markdown", "html"] as const;

export function registerReport(program: Command, ctx: CommandContext): void {
    targetOptions(
        program
            .command("report")
            .description(
                "Compliance matrix: every clause of both documents, the controls and rules that enforce it, their status on this stack " +
                    "(pass / fail / not applicable), exemptions with justifications, and the clauses infrastructure code cannot enforce.",
            ),
    )
        .addOption(new Option("-f, --format <format>", "markdown, or html (one self-contained page)").choices(REPORT_FORMATS).default("markdown"))
        .option("-o, --output <file>", "write to a file instead of stdout")
        .addHelpText("after", "\nExit codes: 0 report written (whatever the stack's status; gate CI with `aiguard check`), 2 usage or input error.\n\nExample:\n  aiguard report --stack prod --format html -o compliance.html")
        .action(async (programDir: string | undefined, o: TargetFlags & { format: (typeof REPORT_FORMATS)[number]; output?: string }) => {
            const result = await check(programDir, o, ctx.io);
            if (result.selection) {
                const { describeSelection } = require("../evaluation/selection") as typeof import("../evaluation/selection");
                ctx.io.err(`aiguard: ${describeSelection(result.selection)}`);
            }
            const { buildMatrix } = require("../report/matrix") as typeof import("../report/matrix");
            const matrix = buildMatrix(result);
            const text =
                o.format === "html"
                    ? (require("../report/matrix-html") as typeof import("../report/matrix-html")).renderMatrixHtml(matrix)
                    : (require("../report/matrix-markdown") as typeof import("../report/matrix-markdown")).renderMatrixMarkdown(matrix);
            emit(text, o.output, ctx.io);
            if (o.output) ctx.io.err(`aiguard: compliance report written to ${o.output}`);
            ctx.exit(EXIT_OK);
        });
}
