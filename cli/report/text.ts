/**
 * Human output of `aiguard check`: findings grouped by guideline stage and clause, each rule once
 * with its severity, level, clause IDs, the resources at fault, and how to fix it; then exemptions,
 * notes and a one-line verdict. Colours only when asked (a terminal, no NO_COLOR, not CI).
 */
import { blocking, verdictOf, type BaselineOutcome, type CheckResult } from "../evaluation/result";
import { UNSEEN_FIX } from "../evaluation/unseen";
import { declaredAt, groupFindings, plural, tally, targetPhrase } from "./group";

export interface TextOptions {
    readonly colour: boolean;
    /** Wrap width for prose. Default 100. */
    readonly width?: number;
    /** Print each rule's remediation. Default true (`aiguard demo` turns it off for brevity). */
    readonly remediation?: boolean;
}

type Style = (s: string) => string;

function palette(on: boolean): Record<"bold" | "dim" | "red" | "yellow" | "green" | "cyan", Style> {
    const wrap = (open: number, close: number): Style => (s) => (on ? `\x1b[${open}m${s}\x1b[${close}m` : s);
    return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), yellow: wrap(33, 39), green: wrap(32, 39), cyan: wrap(36, 39) };
}

/** Word-wraps `text` to `width`, every line prefixed with `indent`. Keeps existing line breaks. */
export function wrap(text: string, width: number, indent: string): string[] {
    const out: string[] = [];
    for (const para of text.split("\n")) {
        let line = "";
        for (const word of para.split(/\s+/).filter(Boolean)) {
            if (line && indent.length + line.length + 1 + word.length > width) {
                out.push(indent + line);
                line = word;
            } else line = line ? `${line} ${word}` : word;
        }
        out.push(indent + line);
    }
    return out;
}

/** Renders the result as text lines (no trailing newline). */
export function renderText(result: CheckResult, options: TextOptions): string {
    const c = palette(options.colour);
    const width = options.width ?? 100;
    const t = tally(result);
    const lines: string[] = [];
    lines.push(`${c.bold("aiguard check")}  ${targetPhrase(result)}`);
    lines.push(c.dim(`${plural(t.resources, "resource")} judged by policy pack ${result.pack.name} ${result.pack.version} (${plural(result.policies.length, "policy", "policies")}) in ${(result.durationMs / 1000).toFixed(1)} s`));
    for (const stage of groupFindings(result)) {
        lines.push("", c.bold(stage.stage) + (stage.document ? c.dim(`  ${stage.document}`) : ""));
        for (const group of stage.clauses) {
            lines.push(`  ${c.cyan(group.id)}  ${group.clause?.title ?? ""}`);
            for (const rule of group.rules) {
                const level = rule.findings[0]!.level;
                const mark = level === "mandatory" ? c.red("✖") : c.yellow("!");
                const sev = rule.policy?.severity ? ` · ${rule.policy.severity}` : "";
                lines.push(`    ${mark} ${c.bold(rule.rule)}  ${c.dim(`${level}${sev} · ${rule.clauses.join(", ")}`)}`);
                for (const f of rule.findings) {
                    lines.push(`        ${f.resourceName} ${c.dim(f.resourceType)}${f.location?.line ? c.dim(`  ${declaredAt(f.location)}`) : ""}`);
                    lines.push(...wrap(f.message, width, "          "));
                }
                if (rule.policy?.remediationSteps && options.remediation !== false) {
                    const fix = wrap(rule.policy.remediationSteps, width, " ".repeat(11));
                    lines.push(`      ${c.green("fix:")} ${fix[0]!.trimStart()}`, ...fix.slice(1));
                }
            }
        }
    }
    if (result.exemptions.length > 0) {
        lines.push("", c.bold(`Exemptions applied (${result.exemptions.length})`));
        for (const e of result.exemptions) {
            lines.push(`    ~ ${e.rule} on ${e.resourceName} ${c.dim(e.resourceType)}`);
            lines.push(...wrap(`finding: ${e.message}`, width, "        "));
            lines.push(...wrap(`justification: ${e.justification}${e.expires ? ` (until ${e.expires})` : ""}`, width, "        "));
        }
    }
    if (result.baseline) lines.push(...baselineLines(result.baseline, width, c));
    if (result.unseen.length > 0) {
        lines.push("", c.bold(c.yellow(`Not seen (${result.unseen.length}): not judged by this run`)));
        for (const u of result.unseen) lines.push(...wrap(`- ${u.name} (${u.type}): ${u.reason}`, width, "    "));
        const fix = wrap(UNSEEN_FIX, width, " ".repeat(9));
        lines.push(`    ${c.green("fix:")} ${fix[0]!.trimStart()}`, ...fix.slice(1));
    }
    if (result.stackOutputs && result.stackOutputs.length > 0) {
        lines.push("", c.dim(`Stack outputs: ${result.stackOutputs.join(", ")}`));
    }
    if (result.notes.length > 0) {
        lines.push("", c.bold("Notes"));
        for (const n of result.notes) lines.push(...wrap(`- ${n}`, width, "    "));
    }
    lines.push("", renderVerdict(result, options.colour));
    return lines.join("\n");
}

