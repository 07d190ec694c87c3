/** `aiguard rules` (list and filter the pack's rules) and `aiguard explain <rule>` (one rule in full). */
import { Command, Option } from "commander";
import { readRuleManifest, type RuleManifestEntry } from "../../common/rule-manifest";
import { describeError } from "../../common/errors";
import { UsageError } from "../errors";
import { createProgress } from "../io";
import { explainRule, filterRules, findRule, servicesOf, type RuleExplanation } from "../rules/catalogue";
import type { RuleExamples } from "../rules/examples";
import { wrap } from "../report/text";
import type { CommandContext } from "./context";

const FORMATS = ["text", "json"] as const;

/** The built pack's rule manifest (compiling the pack first when its sources changed, as `check` does). */
async function loadRules(): Promise<readonly RuleManifestEntry[]> {
    const { ensurePackBuilt } = require("../evaluation/check") as typeof import("../evaluation/check");
    const { PACK_DIR } = require("../../offline/analyzer-client") as typeof import("../../offline/analyzer-client");
    const progress = createProgress();
    try {
        await ensurePackBuilt(progress);
    } finally {
        progress.done();
    }
    try {
        return readRuleManifest(PACK_DIR).rules;
    } catch (err) {
        throw new UsageError(describeError(err), "reinstall aiguard, or in a checkout run `npm run build:policies`");
    }
}

const services = (r: RuleManifestEntry) => servicesOf(r).map((s) => `${s.provider}/${s.service}`).join(", ");

function renderList(rules: readonly RuleManifestEntry[], total: number): string {
    const width = Math.max(...rules.map((r) => r.name.length), 4);
    const lines = [`${"RULE".padEnd(width)}  SEVERITY  LEVEL      SERVICE                 CLAUSES`];
    for (const r of rules) {
        lines.push(`${r.name.padEnd(width)}  ${r.severity.padEnd(8)}  ${r.enforcementLevel.padEnd(9)}  ${services(r).padEnd(22)}  ${r.clauses.join(", ")}`);
        lines.push(...wrap(firstSentence(r.description), 100, "    "));
    }
    lines.push("", `${rules.length} of ${total} rules. \`aiguard explain <rule>\` shows one in full.`);
    return lines.join("\n");
}

function firstSentence(text: string): string {
    const m = /^[^]*?[.!?](?=\s|$)/.exec(text);
    return (m ? m[0] : text).trim();
}

function renderExplanation(e: RuleExplanation, examples: RuleExamples | undefined): string {
    const out: string[] = [e.name, "", ...wrap(e.description, 100, "  ")];
    const section = (title: string, ...body: string[]) => out.push("", title, ...body);
    section("Severity and level", `  ${e.severity}, ${e.enforcementLevel} by default (mandatory blocks a preview; change it per rule in the policy config)`);
    section("Clauses", ...e.clauses.map((c) => `  ${c.id.padEnd(5)} ${c.title}  (${c.document === "uk-code" ? "UK Code of Practice" : c.document === "ncsc-cisa" ? "NCSC/CISA guidelines" : c.document}, ${c.stage})`));
    section(`Judges (${e.kind === "stack" ? "the stack as a whole" : "each resource"})`, ...e.judges.map((t) => `  ${t}`), `  services: ${e.services.map((s) => `${s.provider}/${s.service}`).join(", ")}`);
    section("How to fix", ...wrap(e.remediationSteps, 100, "  "), ...(e.url ? [`  ${e.url}`] : []));
    section("When a value is unknown at preview", ...wrap(e.onUnknown, 100, "  "));
    section(
        "Settings it reads (policy config, per rule or in the pack-wide \"aiguard\" block)",
        ...(e.settings.length === 0 ? ["  none besides exemptions"] : e.settings.flatMap((s) => [`  ${s.name} (default ${JSON.stringify(s.default)})`, ...wrap(s.description, 100, "      ")])),
    );
    section(
        "How to exempt it",
        "  one resource, with a justification (policy config, --config or `pulumi preview --policy-pack-config`):",
        ...JSON.stringify(e.exempt.config, null, 2).split("\n").map((l) => `    ${l}`),
        "  the whole rule:",
        ...e.exempt.commandLine.map((l) => `    ${l}`),
    );
    if (!examples) {
        section("Examples", `  run \`aiguard explain ${e.name} --examples\`: it runs the insecure demo (which trips every rule) and the example`, "  platform with only this rule and shows a violating and a compliant resource with their inputs.");
    } else {
        const show = (x: RuleExamples["violating"][number]) => [
            `  ${x.name} (${x.type}) in ${x.program}${x.message ? `:\n    finding: ${x.message}` : ""}`,
            ...JSON.stringify(x.inputs, null, 2).split("\n").slice(0, 40).map((l) => `    ${l}`),
        ];
        section("Example: violating (from the insecure demo, inputs as the pack received them)", ...(examples.violating.length > 0 ? examples.violating.flatMap(show) : ["  the insecure demo did not trip this rule in this run"]));
        section(
            "Example: compliant (from the example platform, built from aiguard's components)",
            ...(examples.compliant.length > 0 ? examples.compliant.flatMap(show) : ["  the example platform has no resource this rule judges without a finding; apply the fix above"]),
        );
    }
    return out.join("\n");
}

