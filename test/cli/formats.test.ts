/**
 * `aiguard check` output formats on the insecure demo (which breaks every rule): JSON with exact
 * findings, SARIF valid against the official SARIF 2.1.0 schema (vendored, see fixtures/README.md),
 * and Markdown for pull-request comments.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as Sarif from "sarif";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RULES } from "../../policies/catalogue";
import { CLAUSES } from "../../common/clauses";
import { sarifErrors } from "./sarif-schema";
import { aiguard, REPO_ROOT, type CliRun } from "./support";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "aiguard-formats-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let json: CliRun;
let sarif: CliRun;
let markdown: CliRun;
const sarifFile = path.join(tmp, "aiguard.sarif");

beforeAll(async () => {
    [json, sarif, markdown] = await Promise.all([
        aiguard(["check", "stacks/insecure-demo", "--mode", "update", "--format", "json"]),
        aiguard(["check", "stacks/insecure-demo", "--mode", "update", "--format", "sarif", "--output", sarifFile]),
        aiguard(["check", "stacks/insecure-demo", "--mode", "update", "--format", "markdown"]),
    ]);
}, 300_000);

describe("--format json", () => {
    it("exits 1 and lists every finding with rule, level, clauses and resource", () => {
        expect(json.code).toBe(1);
        const doc = JSON.parse(json.stdout);
        expect(doc.version).toBe(1);
        expect(doc.target).toMatchObject({ kind: "program", path: "stacks/insecure-demo", project: "insecure-demo", stack: "dev", mainFile: "stacks/insecure-demo/index.ts", root: REPO_ROOT });
        expect(doc.target.repository).toMatchObject({ commit: expect.stringMatching(/^[0-9a-f]{40}$/), dirty: expect.any(Boolean) });
        expect(doc.summary).toMatchObject({ passed: false, exitCode: 1, resources: 81 }); // the demo's 81 resources: platform, GPU node group and launch template, the data path and the data stores
        expect(doc.summary.mandatory).toBe(doc.findings.filter((f: any) => f.level === "mandatory").length);
        expect(doc.findings).toContainEqual({
            rule: "aws-kms-key-enable-rotation",
            level: "mandatory",
            severity: "high",
            message: 'KMS key "shared-key" does not enable automatic key rotation (enableKeyRotation: true)',
            clauses: ["DV-2", "DP-5", "P5", "P11"],
            urn: "urn:pulumi:dev::insecure-demo::aws:kms/key:Key::shared-key",
            resourceType: "aws:kms/key:Key",
            resourceName: "shared-key",
            location: { file: "stacks/insecure-demo/identity.ts", line: 19, column: 17 },
        });
        // The demo breaks every rule of the catalogue.
        expect(new Set(doc.findings.map((f: any) => f.rule))).toEqual(new Set(RULES.map((r) => r.name)));
        expect(doc.policies).toHaveLength(RULES.length + 3); // the rules and the exemptions, undecided-at-preview and scope reports
        expect(doc.policies.find((p: any) => p.name === "aws-kms-key-enable-rotation")).toMatchObject({ clauses: ["DV-2", "DP-5", "P5", "P11"], enforcementLevel: "mandatory" });
    });
});

describe("--format sarif", () => {
    let log: Sarif.Log;
    beforeAll(() => {
        log = JSON.parse(fs.readFileSync(sarifFile, "utf8"));
    });

    it("writes the file, keeps stdout empty and prints the verdict on stderr", () => {
        expect(sarif.code).toBe(1);
        expect(sarif.stdout).toBe("");
        expect(sarif.stderr).toMatch(/^✖ BLOCKED {2}\d+ mandatory violations .* \(report: .*aiguard\.sarif\)\n$/);
    });

    it("is valid against the official SARIF 2.1.0 schema", () => {
        expect(sarifErrors(log)).toEqual([]);
        expect(log.version).toBe("2.1.0");
        // The validator does reject what the schema forbids.
        expect(sarifErrors({ ...log, version: "2.0.0" })).not.toEqual([]);
        expect(sarifErrors({ ...log, runs: [{ ...log.runs[0], results: [{ message: {} }] }] })).not.toEqual([]);
    });

    it("describes every rule with its clause IDs, help text and severity", () => {
        const run = log.runs[0]!;
        const rules = run.tool.driver.rules!;
        expect(rules.map((r) => r.id).sort()).toEqual(RULES.map((r) => r.name).sort());
        const rotation = rules.find((r) => r.id === "aws-kms-key-enable-rotation")!;
        expect(rotation.properties!.tags).toEqual(["security", "infrastructure-as-code", "pulumi", "clause:DV-2", "clause:DP-5", "clause:P5", "clause:P11"]);
        expect(rotation.properties!["security-severity"]).toBe("8.0");
        expect(rotation.defaultConfiguration).toEqual({ level: "error", enabled: true });
        expect(rotation.help!.text).toContain("How to fix: Set `enableKeyRotation: true`");
        expect(rotation.help!.markdown).toContain("- DV-2 (NCSC/CISA Guidelines for Secure AI System Development, Secure development): Identify, track and protect assets");
        expect(rotation.relationships!.map((r) => r.target.id)).toEqual(["DV-2", "DP-5", "P5", "P11"]);
        // Both documents as taxonomies, every clause a taxon.
        expect(run.taxonomies!.map((t) => t.name)).toEqual(["NCSC-CISA-SecureAI", "UK-AI-Cyber-CoP"]);
        expect(run.taxonomies!.flatMap((t) => t.taxa!.map((x) => x.id))).toEqual(CLAUSES.map((c) => c.id));
        expect(run.automationDetails).toBeUndefined(); // GitHub's upload-sarif `category:` applies
    });

    it("locates each result at the resource's declaration and by URN", () => {
        const run = log.runs[0]!;
        const result = run.results!.find((r) => r.ruleId === "aws-kms-key-enable-rotation")!;
        expect(result.level).toBe("error");
        expect(run.tool.driver.rules![result.ruleIndex!]!.id).toBe("aws-kms-key-enable-rotation");
        expect(result.message.text).toBe('shared-key (aws:kms/key:Key): KMS key "shared-key" does not enable automatic key rotation (enableKeyRotation: true) [DV-2, DP-5, P5, P11]');
        expect(result.locations).toEqual([
            {
                physicalLocation: { artifactLocation: { uri: "stacks/insecure-demo/identity.ts", uriBaseId: "%SRCROOT%" }, region: { startLine: 19, startColumn: 17 } },
                logicalLocations: [{ name: "shared-key", fullyQualifiedName: "urn:pulumi:dev::insecure-demo::aws:kms/key:Key::shared-key", kind: "resource", decoratedName: "aws:kms/key:Key" }],
            },
        ]);
        const advisory = run.results!.filter((r) => r.level === "warning").map((r) => r.ruleId);
        expect(advisory).toContain("aws-cloudtrail-trail-missing-data-events");
        expect(new Set(run.results!.map((r) => r.partialFingerprints!["aiguardFinding/v1"])).size).toBe(run.results!.length);
    });
});

describe("--format markdown", () => {
    it("is a PR comment: verdict heading, summary table, findings per clause, fixes folded", () => {
        expect(markdown.code).toBe(1);
        const md = markdown.stdout;
        expect(md).toMatch(/^## aiguard: ❌ change blocked — \d+ mandatory violations\n/);
        expect(md).toContain("| Mandatory | Advisory | Exempted | Rules failing | Clauses affected |");
        expect(md).toContain("### Secure deployment <sub>NCSC/CISA Guidelines for Secure AI System Development</sub>");
        expect(md).toContain("**DP-1** — Secure the infrastructure; segregate environments");
        expect(md).toContain(
            '| ❌ | `aws-kms-key-enable-rotation`<br><sub>mandatory · high · DV-2, DP-5, P5, P11</sub> | `shared-key`<br><sub>aws:kms/key:Key · stacks/insecure-demo/identity.ts:19:17</sub> | KMS key "shared-key" does not enable automatic key rotation (enableKeyRotation: true) |',
        );
        expect(md).toContain("<details><summary>How to fix</summary>");
        expect(md).toContain("- **`aws-kms-key-enable-rotation`**: Set `enableKeyRotation: true`");
    });
});
