/**
 * The CLI surface, run as a subprocess: help everywhere, exit codes 0/1/2, and bad input answered
 * with one clear message (never a stack trace).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { aiguard, FIXTURES, STACK_TRACE } from "./support";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "aiguard-cli-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("help and usage errors", () => {
    it("lists every command and the exit codes", async () => {
        const r = await aiguard(["--help"]);
        expect(r.code).toBe(0);
        for (const cmd of ["check", "report", "rules", "explain", "demo", "verify-image", "check-manifests"]) expect(r.stdout).toMatch(new RegExp(`^  ${cmd} `, "m"));
        expect(r.stdout).toContain("Exit codes: 0 clean, 1 mandatory violations");
    });

    it("documents check's flags, formats and exit codes", async () => {
        const r = await aiguard(["check", "--help"]);
        expect(r.code).toBe(0);
        expect(r.stdout).toContain("Usage: aiguard check [options] [program-dir]");
        for (const flag of ["--stack <name>", "--from <file>", "--config <file>", "--format <format>", "--output <file>"]) expect(r.stdout).toContain(flag);
        expect(r.stdout.replace(/\s+/g, " ")).toContain('(choices: "text", "json", "sarif", "markdown", default: "text")');
        expect(r.stdout).toContain("Exit codes: 0 no mandatory violation, 1 mandatory violations (block the change), 2 usage or input error.");
    });

    it("mounts the admission checks under aiguard", async () => {
        const [verify, manifests] = await Promise.all([aiguard(["verify-image", "--help"]), aiguard(["check-manifests", "--help"])]);
        expect(verify.code).toBe(0);
        expect(verify.stdout).toContain("Usage: aiguard verify-image [options] <ref>");
        expect(verify.stdout).toContain("--policy <file|dir>");
        expect(manifests.code).toBe(0);
        expect(manifests.stdout).toContain("Usage: aiguard check-manifests [options] <files...>");
    });

    it("answers an unknown flag, an unknown format and an unknown command with exit 2", async () => {
        const [flag, format, command] = await Promise.all([
            aiguard(["check", "--no-such-flag"]),
            aiguard(["check", "--format", "xml"]),
            aiguard(["chek"]),
        ]);
        expect(flag.code).toBe(2);
        expect(flag.stderr).toContain("error: unknown option '--no-such-flag'");
        expect(format.code).toBe(2);
        expect(format.stderr).toContain("argument 'xml' is invalid. Allowed choices are text, json, sarif, markdown.");
        expect(command.code).toBe(2);
        expect(command.stderr).toContain("unknown command 'chek'");
        expect(command.stderr).toContain("(Did you mean check?)");
        for (const r of [flag, format, command]) expect(r.stderr).not.toMatch(STACK_TRACE);
    });
});

describe("bad input: exit 2, one clear message, no stack trace", () => {
    it("reports a missing --from file, malformed JSON, an unrecognised document and a missing program", async () => {
        const malformed = path.join(tmp, "malformed.json");
        fs.writeFileSync(malformed, '{"steps": [ {"op": "create", ');
        const notPulumi = path.join(tmp, "other.json");
        fs.writeFileSync(notPulumi, JSON.stringify({ resources: [] }));
        const runs = await Promise.all([
            aiguard(["check", "--from", path.join(tmp, "nope.json")]),
            aiguard(["check", "--from", malformed]),
            aiguard(["check", "--from", notPulumi]),
            aiguard(["check", path.join(tmp, "no-such-dir")]),
            aiguard(["check", "--from", path.join(FIXTURES, "preview.json"), "--config", path.join(tmp, "missing-config.json")]),
        ]);
        expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2, 2]);
        expect(runs[0]!.stderr).toMatch(/^aiguard: error: --from file .*nope\.json does not exist\n  fix: write it with `pulumi preview --json --show-sames > preview.json`/);
        expect(runs[1]!.stderr).toMatch(/^aiguard: error: --from file .*malformed\.json is not valid JSON: /);
        expect(runs[2]!.stderr).toContain('is not Pulumi preview or stack-export JSON: it has neither "steps" (pulumi preview --json) nor "deployment" (pulumi stack export)');
        expect(runs[3]!.stderr).toMatch(/^aiguard: error: program directory .*no-such-dir does not exist/);
        expect(runs[4]!.stderr).toMatch(/^aiguard: error: --config file .*missing-config\.json does not exist/);
        for (const r of runs) {
            expect(r.stderr).not.toMatch(STACK_TRACE);
            expect(r.stdout).toBe("");
        }
    });

    it("rejects a policy config naming an unknown policy or breaking a policy's schema", async () => {
        const typo = path.join(tmp, "typo.json");
        fs.writeFileSync(typo, JSON.stringify({ "aws-kms-key-enable-rotaton": "advisory" }));
        const short = path.join(tmp, "short.json");
        fs.writeFileSync(short, JSON.stringify({ aiguard: { exemptions: [{ name: "x", justification: "because" }] } }));
        const preview = path.join(FIXTURES, "preview.json");
        const [a, b] = await Promise.all([aiguard(["check", "--from", preview, "--config", typo]), aiguard(["check", "--from", preview, "--config", short])]);
        expect(a.code).toBe(2);
        expect(a.stderr).toContain('--config names policy "aws-kms-key-enable-rotaton", which the pack does not have (did you mean "aws-kms-key-enable-rotation"?)');
        expect(b.code).toBe(2);
        expect(b.stderr).toContain("/exemptions/0/justification must NOT have fewer than 20 characters");
        for (const r of [a, b]) expect(r.stderr).not.toMatch(STACK_TRACE);
    });

    it("keeps aiguard's reports advisory under an \"all\" level, and refuses a report named with a blocking level", async () => {
        const all = path.join(tmp, "all-mandatory.json");
        fs.writeFileSync(all, JSON.stringify({ all: "mandatory" }));
        const named = path.join(tmp, "report-mandatory.json");
        fs.writeFileSync(named, JSON.stringify({ all: "advisory", "aiguard-scope": "mandatory" }));
        const preview = path.join(FIXTURES, "preview.json");
        const [a, b] = await Promise.all([aiguard(["check", "--from", preview, "--config", all, "--format", "json"]), aiguard(["check", "--from", preview, "--config", named])]);
        expect([0, 1], a.stderr).toContain(a.code);
        const policies = (JSON.parse(a.stdout) as { policies: { name: string; enforcementLevel: string }[] }).policies;
        const levels = new Map(policies.map((p) => [p.name, p.enforcementLevel]));
        for (const report of ["aiguard-exemptions-applied", "aiguard-scope", "aiguard-undecided-at-preview"]) expect(levels.get(report), report).toBe("advisory");
        expect(policies.filter((p) => !p.name.startsWith("aiguard-")).every((p) => p.enforcementLevel === "mandatory")).toBe(true);
        expect(b.code).toBe(2);
        expect(b.stderr).toContain(`"aiguard-scope" is set to "mandatory", but it is one of aiguard's reports`);
        expect(b.stderr).toContain('fix: remove the entry, or set it to "advisory"');
        expect(b.stderr).not.toMatch(STACK_TRACE);
    });

    it("names a program's own failure (bad stack config) without a stack trace", async () => {
        const r = await aiguard(["check", "--stack", "dev", "--set", "deployerRoleArn=not-an-arn"]);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain('failed (stack "dev", preview mode): stack config "deployerRoleArn": must be an IAM role ARN, got "not-an-arn"');
        expect(r.stderr).not.toMatch(STACK_TRACE);
    });
});

describe("exit codes of a real check", () => {
    it("exits 0 on the example platform and 1 on the insecure demo", async () => {
        const [platform, demo] = await Promise.all([aiguard(["check", "--stack", "dev"]), aiguard(["check", "stacks/insecure-demo"])]);
        expect(platform.code).toBe(0);
        expect(platform.stdout).toMatch(/^aiguard check {2}\. \(project aiguard-platform, stack dev, first-preview mode: computed outputs unknown\)$/m);
        expect(platform.stdout).toMatch(/^✔ PASSED {2}no mandatory violations; 0 advisory findings$/m);
        expect(demo.code).toBe(1);
        expect(demo.stdout).toMatch(/^✖ BLOCKED {2}\d+ mandatory violations of \d+ rules \(\d+ clauses\); \d+ advisory findings$/m);
        // Grouped by stage, then clause, each rule with its fix.
        expect(demo.stdout).toMatch(/^Secure deployment {2}NCSC\/CISA Guidelines for Secure AI System Development$/m);
        expect(demo.stdout).toMatch(/^ {2}DP-1 {2}Secure the infrastructure; segregate environments$/m);
        expect(demo.stdout).toMatch(/^ {4}✖ aws-kms-key-disallow-public-principal {2}mandatory · critical · DP-1, DV-2, P5, P6\n {8}shared-key aws:kms\/key:Key  stacks\/insecure-demo\/identity\.ts:19:17\n/m);
        expect(demo.stdout).toMatch(/^ {6}fix: Set `enableKeyRotation: true` on the `aws.kms.Key`/m);
        // Quiet in CI: no spinner on stderr.
        expect(platform.stderr).toBe("");
    });
});
