/**
 * Baselines, as a team adopting aiguard on an existing estate uses them: `--write-baseline` on a
 * program with 10 findings, then `--baseline` on the same program with one new violation, which
 * fails with exactly that one; the 10 are reported as baselined in text, JSON and SARIF (accepted
 * external suppressions), and entries that no longer match are listed as fixed.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as Sarif from "sarif";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aiguard, FIXTURES, STACK_TRACE } from "./support";
import { sarifErrors } from "./sarif-schema";

const PROGRAM = path.join(FIXTURES, "baseline-program");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "aiguard-baseline-"));
const BASELINE = path.join(tmp, "baseline.json");
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Entry {
    rule: string;
    urn: string;
    fingerprint: string;
    resourceName: string;
}
interface JsonReport {
    summary: { mandatory: number; baselined: number; verdict: string; exitCode: number };
    findings: { rule: string; resourceName: string }[];
    baseline: { file: string; entries: number; suppressed: { rule: string; resourceName: string }[]; fixed: Entry[] };
}

let written: { findings: Entry[]; target: { project: string; stack: string }; identity: string };

beforeAll(async () => {
    const r = await aiguard(["check", PROGRAM, "--write-baseline", BASELINE]);
    expect(r.stderr).toContain(`aiguard: baseline written to ${BASELINE}: 10 finding(s)`);
    expect(r.stdout).toContain(`Baselined (10 of 10 entries in ${BASELINE} matched): accepted, not failing`);
    expect(r.code).toBe(0);
    written = JSON.parse(fs.readFileSync(BASELINE, "utf8"));
}, 120_000);

describe("--write-baseline", () => {
    it("lists the 10 findings by rule and resource URN, with a fingerprint of the two and no run-dependent values", async () => {
        expect(written.findings).toHaveLength(10);
        expect(written.target).toEqual({ project: "baseline-fixture", stack: "dev" });
        expect(written.identity).toMatch(/^rule \+ resource URN/);
        expect(written.findings.map((f) => `${f.rule} ${f.resourceName}`)).toContain("aws-ec2-securitygroup-disallow-public-ingress legacy-ssh");
        for (const f of written.findings) expect(f.urn).toMatch(/^urn:pulumi:dev::baseline-fixture::aws:/);
        // Writing it again gives the same file: nothing in it depends on the run.
        const again = path.join(tmp, "again.json");
        expect((await aiguard(["check", PROGRAM, "--write-baseline", again])).code).toBe(0);
        expect(fs.readFileSync(again, "utf8")).toBe(fs.readFileSync(BASELINE, "utf8"));
    });
});

describe("--baseline", () => {
    it("passes the baselined stack, reporting the 10 as baselined", async () => {
        const r = await aiguard(["check", PROGRAM, "--baseline", BASELINE]);
        expect(r.code).toBe(0);
        expect(r.stdout).toContain(`Baselined (10 of 10 entries in ${BASELINE} matched): accepted, not failing`);
        expect(r.stdout).toMatch(/✔ PASSED {2}no mandatory violations; 0 advisory findings, 10 baselined$/m);
    });

    it("fails a stack with 10 baselined findings and one new violation with exactly the new one (text)", async () => {
        const r = await aiguard(["check", PROGRAM, "--baseline", BASELINE, "--set", "newViolation=true"]);
        expect(r.code).toBe(1);
        expect(r.stdout).toMatch(/✖ BLOCKED {2}1 mandatory violation of 1 rule \(4 clauses\); 0 advisory findings, 10 baselined$/m);
        expect(r.stdout).toContain('KMS key "new-key" does not enable automatic key rotation');
    });

    it("says the same in JSON: one finding, ten baselined, nothing fixed", async () => {
        const r = await aiguard(["check", PROGRAM, "--baseline", BASELINE, "--set", "newViolation=true", "--format", "json"]);
        expect(r.code).toBe(1);
        const j = JSON.parse(r.stdout) as JsonReport;
        expect(j.findings.map((f) => `${f.rule} ${f.resourceName}`)).toEqual(["aws-kms-key-enable-rotation new-key"]);
        expect(j.summary).toMatchObject({ mandatory: 1, baselined: 10, verdict: "blocked", exitCode: 1 });
        expect(j.baseline.suppressed.map((f) => `${f.rule} ${f.resourceName}`).sort()).toEqual(written.findings.map((f) => `${f.rule} ${f.resourceName}`).sort());
        expect(j.baseline.fixed).toEqual([]);
    });

    it("writes baselined findings to SARIF as accepted external suppressions (valid SARIF 2.1.0)", async () => {
        const r = await aiguard(["check", PROGRAM, "--baseline", BASELINE, "--set", "newViolation=true", "--format", "sarif"]);
        expect(r.code).toBe(1);
        const log = JSON.parse(r.stdout) as Sarif.Log;
        expect(sarifErrors(log)).toEqual([]);
        const results = log.runs[0]!.results!;
        const open = results.filter((x) => !x.suppressions);
        const suppressed = results.filter((x) => x.suppressions);
        expect(open.map((x) => x.ruleId)).toEqual(["aws-kms-key-enable-rotation"]);
        expect(suppressed).toHaveLength(10);
        for (const s of suppressed) expect(s.suppressions).toEqual([{ kind: "external", status: "accepted", justification: `accepted by baseline ${BASELINE}` }]);
    });

    it("says the same in a Markdown pull-request comment", async () => {
        const r = await aiguard(["check", PROGRAM, "--baseline", BASELINE, "--set", "newViolation=true", "--format", "markdown"]);
        expect(r.code).toBe(1);
        expect(r.stdout.split("\n")[0]).toBe("## aiguard: ❌ change blocked — 1 mandatory violation");
        expect(r.stdout).toContain(`### Baselined (10 of 10 entries in \`${BASELINE}\`): accepted, not failing`);
    });

    it("lists entries that match nothing any more as fixed", async () => {
        const edited = path.join(tmp, "with-gone.json");
        const gone = { rule: "aws-kms-key-enable-rotation", urn: "urn:pulumi:dev::baseline-fixture::aws:kms/key:Key::deleted-key", resourceType: "aws:kms/key:Key", resourceName: "deleted-key", message: "(hand-added)" };
        fs.writeFileSync(edited, JSON.stringify({ ...written, findings: [...written.findings, gone] }));
        const r = await aiguard(["check", PROGRAM, "--baseline", edited, "--format", "json"]);
        expect(r.code).toBe(0);
        const j = JSON.parse(r.stdout) as JsonReport;
        expect(j.baseline.fixed.map((f) => f.resourceName)).toEqual(["deleted-key"]);
        const text = await aiguard(["check", PROGRAM, "--baseline", edited]);
        expect(text.stdout).toContain("Fixed since the baseline (1): entries that match no finding now");
        expect(text.stdout).toMatch(/- aws-kms-key-enable-rotation on deleted-key/);
    });

    it("answers a missing, malformed or tampered baseline, and --baseline with --write-baseline, with exit 2 and a fix", async () => {
        const notJson = path.join(tmp, "not.json");
        fs.writeFileSync(notJson, "{ nope");
        const tampered = path.join(tmp, "tampered.json");
        fs.writeFileSync(tampered, JSON.stringify({ ...written, findings: [{ ...written.findings[0]!, urn: `${written.findings[0]!.urn}-other` }] }));
        const [missing, malformed, wrongShape, edited, both] = await Promise.all([
            aiguard(["check", PROGRAM, "--baseline", path.join(tmp, "absent.json")]),
            aiguard(["check", PROGRAM, "--baseline", notJson]),
            aiguard(["check", PROGRAM, "--baseline", path.join(FIXTURES, "policy-config.json")]),
            aiguard(["check", PROGRAM, "--baseline", tampered]),
            aiguard(["check", PROGRAM, "--baseline", BASELINE, "--write-baseline", path.join(tmp, "x.json")]),
        ]);
        expect(missing.stderr).toContain(`aiguard: error: --baseline file ${path.join(tmp, "absent.json")} does not exist`);
        expect(malformed.stderr).toContain(`aiguard: error: --baseline file ${notJson} is not readable JSON`);
        expect(wrongShape.stderr).toContain("is not an aiguard baseline of version 1");
        expect(edited.stderr).toContain("has a fingerprint that is not sha256(rule, urn) of its rule and urn");
        expect(both.stderr).toContain("aiguard: error: give either --baseline or --write-baseline, not both");
        for (const r of [missing, malformed, wrongShape, edited, both]) {
            expect(r.code).toBe(2);
            expect(r.stderr).toMatch(/^ {2}fix: /m);
            expect(r.stderr).not.toMatch(STACK_TRACE);
        }
    });
});
