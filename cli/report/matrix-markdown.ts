/** `aiguard report --format markdown`: the compliance matrix as Markdown (renders on GitHub/GitLab). */
import { UNSEEN_FIX } from "../evaluation/unseen";
import { cell } from "./markdown";
import { declaredAt, DOCUMENT_NAMES, inputFacts, plural, targetPhrase, tally } from "./group";
import { TOOL_VERSION } from "./version";
import { CLAUSE_STATUSES, STATUS_LABEL, type ClauseStatus, type Matrix, type RuleStatus } from "./matrix";

export const STATUS_ICON: Record<ClauseStatus | RuleStatus, string> = {
    fail: "❌",
    warn: "⚠️",
    exempted: "☑️",
    pass: "✅",
    "not-applicable": "➖",
    "no-rule": "🛠️",
    "not-enforceable": "🚫",
    disabled: "⏸️",
};

const badge = (s: ClauseStatus | RuleStatus) => `${STATUS_ICON[s]} ${STATUS_LABEL[s]}`;

export function renderMatrixMarkdown(m: Matrix): string {
    const r = m.result;
    const t = tally(r);
    const out: string[] = [];
    out.push(
        `# aiguard compliance report: ${r.target.project || "?"} / ${r.target.stack || "?"}`,
        "",
        `${cell(targetPhrase(r))} · ${plural(t.resources, "resource")} · policy pack \`${r.pack.name}\` ${r.pack.version} · generated ${m.generatedAt}`,
        "",
        t.mandatory > 0
            ? `**Verdict: ❌ blocked** — ${plural(t.mandatory, "mandatory violation")} of ${plural(t.rules, "rule")}; ${plural(t.advisory, "advisory finding")}; ${plural(t.exempted, "exemption")} applied.`
            : `**Verdict: ✅ passes** — no mandatory violations; ${plural(t.advisory, "advisory finding")}; ${plural(t.exempted, "exemption")} applied.`,
        "",
        "## What this report describes",
        "",
        "| | |",
        "|---|---|",
        ...inputFacts(r, m.generatedAt, TOOL_VERSION).map(([k, v]) => `| ${k} | ${cell(v)} |`),
        "",
        `## Rules with findings (${m.failing.length})`,
        "",
        ...(m.failing.length === 0 ? ["No rule has a finding on this stack.", ""] : []),
        ...m.failing.flatMap((rule) => [
            `### ${rule.status === "fail" ? "❌" : "⚠️"} \`${rule.name}\` — ${rule.level}, ${rule.severity || "no severity"} · ${rule.clauses.join(", ")}`,
            "",
            rule.description,
            "",
            `**How to fix:** ${rule.remediation}`,
            "",
            "| Resource | Type | Finding | Declared at | URN |",
            "|---|---|---|---|---|",
            ...rule.findings.map((f) => `| \`${cell(f.resourceName)}\` | ${cell(f.resourceType)} | ${cell(f.message)} | \`${cell(declaredAt(f.location))}\` | <sub>${cell(f.urn || "(stack)")}</sub> |`),
            "",
        ]),
        "## Overview",
        "",
        `${CLAUSE_STATUSES.map((s) => `${badge(s)}: **${m.totals[s]}**`).join(" · ")} (of ${m.clauses.length} clauses)`,
        "",
        "## Coverage by stage",
        "",
        `| Document | Stage | Clauses | ${CLAUSE_STATUSES.map((s) => STATUS_ICON[s]).join(" | ")} |`,
        `|---|---|---:|${CLAUSE_STATUSES.map(() => "---:").join("|")}|`,
        ...m.stages.map((s) => `| ${s.document === "ncsc-cisa" ? "NCSC/CISA" : "UK Code"} | ${s.stage} | ${s.total} | ${CLAUSE_STATUSES.map((k) => (s.counts[k] ? String(s.counts[k]) : "")).join(" | ")} |`),
        "",
        `Legend: ${CLAUSE_STATUSES.map((s) => badge(s)).join(", ")}. A rule *passes* when the stack has resources it examines and none violates it; it is *not applicable* when the stack has none. *Controls only*: no rule of the pack cites the clause; the listed components serve it.`,
    );
    for (const doc of ["ncsc-cisa", "uk-code"] as const) {
        out.push("", `## ${DOCUMENT_NAMES[doc]}`);
        for (const c of m.clauses.filter((x) => x.clause.document === doc)) {
            out.push("", `### ${c.clause.id} — ${c.clause.title} · ${badge(c.status)}`, "", `*${c.clause.stage}*`);
            if (c.notEnforceableBecause) out.push("", `Not enforceable by infrastructure code: ${c.notEnforceableBecause}`);
            if (c.rules.length > 0) {
                out.push("", "| Rule | Level | Severity | Status on this stack | Findings |", "|---|---|---|---|---:|");
                for (const rule of c.rules) out.push(`| \`${rule.name}\` | ${rule.level} | ${rule.severity || "—"} | ${badge(rule.status)} | ${rule.findings || ""} |`);
            }
            if (c.controls.length > 0) out.push("", `Controls: ${c.controls.map((k) => `${k.name} (\`${k.path}\`: ${k.summary})`).join("; ")}.`);
            for (const e of c.exemptions) out.push("", `> Exemption: \`${e.rule}\` on \`${cell(e.resourceName)}\` — ${cell(e.message)}. Justification: *${cell(e.justification)}*`);
        }
    }
    out.push("", "## What infrastructure code cannot enforce", "", "These clauses are organisational. aiguard makes no claim about them; they need people and processes.", "");
    for (const c of m.clauses.filter((x) => x.status === "not-enforceable")) out.push(`- **${c.clause.id} ${c.clause.title}.** ${c.notEnforceableBecause}`);
    out.push("", "## Exemptions", "");
    if (r.exemptions.length === 0) out.push("No exemption was applied.");
    else {
        out.push("| Rule | Resource | Finding | Justification | Expires |", "|---|---|---|---|---|");
        for (const e of r.exemptions) {
            out.push(`| \`${e.rule}\` | \`${cell(e.resourceName)}\`<br><sub>${cell(e.resourceType)} · ${cell(declaredAt(e.location))}</sub> | ${cell(e.message)} | ${cell(e.justification)} | ${e.expires ?? "never"} |`);
        }
    }
    if (m.exemptionProblems.length > 0) {
        out.push("", `### Exemptions needing attention (${m.exemptionProblems.length})`, "", ...m.exemptionProblems.map((f) => `- ${cell(f.message)}`));
    }
    if (r.unseen.length > 0) {
        out.push("", `## Not seen (${r.unseen.length}): not judged by this run`, "", `Every status above holds only for what was seen. ${UNSEEN_FIX}`, "", "| Resource | Type | Why it was not judged |", "|---|---|---|");
        for (const u of r.unseen) out.push(`| \`${cell(u.name)}\` | ${cell(u.type)} | ${cell(u.reason)} |`);
    }
    if (r.notes.length > 0) out.push("", "## Notes", "", ...r.notes.map((n) => `- ${n}`));
    return out.join("\n");
}
