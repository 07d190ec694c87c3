/** Stylesheet of the HTML compliance report (inlined: the page is self-contained). */
export const STATUS_COLOURS: Record<string, { fg: string; bg: string }> = {
    fail: { fg: "#cf222e", bg: "#ffebe9" },
    warn: { fg: "#9a6700", bg: "#fff8c5" },
    exempted: { fg: "#0969da", bg: "#ddf4ff" },
    pass: { fg: "#1a7f37", bg: "#dafbe1" },
    "not-applicable": { fg: "#6e7781", bg: "#eaeef2" },
    "no-rule": { fg: "#8250df", bg: "#fbefff" },
    "not-enforceable": { fg: "#57606a", bg: "#f6f8fa" },
    disabled: { fg: "#6e7781", bg: "#eaeef2" },
};

const statusRules = Object.entries(STATUS_COLOURS)
    .map(([s, c]) => `.s-${s}{color:${c.fg};background:${c.bg};border-color:${c.fg}33}.bar .s-${s},.dot.s-${s}{background:${c.fg}}`)
    .join("\n");

export const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2328;background:#f6f8fa}
main{max-width:1320px;margin:0 auto;padding:28px 32px 48px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:36px 0 12px}h3{font-size:15px;margin:0 0 8px}
.muted{color:#59636e}.small{font-size:12px}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
header{display:flex;justify-content:space-between;align-items:flex-start;gap:24px;margin-bottom:20px}
.verdict{font-weight:700;font-size:15px;padding:8px 16px;border-radius:999px;border:1px solid;white-space:nowrap}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px}
.card{background:#fff;border:1px solid #d1d9e0;border-radius:10px;padding:14px 16px}
.card .n{font-size:28px;font-weight:700;line-height:1.1}.card .l{font-size:12px;color:#59636e}
.panel{background:#fff;border:1px solid #d1d9e0;border-radius:10px;padding:18px 20px}
.overview{display:grid;grid-template-columns:300px 1fr;gap:16px;margin-top:16px}
.donut{display:flex;flex-direction:column;align-items:center;gap:10px}
.legend{display:flex;flex-wrap:wrap;gap:6px 14px;font-size:12px}
.legend span{display:inline-flex;align-items:center;gap:6px}
.dot{display:inline-block;width:10px;height:10px;border-radius:3px}
.stage{display:grid;grid-template-columns:210px 1fr 44px;align-items:center;gap:12px;margin:7px 0}
.stage .name{font-weight:600;font-size:13px}.stage .doc{font-size:11px;color:#59636e;font-weight:400}
.bar{display:flex;height:18px;border-radius:5px;overflow:hidden;background:#eaeef2}
.bar span{display:block;height:100%}
.grids{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(112px,1fr));gap:8px}
.tile{display:block;text-decoration:none;border:1px solid;border-radius:8px;padding:8px 10px;min-height:84px}
.tile .id{font-weight:700;font-size:16px}.tile .t{font-size:11px;line-height:1.3;color:#1f2328;opacity:.85}
.tile .st{font-size:11px;font-weight:600;margin-top:4px}
table{width:100%;border-collapse:collapse;background:#fff;border:1px solid #d1d9e0;border-radius:10px;overflow:hidden}
th,td{text-align:left;vertical-align:top;padding:10px 12px;border-top:1px solid #d1d9e0}
th{background:#f6f8fa;font-size:12px;color:#59636e;border-top:0}
.pill{display:inline-block;font-size:11px;font-weight:600;padding:2px 8px;border-radius:999px;border:1px solid;white-space:nowrap}
.chips{display:flex;flex-wrap:wrap;gap:4px}
.chip{font:11px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2px 6px;border-radius:5px;border:1px solid}
.ctl{font-size:11px;padding:2px 6px;border-radius:5px;background:#f6f8fa;border:1px solid #d1d9e0;color:#1f2328}
.reasons{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:12px}
.reasons .panel{padding:14px 16px}
.exempt{margin-top:6px;font-size:12px;padding:6px 8px;border-left:3px solid #0969da;background:#ddf4ff55}
.facts{display:grid;grid-template-columns:160px 1fr;gap:4px 16px;margin:0}
.facts dt{font-weight:600;color:#59636e}.facts dd{margin:0;overflow-wrap:anywhere}
.rule{margin:12px 0}.rule table{table-layout:fixed}.rule h3{display:flex;align-items:center;gap:8px;flex-wrap:wrap}
.rule .fix{margin:8px 0 10px;padding:8px 10px;border-left:3px solid #1a7f37;background:#dafbe155}
.urn code,.urn{overflow-wrap:anywhere;font-size:11px}
footer{margin-top:36px;font-size:12px;color:#59636e}
@media print{body{background:#fff}.panel,.card,table{break-inside:avoid}}
${statusRules}
.dot.s-not-enforceable,.bar .s-not-enforceable{background:repeating-linear-gradient(135deg,#afb8c1 0 4px,#d1d9e0 4px 8px)}
.tile.s-not-enforceable{background:repeating-linear-gradient(135deg,#f6f8fa 0 6px,#eef1f4 6px 12px)}
`;
