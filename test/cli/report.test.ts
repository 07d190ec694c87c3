/**
 * `aiguard report`: the compliance matrix as Markdown (content checks) and as a self-contained HTML
 * page, rendered in headless Chromium (Debian's `chromium`) to a screenshot.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLAUSES } from "../../common/clauses";
import { aiguard, FIXTURES, REPO_ROOT, type CliRun } from "./support";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "aiguard-report-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const htmlFile = path.join(tmp, "compliance.html");

let markdown: CliRun;
let html: CliRun;
let demoJson: CliRun;
beforeAll(async () => {
    [markdown, html, demoJson] = await Promise.all([
        aiguard(["report", "--from", path.join(FIXTURES, "stack-export.json"), "--config", path.join(FIXTURES, "policy-config.json")]),
        aiguard(["report", "stacks/insecure-demo", "--format", "html", "--output", htmlFile]),
        aiguard(["check", "stacks/insecure-demo", "--format", "json"]),
    ]);
}, 300_000);

/** Runs headless Chromium on the page; `args` say what to produce. */
function chromium(args: readonly string[]): string {
    return execFileSync(
        "chromium",
        [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            `--user-data-dir=${path.join(tmp, "chromium")}`,
            ...args,
            `file://${htmlFile}`,
        ],
        { stdio: ["ignore", "pipe", "pipe"], timeout: 60_000, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
    );
}

/** The text a reader sees in an element's serialized DOM: tags dropped, entities decoded, spaces collapsed. */
function textOf(dom: string): string {
    return dom
        .replace(/<style[^]*?<\/style>/g, "")
        .replace(/<[^>]+>/g, " ")
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, "&")
        .replace(/\s+/g, " ");
}

