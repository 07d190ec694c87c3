/**
 * Exemptions as `aiguard check --config` users meet them: an impossible expiry is a usage error
 * naming where it is; expired exemptions and exemptions that applied to nothing come back as
 * advisory findings of the exemptions report, once each although the pack-wide block copies them
 * into every policy's config.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aiguard, FIXTURES, type CliRun } from "./support";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "aiguard-exemptions-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const preview = path.join(FIXTURES, "preview.json");
const justification = "Public demo endpoint serving synthetic data only (RISK-142)";
const SG = "aws-ec2-securitygroup-disallow-public-ingress";

function configFile(name: string, doc: unknown): string {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, JSON.stringify(doc));
    return file;
}

describe("an impossible expiry date", () => {
    it.each([
        ["2027-13-45", { aiguard: { exemptions: [{ name: "public-demo-*", justification, expires: "2027-13-45" }] } }, '"aiguard".exemptions[0]'],
        ["2026-02-30", { [SG]: { exemptions: [{ name: "x", justification }, { name: "public-demo-*", justification, expires: "2026-02-30" }] } }, `"${SG}".exemptions[1]`],
    ])("%s is a usage error naming the exemption, with the fix", async (date, doc, where) => {
        const r = await aiguard(["check", "--from", preview, "--config", configFile(`bad-${date}.json`, doc)]);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(`aiguard: error: --config ${where}: expiry "${date}" is not a calendar date`);
        expect(r.stderr).toContain("fix: write the last day the exemption applies as an existing date, YYYY-MM-DD");
    });
});

describe("expired exemptions and exemptions that match nothing", () => {
    let run: CliRun;
    let sarif: CliRun;
    beforeAll(async () => {
        const doc = {
            aiguard: {
                exemptions: [
                    { rule: SG, name: "public-demo-*", justification }, // applies (spread into every policy, applied by one)
                    { rule: SG, name: "retired-lb", justification }, // names no resource of the stack
                ],
            },
            "aws-kms-key-enable-rotation": { exemptions: [{ name: "model-key", justification, expires: "2020-06-30" }] },
        };
        [run, sarif] = await Promise.all([
            aiguard(["check", "--from", preview, "--config", configFile("audit.json", doc), "--format", "json"]),
            aiguard(["check", "--from", preview, "--config", configFile("audit-sarif.json", doc), "--format", "sarif"]),
        ]);
    }, 300_000);

    it("applies the live exemption and brings back the expired one's finding", () => {
        const out = JSON.parse(run.stdout);
        expect(out.exemptions.map((e: any) => [e.rule, e.resourceName])).toEqual([[SG, "public-demo-lb"]]);
        expect(out.findings.filter((f: any) => f.level === "mandatory").map((f: any) => [f.rule, f.resourceName]).sort()).toEqual([
            ["aws-kms-key-enable-rotation", "model-key"],
            ["aws-sagemaker-model-disallow-unapproved-registry", "sentiment"],
        ]);
        expect(run.code).toBe(1);
    });

    it("reports each problem once, as an advisory finding of the exemptions report with the fix", () => {
        const out = JSON.parse(run.stdout);
        const report = out.findings.filter((f: any) => f.rule === "aiguard-exemptions-applied");
        expect(report.map((f: any) => f.level)).toEqual(["advisory", "advisory"]);
        const messages = report.map((f: any) => f.message).sort();
        expect(messages[0]).toMatch(/^exemption \{rule \*, name "model-key", expires 2020-06-30\} in the config of aws-kms-key-enable-rotation expired on 2020-06-30: the findings it waived are reported again\. Fix: /);
        expect(messages[1]).toMatch(new RegExp(`^exemption \\{rule ${SG}, name "retired-lb"\\} in the config of .* and \\d+ more applied to no finding in this run\\. Fix: remove it`));
    });

    it("gives those findings a SARIF rule, the exemptions report's", () => {
        const log = JSON.parse(sarif.stdout);
        const run0 = log.runs[0];
        const results = run0.results.filter((r: any) => r.ruleId === "aiguard-exemptions-applied");
        expect(results).toHaveLength(2);
        for (const r of results) expect(run0.tool.driver.rules[r.ruleIndex].id).toBe("aiguard-exemptions-applied");
        expect(results.map((r: any) => r.level)).toEqual(["warning", "warning"]);
    });
});
