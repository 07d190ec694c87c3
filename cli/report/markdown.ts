/**
 * `aiguard check --format markdown`: a pull-request comment. A verdict heading, a summary table,
 * then one section per guideline stage with a table of findings per clause, and the fixes folded
 * in `<details>` so the comment stays short.
 */
import { blocking, verdictOf, type CheckResult } from "../evaluation/result";
import { UNSEEN_FIX } from "../evaluation/unseen";
import { declaredAt, groupFindings, plural, tally, targetPhrase } from "./group";

/** Escapes text for a Markdown table cell. */
export function cell(s: string): string {
    return s.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
}

export function renderMarkdown(result: CheckResult): string {
    const t = tally(result);
    const out: string[] = [];
    const heading = {
        blocked: `## aiguard: ❌ change blocked — ${plural(blocking(result).length, "mandatory violation")}${result.failOn ? ` at or above ${result.failOn}` : ""}`,
        "nothing-judged": "## aiguard: ❌ not checked — no resource was judged",
        incomplete: `## aiguard: ⚠️ passed where seen — ${result.unseen.length} not seen`,
        passed: "## aiguard: ✅ passed — no mandatory violations",
    }[verdictOf(result)];
    out.push(
        heading,
        "",
        `${cell(targetPhrase(result))} · ${plural(t.resources, "resource")} · policy pack \`${result.pack.name}\` ${result.pack.version} (${plural(result.policies.length, "policy", "policies")})`,
        "",
        "| Mandatory | Advisory | Exempted | Rules failing | Clauses affected |",
        "|---:|---:|---:|---:|---:|",
        `| ${t.mandatory} | ${t.advisory} | ${t.exempted} | ${t.rules} | ${t.clauses} |`,
    );
    for (const stage of groupFindings(result)) {
        out.push("", `### ${stage.stage}${stage.document ? ` <sub>${stage.document}</sub>` : ""}`);
        for (const group of stage.clauses) {
            out.push("", `**${group.id}** — ${cell(group.clause?.title ?? "")}`, "", "| | Rule | Resource | Finding |", "|---|---|---|---|");
            for (const rule of group.rules) {
                for (const f of rule.findings) {
                    const mark = f.level === "mandatory" ? "❌" : "⚠️";
                    out.push(`| ${mark} | \`${rule.rule}\`<br><sub>${f.level}${rule.policy?.severity ? ` · ${rule.policy.severity}` : ""} · ${f.clauses.join(", ")}</sub> | \`${cell(f.resourceName)}\`<br><sub>${cell(f.resourceType)}${f.location?.line ? ` · ${cell(declaredAt(f.location))}` : ""}</sub> | ${cell(f.message)} |`);
                }
            }
            const fixes = group.rules.filter((r) => r.policy?.remediationSteps);
            if (fixes.length > 0) {
                out.push("", "<details><summary>How to fix</summary>", "");
                for (const r of fixes) out.push(`- **\`${r.rule}\`**: ${r.policy!.remediationSteps.replace(/\r?\n/g, " ")}${r.policy!.url ? ` ([docs](${r.policy!.url}))` : ""}`);
                out.push("", "</details>");
            }
        }
    }
    if (result.exemptions.length > 0) {
        out.push("", "### Exemptions applied", "", "| Rule | Resource | Finding | Justification |", "|---|---|---|---|");
        for (const e of result.exemptions) out.push(`| \`${e.rule}\` | \`${cell(e.resourceName)}\` | ${cell(e.message)} | ${cell(e.justification)} |`);
    }
    if (result.baseline) {
        const b = result.baseline;
        out.push("", `### Baselined (${b.suppressed.length} of ${b.entries} entries in \`${cell(b.file)}\`): accepted, not failing`);
        if (b.suppressed.length > 0) {
            out.push("", "<details><summary>Baselined findings</summary>", "", "| Rule | Resource | Finding |", "|---|---|---|");
            for (const f of b.suppressed) out.push(`| \`${f.rule}\` | \`${cell(f.resourceName)}\` | ${cell(f.message)} |`);
            out.push("", "</details>");
        }
        if (b.fixed.length > 0) out.push("", `**Fixed since the baseline (${b.fixed.length}):** ${b.fixed.map((e) => `\`${e.rule}\` on \`${cell(e.resourceName)}\``).join(", ")} — write the baseline again to drop them.`);
    }
    if (result.unseen.length > 0) {
        out.push("", `### Not seen (${result.unseen.length})`, "", "| Resource | Type | Why it was not judged |", "|---|---|---|");
        for (const u of result.unseen) out.push(`| \`${cell(u.name)}\` | ${cell(u.type)} | ${cell(u.reason)} |`);
        out.push("", `**What to do:** ${UNSEEN_FIX}`);
    }
    if (result.notes.length > 0) {
        out.push("", "### Notes", "");
        for (const n of result.notes) out.push(`- ${n}`);
    }
    return out.join("\n");
}
