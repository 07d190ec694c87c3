/**
 * `aiguard config expand <settings.json>`: a team's one settings block (pack-wide `aiguard`
 * settings, `"all"`, per-rule levels and exemptions) written out as the per-policy config that
 * `pulumi preview --policy-pack-config` takes. `aiguard check --config` applies the same
 * expansion (cli/evaluation/policy-config.ts), so the two give the same verdicts.
 */
import { Command } from "commander";
import type { CommandContext } from "./context";
import { emit } from "./check";

export function registerConfig(program: Command, ctx: CommandContext): void {
    const config = program.command("config").description("Policy configuration: one settings block for `aiguard check --config` and `pulumi preview --policy-pack-config`.");
    config
        .command("expand")
        .description(
            "Expand a settings file into the per-policy config Pulumi takes: the pack-wide \"aiguard\" block spread over every policy that declares " +
                "each setting, its exemptions added to each policy's own, \"all\" written out per policy with aiguard's reports kept advisory; " +
                "every value validated against the policy's schema, as the Pulumi CLI does.",
        )
        .argument("<settings>", "settings JSON file (as for `aiguard check --config`; - reads stdin)")
        .option("-o, --output <file>", "write the expanded config to a file instead of stdout")
        .addHelpText(
            "after",
            [
                "",
                "Exit codes: 0 written, 2 the settings are invalid (unknown policy or setting, a value the schema rejects, a report made blocking).",
                "",
                "Examples:",
                "  aiguard config expand aiguard-settings.json -o policy-config.json",
                "  pulumi preview --policy-pack node_modules/aiguard/policies --policy-pack-config policy-config.json",
                "  aiguard check --config aiguard-settings.json        # same verdicts, from the same file",
            ].join("\n"),
        )
        .action(async (settings: string, o: { output?: string }) => {
            const { expandSettingsFile } = require("../evaluation/expand") as typeof import("../evaluation/expand");
            const expanded = await expandSettingsFile(settings);
            emit(JSON.stringify(expanded, null, 2), o.output, ctx.io);
            ctx.exit(0);
        });
}
