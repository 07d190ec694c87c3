/**
 * `aiguard report`: the compliance matrix as Markdown (content checks) and as a self-contained HTML
 * page, rendered in headless Chromium (Debian's `chromium`) to a screenshot.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLAUSES } from "../../common/clauses";
import { aiguard, FIXTURES, type CliRun } from "./support";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "aiguard-report-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const htmlFile = path.join(tmp, "compliance.html");

let markdown: CliRun;
let html: CliRun;
beforeAll(async () => {
    [markdown, html] = await Promise.all([
        aiguard(["report", "--from", path.join(FIXTURES, "stack-export.json"), "--config", path.join(FIXTURES, "policy-config.json")]),
        aiguard(["report", "stacks/insecure-demo", "--format", "html", "--output", htmlFile]),
    ]);
}, 300_000);

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
            '| `aws-ec2-securitygroup-disallow-public-ingress` | `public-demo-lb`<br><sub>aws:ec2/securityGroup:SecurityGroup</sub> | security group "public-demo-lb" allows ingress from 0.0.0.0/0 (tcp 443-443) | Public demo endpoint serving synthetic data only (RISK-142) |',
        );
        const section = md.slice(md.indexOf("## What infrastructure code cannot enforce"), md.indexOf("## Exemptions"));
        const listed = [...section.matchAll(/^- \*\*(\S+) /gm)].map((m) => m[1]);
        expect(listed).toEqual(CLAUSES.filter((c) => !c.enforceable).map((c) => c.id));
        expect(section).toContain("- **SD-1 Raise staff awareness of AI threats and risks.** Staff awareness is built by training people.");
        expect(md).toMatch(/^### OM-4 — Collect and share lessons learned · 🚫 not enforceable by IaC$/m);
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

    it("renders in headless Chromium", () => {
        const png = path.join(tmp, "compliance.png");
        execFileSync(
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
                `--screenshot=${png}`,
                "--window-size=1400,2000",
                `file://${htmlFile}`,
            ],
            { stdio: "pipe", timeout: 60_000 },
        );
        const bytes = fs.readFileSync(png);
        expect(bytes.subarray(1, 4).toString()).toBe("PNG");
        expect(bytes.readUInt32BE(16)).toBe(1400); // IHDR width
        expect(bytes.readUInt32BE(20)).toBe(2000); // IHDR height
        // A blank page compresses to a few kilobytes; the report's tiles, bars and table do not.
        expect(bytes.length).toBeGreaterThan(100_000);
        if (process.env.AIGUARD_KEEP_SCREENSHOT) fs.copyFileSync(png, process.env.AIGUARD_KEEP_SCREENSHOT);
    });
});
