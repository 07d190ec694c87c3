/**
 * `aiguard verify-image` and `aiguard check-manifests`: the admission webhook's offline checks, the
 * very commands of `admission-webhook/cli.ts` (same engine, flags, output and exit codes: 0
 * verified, 1 denied, 2 usage or input error), mounted under `aiguard`.
 */
import type { Command } from "commander";
import { buildProgram } from "../../admission-webhook/cli";
import type { CommandContext } from "./context";
import { TOOL_VERSION } from "../report/version";

/** The admission CLI's commands that `aiguard` exposes (`serve` stays with the webhook's own CLI). */
export const ADMISSION_COMMANDS = ["verify-image", "check-manifests"] as const;

export function registerAdmission(program: Command, ctx: CommandContext): void {
    const admission = buildProgram(ctx.io, ctx.exit, TOOL_VERSION);
    for (const name of ADMISSION_COMMANDS) {
        const cmd = admission.commands.find((c) => c.name() === name);
        if (!cmd) throw new Error(`admission-webhook/cli.ts no longer defines the "${name}" command`);
        program.addCommand(cmd);
    }
}