export function registerRules(program: Command, ctx: CommandContext): void {
    program
        .command("rules")
        .description("List the pack's rules: name, severity, default enforcement level, service, guideline clauses and description.")
        .option("--clause <id>", "only rules that enforce this clause (e.g. DP-1, P6)")
        .option("--service <name>", "only rules judging this AWS service (sagemaker, s3, iam...) or Kubernetes API group (apps, core, networking); aws or kubernetes for a whole provider")
        .option("--severity <levels>", "only rules of these severities (comma-separated: low, medium, high, critical)")
        .addOption(new Option("-f, --format <format>", "output format").choices(FORMATS).default("text"))
        .addHelpText("after", "\nExamples:\n  aiguard rules --service sagemaker\n  aiguard rules --clause DP-2 --severity high,critical --format json")
        .action(async (o: { clause?: string; service?: string; severity?: string; format: (typeof FORMATS)[number] }) => {
            const all = await loadRules();
            const rules = filterRules(all, { clause: o.clause, service: o.service, severity: o.severity?.split(",").map((s) => s.trim()).filter(Boolean) });
            if (o.format === "json") {
                ctx.io.out(JSON.stringify({ version: 1, rules: rules.map((r) => ({ ...r, services: servicesOf(r) })) }, null, 2));
            } else {
                ctx.io.out(rules.length > 0 ? renderList(rules, all.length) : `no rule matches these filters (the pack has ${all.length})`);
            }
            ctx.exit(0);
        });

    program
        .command("explain")
        .description("Explain one rule: what it requires, its clauses, severity and level, what it judges, how to fix, its settings, how to exempt it, and examples.")
        .argument("<rule>", "rule name (see `aiguard rules`)")
        .option("--examples", "also run the insecure demo and the example platform with only this rule and show a violating and a compliant resource (takes some seconds)")
        .addOption(new Option("-f, --format <format>", "output format").choices(FORMATS).default("text"))
        .action(async (name: string, o: { examples?: boolean; format: (typeof FORMATS)[number] }) => {
            const rule = findRule(await loadRules(), name);
            const explanation = explainRule(rule);
            let examples: RuleExamples | undefined;
            if (o.examples) {
                const { findExamples } = require("../rules/examples") as typeof import("../rules/examples");
                const progress = createProgress();
                try {
                    examples = await findExamples(rule, progress);
                } finally {
                    progress.done();
                }
            }
            ctx.io.out(o.format === "json" ? JSON.stringify({ version: 1, ...explanation, ...(examples ? { examples } : {}) }, null, 2) : renderExplanation(explanation, examples));
            ctx.exit(0);
        });
}
