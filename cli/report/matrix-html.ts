/**
 * `aiguard report --format html`: one self-contained page (inline CSS and SVG, no script, no
 * network), meant to be looked at: a verdict, headline numbers, a donut of clause statuses,
 * coverage by stage as stacked bars, what the report describes (input, commit, versions), every
 * rule with findings and each failing resource with its message, declaration and fix, a tile map
 * of every clause coloured by status, then the detailed matrix, the clauses infrastructure code
 * cannot enforce, and the exemptions (justification, expiry, and those needing attention).
 */
import { UNSEEN_FIX } from "../evaluation/unseen";
import { declaredAt, DOCUMENT_NAMES, inputFacts, plural, targetPhrase, tally } from "./group";
import { CLAUSE_STATUSES, STATUS_LABEL, type ClauseStatus, type FailingRule, type Matrix, type MatrixClause } from "./matrix";
import { STATUS_COLOURS, STYLE } from "./matrix-html-style";
import { TOOL_VERSION } from "./version";

/** Escapes text for HTML element content and attribute values. */
export function esc(s: string): string {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const pill = (s: string) => `<span class="pill s-${s}">${esc(STATUS_LABEL[s as ClauseStatus] ?? s)}</span>`;

/** A donut chart of clause statuses as inline SVG. */
function donut(m: Matrix): string {
    const total = m.clauses.length;
    const r = 70;
    const circumference = 2 * Math.PI * r;
    let offset = 0;
    const arcs = CLAUSE_STATUSES.filter((s) => m.totals[s] > 0).map((s) => {
        const len = (m.totals[s] / total) * circumference;
        const colour = s === "not-enforceable" ? "url(#hatch)" : STATUS_COLOURS[s]!.fg;
        const arc = `<circle r="${r}" cx="90" cy="90" fill="none" stroke="${colour}" stroke-width="26" stroke-dasharray="${len.toFixed(2)} ${(circumference - len).toFixed(2)}" stroke-dashoffset="${(-offset).toFixed(2)}" transform="rotate(-90 90 90)"><title>${esc(STATUS_LABEL[s])}: ${m.totals[s]}</title></circle>`;
        offset += len;
        return arc;
    });
    const enforceable = total - m.totals["not-enforceable"];
    const passing = m.totals.pass + m.totals.exempted;
    return `<svg width="180" height="180" viewBox="0 0 180 180" role="img" aria-label="clause statuses">
<defs><pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#d1d9e0"/><rect width="4" height="8" fill="#afb8c1"/></pattern></defs>
${arcs.join("\n")}
<text x="90" y="86" text-anchor="middle" font-size="30" font-weight="700" fill="#1f2328">${passing}/${enforceable}</text>
<text x="90" y="108" text-anchor="middle" font-size="11" fill="#59636e">enforceable clauses</text>
<text x="90" y="122" text-anchor="middle" font-size="11" fill="#59636e">passing</text>
</svg>`;
}

function legend(m: Matrix): string {
    return `<div class="legend">${CLAUSE_STATUSES.map((s) => `<span><i class="dot s-${s}"></i>${esc(STATUS_LABEL[s])} (${m.totals[s]})</span>`).join("")}</div>`;
}

function stageBars(m: Matrix): string {
    return m.stages
        .map((s) => {
            const segs = CLAUSE_STATUSES.filter((k) => s.counts[k] > 0)
                .map((k) => `<span class="s-${k}" style="width:${((s.counts[k] / s.total) * 100).toFixed(2)}%" title="${esc(STATUS_LABEL[k])}: ${s.counts[k]}"></span>`)
                .join("");
            return `<div class="stage"><div class="name">${esc(s.stage)}<br><span class="doc">${s.document === "ncsc-cisa" ? "NCSC/CISA" : "UK Code"}</span></div><div class="bar">${segs}</div><div class="muted small">${s.total}</div></div>`;
        })
        .join("\n");
}

function tile(c: MatrixClause): string {
    const applicable = c.rules.filter((r) => r.status !== "not-applicable" && r.status !== "disabled");
    const ok = applicable.filter((r) => r.status === "pass" || r.status === "exempted").length;
    const detail = c.status === "not-enforceable" ? "organisational" : c.rules.length === 0 ? `${plural(c.controls.length, "control")}` : `${ok}/${applicable.length} rules pass`;
    return `<a class="tile s-${c.status}" href="#${esc(c.clause.id)}" title="${esc(c.clause.title)}"><div class="id">${esc(c.clause.id)}</div><div class="t">${esc(c.clause.title)}</div><div class="st">${esc(STATUS_LABEL[c.status])} · ${esc(detail)}</div></a>`;
}

function row(c: MatrixClause): string {
    const rules = c.rules.length
        ? `<div class="chips">${c.rules.map((r) => `<span class="chip s-${r.status}" title="${esc(`${STATUS_LABEL[r.status]}${r.findings ? ` · ${r.findings} finding(s)` : ""} · ${r.level} · ${r.description}`)}">${esc(r.name)}${r.findings ? ` · ${r.findings}` : ""}</span>`).join("")}</div>`
        : `<span class="muted small">no rule of the pack</span>`;
    const controls = c.controls.length ? `<div class="chips">${c.controls.map((k) => `<span class="ctl" title="${esc(`${k.path}: ${k.summary}`)}">${esc(k.name)}</span>`).join("")}</div>` : `<span class="muted small">—</span>`;
    const why = c.notEnforceableBecause ? `<div class="muted small">${esc(c.notEnforceableBecause)}</div>` : "";
    const exemptions = c.exemptions.map((e) => `<div class="exempt"><b>Exempted</b> <code>${esc(e.rule)}</code> on <code>${esc(e.resourceName)}</code>: ${esc(e.message)}<br><i>${esc(e.justification)}</i></div>`).join("");
    return `<tr id="${esc(c.clause.id)}"><td><b>${esc(c.clause.id)}</b></td><td>${esc(c.clause.title)}<div class="muted small">${esc(c.clause.stage)}</div>${why}</td><td>${pill(c.status)}</td><td>${rules}${exemptions}</td><td>${controls}</td></tr>`;
}

function failingRule(r: FailingRule): string {
    const rows = r.findings
        .map((f) => `<tr><td><b>${esc(f.resourceName)}</b><div class="muted small">${esc(f.resourceType)}</div></td><td>${esc(f.message)}</td><td><code>${esc(declaredAt(f.location))}</code></td><td class="urn"><code>${esc(f.urn || "(stack)")}</code></td></tr>`)
        .join("");
    return `<section class="panel rule" id="rule-${esc(r.name)}">
<h3><span class="pill s-${r.status}">${r.status === "fail" ? "fail" : "advisory"}</span> <code>${esc(r.name)}</code> <span class="muted small">${esc(r.level)} · ${esc(r.severity || "no severity")} · ${esc(r.clauses.join(", "))} · ${plural(r.findings.length, "resource")}</span></h3>
<div>${esc(r.description)}</div>
<div class="fix"><b>How to fix:</b> ${esc(r.remediation)}${r.url ? ` <a href="${esc(r.url)}">docs</a>` : ""}</div>
<table><tr><th style="width:20%">Resource</th><th>Finding</th><th style="width:22%">Declared at</th><th style="width:26%">URN</th></tr>${rows}</table></section>`;
}

export function renderMatrixHtml(m: Matrix): string {
    const r = m.result;
    const t = tally(r);
    const verdict = t.mandatory > 0 ? `<span class="verdict s-fail">✖ Blocked: ${plural(t.mandatory, "mandatory violation")}</span>` : `<span class="verdict s-pass">✔ Passes: no mandatory violations</span>`;
    const enforceable = m.clauses.length - m.totals["not-enforceable"];
    const cards: [string, string, string][] = [
        [`${m.totals.pass + m.totals.exempted}<span class="muted" style="font-size:16px">/${enforceable}</span>`, "enforceable clauses passing", "pass"],
        [String(m.totals.fail + m.totals.warn), "clauses with findings", m.totals.fail ? "fail" : "pass"],
        [String(m.totals["not-applicable"] + m.totals["no-rule"]), "not applicable or controls only", "not-applicable"],
        [String(m.totals["not-enforceable"]), "not enforceable by IaC", "not-enforceable"],
        [String(t.mandatory), "mandatory violations", t.mandatory ? "fail" : "pass"],
        [String(t.exempted), "exemptions applied", t.exempted ? "exempted" : "not-applicable"],
    ];
    const grids = (["ncsc-cisa", "uk-code"] as const)
        .map((doc) => `<div class="panel"><h3>${esc(DOCUMENT_NAMES[doc]!)}</h3><div class="grid">${m.clauses.filter((c) => c.clause.document === doc).map(tile).join("")}</div></div>`)
        .join("");
    const reasons = m.clauses
        .filter((c) => c.status === "not-enforceable")
        .map((c) => `<div class="panel"><h3>${esc(c.clause.id)} · ${esc(c.clause.title)}</h3><div class="muted">${esc(c.notEnforceableBecause ?? "")}</div></div>`)
        .join("");
    const exemptions = r.exemptions.length
        ? `<table><tr><th>Rule</th><th>Resource</th><th>Finding</th><th>Justification</th><th>Expires</th></tr>${r.exemptions.map((e) => `<tr><td><code>${esc(e.rule)}</code></td><td><code>${esc(e.resourceName)}</code><div class="muted small">${esc(e.resourceType)} · ${esc(declaredAt(e.location))}</div><div class="muted small urn">${esc(e.urn)}</div></td><td>${esc(e.message)}</td><td>${esc(e.justification)}</td><td>${esc(e.expires ?? "never")}</td></tr>`).join("")}</table>`
        : `<p class="muted">No exemption was applied on this stack.</p>`;
    const problems = m.exemptionProblems.length
        ? `<h3 style="margin-top:16px">Exemptions needing attention (${m.exemptionProblems.length})</h3><ul>${m.exemptionProblems.map((f) => `<li>${esc(f.message)}</li>`).join("")}</ul>`
        : "";
    const facts = `<dl class="facts">${inputFacts(r, m.generatedAt, TOOL_VERSION).map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join("")}</dl>`;
    const failing = m.failing.length
        ? m.failing.map(failingRule).join("\n")
        : `<p class="muted">No rule has a finding on this stack.</p>`;
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="color-scheme" content="light">
<title>aiguard compliance: ${esc(r.target.project)} / ${esc(r.target.stack)}</title>
<style>${STYLE}</style></head>
<body><main>
<header><div><h1>Compliance report · ${esc(r.target.project || "?")} / ${esc(r.target.stack || "?")}</h1>
<div class="muted">${esc(targetPhrase(r))} · ${plural(t.resources, "resource")} · policy pack <code>${esc(r.pack.name)}</code> ${esc(r.pack.version)} · generated ${esc(m.generatedAt)}</div>
<div class="muted small">NCSC/CISA Guidelines for Secure AI System Development (2023) and UK Code of Practice for the Cyber Security of AI (2025): ${m.clauses.length} clauses</div></div>${verdict}</header>
<section class="cards">${cards.map(([n, l, s]) => `<div class="card"><div class="n" style="color:${STATUS_COLOURS[s]!.fg}">${n}</div><div class="l">${esc(l)}</div></div>`).join("")}</section>
<section class="overview"><div class="panel donut">${donut(m)}${legend(m)}</div>
<div class="panel"><h3>Coverage by stage</h3>${stageBars(m)}</div></section>
<h2>What this report describes</h2>
<section class="panel">${facts}</section>
<h2>Rules with findings (${m.failing.length}): each resource, the finding and the fix</h2>
${failing}
<h2>Every clause at a glance</h2>
<section class="grids">${grids}</section>
<h2>The matrix</h2>
<p class="muted small">A rule passes when the stack has resources it examines and none violates it; not applicable when the stack has none. Controls are aiguard's hardened components and the image admission webhook.</p>
<table><tr><th style="width:56px">Clause</th><th style="width:26%">Title</th><th style="width:120px">Status</th><th>Rules on this stack</th><th style="width:19%">Controls</th></tr>
${m.clauses.map(row).join("\n")}</table>
<h2>What infrastructure code cannot enforce</h2>
<p class="muted">These clauses are organisational. aiguard makes no claim about them: they are met by people and processes.</p>
<section class="reasons">${reasons}</section>
<h2>Exemptions</h2>${exemptions}${problems}
${r.unseen.length ? `<h2>Not seen (${r.unseen.length}): not judged by this run</h2><p class="muted">Every status above holds only for what was seen. ${esc(UNSEEN_FIX)}</p><ul>${r.unseen.map((u) => `<li><code>${esc(u.name)}</code> ${esc(u.type)}: ${esc(u.reason)}</li>`).join("")}</ul>` : ""}
${r.notes.length ? `<h2>Notes</h2><ul>${r.notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>` : ""}
<footer>Generated by aiguard ${esc(TOOL_VERSION)}. Findings come from the policy pack run over the analyzer protocol, as <code>pulumi preview --policy-pack</code> runs it.</footer>
</main></body></html>
`;
}
