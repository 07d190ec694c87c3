/**
 * Choosing rules on the command line (`--rule`, `--skip-rule`) and the `--fail-on` severity
 * threshold, on a real `pulumi preview --json` document (fixtures/preview.json: one finding each of
 * aws-kms-key-enable-rotation (high), aws-sagemaker-model-disallow-unapproved-registry (high) and
 * aws-ec2-securitygroup-disallow-public-ingress (critical), all mandatory).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RULES } from "../../policies/catalogue";
import { aiguard, FIXTURES, STACK_TRACE } from "./support";

const PREVIEW = path.join(FIXTURES, "preview.json");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "aiguard-select-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface JsonReport {
    summary: { mandatory: number; blocking: number; failOn: string | null; verdict: string; exitCode: number };
    findings: { rule: string; severity: string }[];
    notes: string[];
    selection?: { rulePatterns: string[]; skipPatterns: string[]; selected: string[]; skipped: string[] };
    policies: { name: string; enforcementLevel: string }[];
}

async function json(...args: string[]): Promise<{ code: number; report: JsonReport; stderr: string }> {
    const r = await aiguard(["check", "--from", PREVIEW, "--format", "json", ...args]);
    return { code: r.code, report: JSON.parse(r.stdout) as JsonReport, stderr: r.stderr };
}

const rules = (r: JsonReport) => r.findings.map((f) => f.rule).sort();

describe("--rule and --skip-rule", () => {
    it("runs every rule without them", async () => {
        const { code, report } = await json();
        expect(code).toBe(1);
        expect(rules(report)).toEqual(["aws-ec2-securitygroup-disallow-public-ingress", "aws-kms-key-enable-rotation", "aws-sagemaker-model-disallow-unapproved-registry"]);
        expect(report.selection).toBeUndefined();
    });

    it("--skip-rule disables the rule in the policy config the pack receives, and says so", async () => {
        const { code, report } = await json("--skip-rule", "aws-ec2-securitygroup-disallow-public-ingress", "--skip-rule", "aws-kms-*");
        expect(code).toBe(1);
        expect(rules(report)).toEqual(["aws-sagemaker-model-disallow-unapproved-registry"]);
        const skipped = RULES.map((r) => r.name).filter((n) => n === "aws-ec2-securitygroup-disallow-public-ingress" || n.startsWith("aws-kms-"));
        expect(report.selection!.skipped).toEqual(skipped);
        for (const name of skipped) expect(report.policies.find((p) => p.name === name)!.enforcementLevel).toBe("disabled");
        expect(report.notes[0]).toMatch(/^rule selection \(--skip-rule aws-ec2-securitygroup-disallow-public-ingress --skip-rule aws-kms-\*\): ran \d+ rule\(s\): .*; skipped 4 \(disabled\): /);
    });

    it("--rule runs only the matching rules (every other one disabled)", async () => {
        const { code, report } = await json("--rule", "aws-kms-*", "--rule", "aws-sagemaker-model-disallow-unapproved-registry");
        expect(code).toBe(1);
        expect(rules(report)).toEqual(["aws-kms-key-enable-rotation", "aws-sagemaker-model-disallow-unapproved-registry"]);
        expect(report.selection!.selected).toEqual(RULES.map((r) => r.name).filter((n) => n.startsWith("aws-kms-") || n === "aws-sagemaker-model-disallow-unapproved-registry"));
        expect(report.selection!.skipped).toHaveLength(RULES.length - report.selection!.selected.length);
        // aiguard's own reports are not rules: they still run.
        for (const name of ["aiguard-exemptions-applied"]) expect(report.policies.find((p) => p.name === name)!.enforcementLevel).not.toBe("disabled");
    });

    it("says in the text report which rules ran and which were skipped", async () => {
        const r = await aiguard(["check", "--from", PREVIEW, "--rule", "aws-kms-key-enable-rotation"]);
        expect(r.code).toBe(1);
        expect(r.stdout.replace(/\s+/g, " ")).toContain(`rule selection (--rule aws-kms-key-enable-rotation): ran 1 rule(s): aws-kms-key-enable-rotation; skipped ${RULES.length - 1} (disabled)`);
    });

    it("applies to aiguard report too", async () => {
        const r = await aiguard(["report", "--from", PREVIEW, "--skip-rule", "aws-kms-key-enable-rotation"]);
        expect(r.code).toBe(0);
        expect(r.stdout).toContain("| `aws-sagemaker-model-disallow-unapproved-registry` | mandatory | high | ❌ fail | 1 |");
        expect(r.stdout).toContain("| `aws-kms-key-enable-rotation` | disabled | high | ⏸️ disabled |  |");
        expect(r.stderr).toContain("aiguard: rule selection (--skip-rule aws-kms-key-enable-rotation): ran ");
    });

    it("answers a name that matches no rule with exit 2 and the nearest rule name", async () => {
        const [typo, glob, none] = await Promise.all([
            aiguard(["check", "--from", PREVIEW, "--skip-rule", "aws-kms-key-enable-rotaton"]),
            aiguard(["check", "--from", PREVIEW, "--rule", "gcp-*"]),
            aiguard(["check", "--from", PREVIEW, "--rule", "aws-kms-*", "--skip-rule", "aws-kms-*"]),
        ]);
        expect(typo.stderr).toContain('aiguard: error: --skip-rule aws-kms-key-enable-rotaton matches no rule of the pack (did you mean "aws-kms-key-enable-rotation"?)');
        expect(glob.stderr).toContain("aiguard: error: --rule gcp-* matches no rule of the pack");
        expect(none.stderr).toContain("aiguard: error: --rule and --skip-rule leave no rule to run");
        for (const r of [typo, glob, none]) {
            expect(r.code).toBe(2);
            expect(r.stderr).toMatch(/^ {2}fix: /m);
            expect(r.stderr).not.toMatch(STACK_TRACE);
        }
    });
});

describe("--fail-on", () => {
    it("fails only for mandatory findings at or above the threshold", async () => {
        const critical = await json("--fail-on", "critical");
        expect(critical.code).toBe(1);
        expect(critical.report.summary).toMatchObject({ mandatory: 3, blocking: 1, failOn: "critical", verdict: "blocked", exitCode: 1 });

        const belowOnly = await json("--fail-on", "critical", "--skip-rule", "aws-ec2-securitygroup-disallow-public-ingress");
        expect(belowOnly.code).toBe(0);
        expect(belowOnly.report.summary).toMatchObject({ mandatory: 2, blocking: 0, verdict: "passed", exitCode: 0 });
        // The findings below the threshold are still reported.
        expect(rules(belowOnly.report)).toEqual(["aws-kms-key-enable-rotation", "aws-sagemaker-model-disallow-unapproved-registry"]);

        const high = await json("--fail-on", "high", "--skip-rule", "aws-ec2-securitygroup-disallow-public-ingress");
        expect(high.code).toBe(1);
        expect(high.report.summary.blocking).toBe(2);
    });

    it("says so in the verdict line", async () => {
        const r = await aiguard(["check", "--from", PREVIEW, "--fail-on", "critical", "--skip-rule", "aws-ec2-securitygroup-disallow-public-ingress"]);
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/✔ PASSED {2}no mandatory violations at or above critical; 0 advisory findings, 2 mandatory findings below --fail-on critical \(not failing\)$/m);
    });

    it("never promotes an advisory finding: a critical rule set to advisory does not fail", async () => {
        const config = path.join(tmp, "advisory.json");
        fs.writeFileSync(config, JSON.stringify({ "aws-ec2-securitygroup-disallow-public-ingress": "advisory" }));
        const { code, report } = await json("--fail-on", "critical", "--config", config);
        expect(code).toBe(0);
        expect(report.findings.find((f) => f.rule === "aws-ec2-securitygroup-disallow-public-ingress")).toMatchObject({ severity: "critical" });
        expect(report.summary).toMatchObject({ blocking: 0, exitCode: 0 });
    });

    it("rejects a severity that is not on the scale", async () => {
        const r = await aiguard(["check", "--from", PREVIEW, "--fail-on", "severe"]);
        expect(r.code).toBe(2);
        expect(r.stderr).toBe("aiguard: error: option '--fail-on <severity>' argument 'severe' is invalid. Allowed choices are low, medium, high, critical.\n  fix: use one of the allowed values (`aiguard check --help` lists them)\n");
    });
});