/** The `--baseline` section: the findings it accepted, and its entries that match nothing now. */
function baselineLines(b: BaselineOutcome, width: number, c: ReturnType<typeof palette>): string[] {
    const lines = ["", c.bold(`Baselined (${b.suppressed.length} of ${b.entries} entries in ${b.file} matched): accepted, not failing`)];
    for (const f of b.suppressed) {
        lines.push(`    ≈ ${f.rule} on ${f.resourceName} ${c.dim(f.resourceType)}`);
        lines.push(...wrap(f.message, width, "        "));
    }
    if (b.fixed.length > 0) {
        lines.push("", c.bold(c.green(`Fixed since the baseline (${b.fixed.length}): entries that match no finding now`)));
        for (const e of b.fixed) lines.push(`    - ${e.rule} on ${e.resourceName} ${c.dim(e.resourceType)}`);
        lines.push(`    ${c.green("fix:")} write the baseline again (--write-baseline) to drop them`);
    }
    return lines;
}

/** The one-line verdict: `✖ BLOCKED  3 mandatory violations of 2 rules (4 clauses); ...` or `✔ PASSED ...`. */
export function renderVerdict(result: CheckResult, colour: boolean): string {
    const c = palette(colour);
    const t = tally(result);
    const failing = blocking(result).length;
    const below = result.failOn && t.mandatory > failing ? `, ${plural(t.mandatory - failing, "mandatory finding")} below --fail-on ${result.failOn} (not failing)` : "";
    const baselined = result.baseline ? `, ${result.baseline.suppressed.length} baselined` : "";
    const rest = `${plural(t.advisory, "advisory finding")}${below}${t.exempted ? `, ${plural(t.exempted, "exemption")} applied` : ""}${baselined}`;
    switch (verdictOf(result)) {
        case "blocked":
            return `${c.red(c.bold("✖ BLOCKED"))}  ${plural(failing, "mandatory violation")}${result.failOn ? ` at or above ${result.failOn}` : ""} of ${plural(t.rules, "rule")} (${plural(t.clauses, "clause")}); ${rest}`;
        case "nothing-judged":
            return `${c.red(c.bold("✖ NOT CHECKED"))}  no resource was judged${result.unseen.length ? ` (${plural(result.unseen.length, "item")} not seen)` : ""}: this is not a pass`;
        case "incomplete":
            return `${c.yellow(c.bold("⚠ PASSED WHERE SEEN"))}  no mandatory violations among ${plural(t.resources, "judged resource")}; ${result.unseen.length} not seen (listed above); ${rest}`;
        case "passed":
            return `${c.green(c.bold("✔ PASSED"))}  no mandatory violations${result.failOn ? ` at or above ${result.failOn}` : ""}; ${rest}`;
    }
}