describe("report --format markdown", () => {
    it("covers every clause of both documents, each with its status", () => {
        expect(markdown.code).toBe(0);
        const md = markdown.stdout;
        expect(md).toMatch(/^# aiguard compliance report: ml-platform \/ prod\n/);
        for (const c of CLAUSES) expect(md).toMatch(new RegExp(`^### ${c.id} — ${c.title.replace(/[()]/g, "\\$&")} · `, "m"));
        expect(md).toContain("**Verdict: ❌ blocked** — 1 mandatory violation of 1 rule; 0 advisory findings; 1 exemption applied.");
    });

    it("shows each rule's status on this stack: fail, exempted, pass, not applicable", () => {
        const md = markdown.stdout;
        expect(md).toContain("| `aws-kms-key-enable-rotation` | mandatory | high | ❌ fail | 1 |");
        expect(md).toContain("| `aws-ec2-securitygroup-disallow-public-ingress` | mandatory | critical | ☑️ pass (exempted) |  |");
        expect(md).toContain("| `aws-sagemaker-model-disallow-unapproved-registry` | mandatory | high | ✅ pass |  |");
        expect(md).toContain("| `aws-eks-cluster-disallow-public-endpoint` | mandatory | high | ➖ not applicable |  |");
        expect(md).toMatch(/^### DP-1 — Secure the infrastructure; segregate environments · ☑️ pass \(exempted\)$/m);
        expect(md).toMatch(/^### P11 — Maintain regular security updates, patches and mitigations · ❌ fail$/m);
        expect(md).toContain("Controls: AiNetworks (`components/aws/network.ts`: segregated training and inference VPCs, private endpoints, flow logs)");
    });

    it("lists exemptions with their justification and says plainly what IaC cannot enforce", () => {
        const md = markdown.stdout;
        expect(md).toContain(
            '| `aws-ec2-securitygroup-disallow-public-ingress` | `public-demo-lb`<br><sub>aws:ec2/securityGroup:SecurityGroup · —</sub> | security group "public-demo-lb" allows ingress from 0.0.0.0/0 (tcp 443-443) | Public demo endpoint serving synthetic data only (RISK-142) | 2099-12-31 |',
        );
        const section = md.slice(md.indexOf("## What infrastructure code cannot enforce"), md.indexOf("## Exemptions"));
        const listed = [...section.matchAll(/^- \*\*(\S+) /gm)].map((m) => m[1]);
        expect(listed).toEqual(CLAUSES.filter((c) => !c.enforceable).map((c) => c.id));
        expect(section).toContain("- **SD-1 Raise staff awareness of AI threats and risks.** Staff awareness is built by training people.");
        expect(md).toMatch(/^### OM-4 — Collect and share lessons learned · 🚫 not enforceable by IaC$/m);
    });
});

describe("what the report names", () => {
    it("lists each failing rule with its resources, message, declaration and fix (Markdown)", () => {
        const md = markdown.stdout;
        expect(md).toContain("## Rules with findings (1)");
        expect(md).toContain("### ❌ `aws-kms-key-enable-rotation` — mandatory, high · DV-2, DP-5, P5, P11");
        expect(md).toMatch(/\*\*How to fix:\*\* Set `enableKeyRotation: true`/);
        expect(md).toContain('| `model-key` | aws:kms/key:Key | KMS key "model-key" does not enable automatic key rotation (enableKeyRotation: true) | `—` | <sub>urn:pulumi:prod::ml-platform::aws:kms/key:Key::model-key</sub> |');
    });

    it("identifies its input: the --from file with its SHA-256, the repository commit, aiguard's version and the time", () => {
        const md = markdown.stdout;
        const sha = createHash("sha256").update(fs.readFileSync(path.join(FIXTURES, "stack-export.json"))).digest("hex");
        expect(md).toContain(`| Input | pulumi stack export file ${path.join(FIXTURES, "stack-export.json")} |`);
        expect(md).toContain(`| Input SHA-256 | ${sha} |`);
        const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: REPO_ROOT, encoding: "utf8" }).trim();
        expect(md).toMatch(new RegExp(`^\\| Repository \\| ${REPO_ROOT} at commit ${head} (with uncommitted changes|\\(clean\\)) \\|$`, "m"));
        expect(md).toMatch(/^\| aiguard \| \d+\.\d+\.\d+ \|$/m);
        expect(md).toMatch(/^\| Generated \| \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z \|$/m);
        // The exemption with its justification and expiry.
        expect(md).toContain("| Public demo endpoint serving synthetic data only (RISK-142) | 2099-12-31 |");
    });
});

describe("report --format html", () => {
    it("writes one self-contained page with every clause", () => {
        expect(html.code).toBe(0);
        expect(html.stderr).toContain(`aiguard: compliance report written to ${htmlFile}`);
        const page = fs.readFileSync(htmlFile, "utf8");
        expect(page.startsWith("<!doctype html>")).toBe(true);
        for (const c of CLAUSES) expect(page).toContain(`<tr id="${c.id}">`);
        // Self-contained: no external stylesheet, script, image or font.
        expect(page).not.toMatch(/<(script|link|img|iframe)\b/i);
        expect(page).not.toMatch(/url\(\s*['"]?https?:/i);
        expect(page).toContain("✖ Blocked:");
        expect(page).toContain("Coverage by stage");
    });

    it("names, in the page Chromium renders, every failing resource under its rule with the finding and the fix", () => {
        expect(demoJson.code).toBe(1);
        const findings: { rule: string; resourceName: string; message: string }[] = JSON.parse(demoJson.stdout).findings.filter((f: any) => !f.rule.startsWith("aiguard-"));
        expect(findings.length).toBeGreaterThan(90);
        const dom = chromium(["--dump-dom"]);
        const sections = new Map([...dom.matchAll(/<section class="panel rule" id="rule-([^"]+)">([^]*?)<\/section>/g)].map((m) => [m[1]!, textOf(m[2]!)]));
        expect(sections.size).toBe(new Set(findings.map((f) => f.rule)).size);
        for (const f of findings) {
            const text = sections.get(f.rule);
            expect(text, f.rule).toBeDefined();
            expect(text!, `${f.rule}: ${f.resourceName}`).toContain(f.resourceName);
            expect(text!, `${f.rule}: ${f.message}`).toContain(f.message.replace(/\s+/g, " "));
            expect(text!).toContain("How to fix:");
        }
        // Declarations point into the demo's files.
        expect(textOf(dom)).toMatch(/stacks\/insecure-demo\/identity\.ts:19:17/);
        expect(textOf(dom)).toContain("What this report describes Input program stacks/insecure-demo (entry stacks/insecure-demo/index.ts)");
    });

    it("renders in headless Chromium", () => {
        const png = path.join(tmp, "compliance.png");
        chromium([`--screenshot=${png}`, "--window-size=1400,2000"]);
        const bytes = fs.readFileSync(png);
        expect(bytes.subarray(1, 4).toString()).toBe("PNG");
        expect(bytes.readUInt32BE(16)).toBe(1400); // IHDR width
        expect(bytes.readUInt32BE(20)).toBe(2000); // IHDR height
        // A blank page compresses to a few kilobytes; the report's tiles, bars and table do not.
        expect(bytes.length).toBeGreaterThan(100_000);
        if (process.env.AIGUARD_KEEP_SCREENSHOT) fs.copyFileSync(png, process.env.AIGUARD_KEEP_SCREENSHOT);
    });
});
