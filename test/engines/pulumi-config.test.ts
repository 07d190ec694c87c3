/**
 * One settings block, the same verdict everywhere (issue "the pack judges the stacks teams
 * actually write"), and the first preview through the real Pulumi CLI.
 *
 * A team writes its settings once (pack-wide `aiguard` block, `"all"`, per-rule levels,
 * exemptions). `aiguard check --from <state> --config settings.json` and the real
 * `pulumi policy analyze --policy-pack-config <aiguard config expand settings.json>` must agree on
 * every finding, its level, every exemption and the exit status. The states are `pulumi stack
 * export` files of the insecure demo built by running it offline: in update mode (every output
 * known) and as a first preview (computed outputs the engine's unknown value, dependencies and
 * property dependencies recorded), which the real CLI reads back as unknowns.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACK_REPORTS } from "../../offline/evaluate";
import type { RecordedResource } from "../../offline/recording-mocks";
import { buildInsecureDemo } from "../../stacks/insecure-demo/demo";
import { aiguard } from "../cli/support";
import { record } from "../harness";
import { compilePackCopy } from "./pack-copy";
import { createPulumiWorkspace, parseAnalyzeJson, type AnalyzeJson, type PulumiWorkspace } from "./pulumi-fixture";
import { writeStackExport } from "./state-export";

const EXEMPTIONS_REPORT = "aiguard-exemptions-applied";
const JUSTIFICATION = "Accepted for the demo by the platform team (ticket RISK-42), reviewed quarterly.";

let ws: PulumiWorkspace;
let packDir: string;
let demo: readonly RecordedResource[];
let demoState: string;
let previewState: string;

beforeAll(async () => {
    ws = createPulumiWorkspace();
    packDir = compilePackCopy(path.join(ws.dir, "policies"));
    demo = (await record(() => buildInsecureDemo(), { project: "aiguard-insecure-demo", stack: "demo" })).resources;
    const preview = (await record(() => buildInsecureDemo(), { project: "aiguard-insecure-demo", stack: "demo", preview: true })).resources;
    demoState = writeStackExport(path.join(ws.dir, "insecure-demo.json"), demo);
    previewState = writeStackExport(path.join(ws.dir, "insecure-demo-first-preview.json"), preview);
}, 180_000);

afterAll(() => ws?.cleanup());

interface AiguardDoc {
    mode: string;
    findings: { rule: string; level: string; urn: string; resourceName: string }[];
    exemptions: { rule: string; urn: string; justification: string }[];
    notes: string[];
    summary: { exitCode: number; mandatory: number };
}

async function aiguardCheck(state: string, config?: string): Promise<AiguardDoc> {
    const run = await aiguard(["check", "--from", state, ...(config ? ["--config", config] : []), "--format", "json"]);
    expect([0, 1], run.stderr).toContain(run.code);
    const doc = JSON.parse(run.stdout) as AiguardDoc;
    expect(doc.summary.exitCode).toBe(run.code);
    return doc;
}

async function pulumiAnalyze(state: string, config?: string): Promise<{ code: number; stderr: string; json: AnalyzeJson }> {
    const res = await ws.run(["policy", "analyze", "--file", state, "--policy-pack", packDir, "--json", ...(config ? ["--policy-pack-config", config] : [])], { timeoutMs: 180_000 });
    return { code: res.code, stderr: res.stderr, json: parseAnalyzeJson(res.stdout) };
}

const sorted = (xs: Iterable<string>) => [...xs].sort();
const pulumiFindings = (j: AnalyzeJson) => sorted(j.violations.filter((v) => !PACK_REPORTS.has(v.policyName) && v.policyName !== EXEMPTIONS_REPORT).map((v) => `${v.policyName}|${v.resourceUrn ?? ""}|${v.enforcementLevel}`));
const aiguardFindings = (d: AiguardDoc) => sorted(d.findings.map((f) => `${f.rule}|${f.urn}|${f.level}`));
const pulumiExemptions = (j: AnalyzeJson) => sorted(j.violations.filter((v) => v.policyName === EXEMPTIONS_REPORT).map((v) => `${/exempted from ([a-z0-9-]+):/.exec(v.message)?.[1] ?? "?"}|${v.resourceUrn ?? ""}`));
const aiguardExemptions = (d: AiguardDoc) => sorted(d.exemptions.map((e) => `${e.rule}|${e.urn}`));

describe("one settings file, through aiguard check and the real pulumi policy analyze", () => {
    const settings = {
        all: "mandatory",
        aiguard: {
            allowedRegistries: ["*.dkr.ecr.*.amazonaws.com", "ghcr.io/acme"],
            minimumLogRetentionDays: 400,
            exemptions: [
                { rule: "aws-kms-key-enable-rotation", name: "shared-key", justification: JUSTIFICATION },
                { name: "research-notebook", justification: JUSTIFICATION, expires: "2099-12-31" },
            ],
        },
        "aws-s3-bucket-missing-public-access-block": "advisory",
        "aws-eks-cluster-disallow-public-endpoint": { enforcementLevel: "disabled" },
        "aws-ec2-securitygroup-disallow-public-ingress": { exemptions: [{ name: "inference-open-sg", justification: JUSTIFICATION }] },
    };
    let settingsFile: string;
    let expandedFile: string;
    let expanded: Record<string, { enforcementLevel?: string; exemptions?: unknown[]; [k: string]: unknown }>;

    beforeAll(async () => {
        settingsFile = path.join(ws.dir, "aiguard-settings.json");
        writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
        expandedFile = path.join(ws.dir, "policy-config.json");
        const run = await aiguard(["config", "expand", settingsFile, "-o", expandedFile]);
        expect(run.code, run.stderr).toBe(0);
        expanded = JSON.parse(readFileSync(expandedFile, "utf8")) as typeof expanded;
    }, 120_000);

    it("expands to Pulumi's per-policy form: levels written out, reports advisory, pack-wide settings and exemptions spread", async () => {
        expect(expanded.aiguard).toBeUndefined();
        expect(expanded.all).toBeUndefined();
        expect(expanded["aws-kms-key-enable-rotation"]?.enforcementLevel).toBe("mandatory");
        expect(expanded["aws-s3-bucket-missing-public-access-block"]?.enforcementLevel).toBe("advisory");
        expect(expanded["aws-eks-cluster-disallow-public-endpoint"]?.enforcementLevel).toBe("disabled");
        for (const report of [...PACK_REPORTS, EXEMPTIONS_REPORT]) expect(expanded[report]?.enforcementLevel, report).toBe("advisory");
        // The pack-wide exemptions go to every policy, after a policy's own.
        expect(expanded["aws-ec2-securitygroup-disallow-public-ingress"]?.exemptions).toHaveLength(3);
        expect(expanded["aws-kms-key-enable-rotation"]?.exemptions).toHaveLength(2);
        // A setting goes only to the policies whose schema declares it.
        const withRegistries = Object.entries(expanded).filter(([, c]) => c.allowedRegistries !== undefined).map(([n]) => n);
        expect(withRegistries).toContain("kubernetes-core-pod-disallow-unapproved-registry");
        expect(expanded["aws-kms-key-enable-rotation"]?.allowedRegistries).toBeUndefined();
        // An expanded config expands to itself.
        const again = path.join(ws.dir, "policy-config-again.json");
        const run = await aiguard(["config", "expand", expandedFile, "-o", again]);
        expect(run.code, run.stderr).toBe(0);
        expect(JSON.parse(readFileSync(again, "utf8"))).toEqual(expanded);
    }, 120_000);

    it("gives the same findings, levels, exemptions and verdict in aiguard check --config and pulumi policy analyze", async () => {
        const [ours, theirs] = await Promise.all([aiguardCheck(demoState, settingsFile), pulumiAnalyze(demoState, expandedFile)]);
        expect(aiguardFindings(ours).length).toBeGreaterThan(60);
        expect(pulumiFindings(theirs.json)).toEqual(aiguardFindings(ours));
        expect(pulumiExemptions(theirs.json)).toEqual(aiguardExemptions(ours));
        // The settings took effect: levels raised by "all", one rule advisory, one disabled, three exemptions applied.
        const levels = new Set(ours.findings.map((f) => `${f.rule}|${f.level}`));
        expect(levels).toContain("aws-s3-bucket-missing-public-access-block|advisory");
        expect(ours.findings.some((f) => f.rule === "aws-eks-cluster-disallow-public-endpoint")).toBe(false);
        expect(sorted(new Set(ours.exemptions.map((e) => e.rule)))).toEqual(expect.arrayContaining(["aws-ec2-securitygroup-disallow-public-ingress", "aws-kms-key-enable-rotation"]));
        expect(ours.exemptions.some((e) => e.urn.endsWith("::research-notebook"))).toBe(true);
        // Both block: aiguard exits 1, the CLI fails with its mandatory-violation error.
        expect(ours.summary.exitCode).toBe(1);
        expect(theirs.code).not.toBe(0);
        expect(theirs.stderr).toContain("one or more mandatory policy violations were found");
    }, 400_000);

    it("agrees on a passing verdict too: everything advisory, the reports advisory, exit 0 in both", async () => {
        const relaxed = path.join(ws.dir, "relaxed.json");
        writeFileSync(relaxed, JSON.stringify({ all: "advisory", aiguard: { exemptions: [{ name: "datasets", justification: JUSTIFICATION }] } }));
        const relaxedExpanded = path.join(ws.dir, "relaxed-expanded.json");
        expect((await aiguard(["config", "expand", relaxed, "-o", relaxedExpanded])).code).toBe(0);
        const [ours, theirs] = await Promise.all([aiguardCheck(demoState, relaxed), pulumiAnalyze(demoState, relaxedExpanded)]);
        expect(pulumiFindings(theirs.json)).toEqual(aiguardFindings(ours));
        expect(pulumiExemptions(theirs.json)).toEqual(aiguardExemptions(ours));
        expect(ours.findings.every((f) => f.level === "advisory")).toBe(true);
        expect(ours.summary.exitCode).toBe(0);
        expect(theirs.code, theirs.stderr).toBe(0);
    }, 400_000);

    it("is why expansion exists: Pulumi itself refuses the pack-wide block", async () => {
        const res = await pulumiAnalyze(demoState, settingsFile);
        expect(res.code).not.toBe(0);
        expect(res.stderr).toMatch(/aiguard/);
        expect(res.json.violations).toEqual([]);
    }, 200_000);

    it("refuses settings Pulumi would refuse, before any preview: a setting no policy has, a misspelt policy", async () => {
        const bad = path.join(ws.dir, "bad.json");
        writeFileSync(bad, JSON.stringify({ aiguard: { allowedRegistry: ["ghcr.io/acme"] } }));
        const run = await aiguard(["config", "expand", bad]);
        expect(run.code).toBe(2);
        expect(run.stderr).toContain('"aiguard.allowedRegistry" is not a setting of any policy (did you mean "allowedRegistries"?)');
        expect(run.stdout).toBe("");
    }, 120_000);
});

describe("the insecure demo as a first preview, through the real pulumi policy analyze", () => {
    it("reads the unknowns and dependencies back, and reports what aiguard check --from reports on the same file", async () => {
        const [ours, theirs] = await Promise.all([aiguardCheck(previewState), pulumiAnalyze(previewState)]);
        expect(pulumiFindings(theirs.json)).toEqual(aiguardFindings(ours));
        console.log(`first preview through pulumi policy analyze: ${theirs.json.violations.filter((v) => v.enforcementLevel === "mandatory").length} mandatory, ${pulumiFindings(theirs.json).length} findings; aiguard check --from: ${ours.findings.length}`);
        // What the pack could not decide at preview is said, through the real CLI too.
        const undecided = theirs.json.violations.filter((v) => v.policyName === "aiguard-undecided-at-preview");
        expect(undecided.every((v) => v.enforcementLevel === "advisory")).toBe(true);
        expect(theirs.code).not.toBe(0);
    }, 400_000);

    it("keeps every finding of the update except those it reports as decided at update", async () => {
        const [preview, update] = await Promise.all([pulumiAnalyze(previewState), pulumiAnalyze(demoState)]);
        const key = (v: { policyName: string; resourceUrn?: string }) => `${v.policyName}|${v.resourceUrn ?? ""}`;
        const seen = new Set(preview.json.violations.map(key));
        const undecided = preview.json.violations.filter((v) => v.policyName === "aiguard-undecided-at-preview").map((v) => `${v.resourceUrn ?? ""} ${v.message}`);
        const missing = update.json.violations.filter((v) => !PACK_REPORTS.has(v.policyName) && !seen.has(key(v)));
        for (const v of missing) expect(undecided.some((u) => u.startsWith(v.resourceUrn ?? "") && u.includes(v.policyName)), key(v)).toBe(true);
        expect(missing.length).toBeLessThanOrEqual(1);
        const mandatory = (j: AnalyzeJson) => j.violations.filter((v) => v.enforcementLevel === "mandatory").length;
        console.log(`pulumi policy analyze, insecure demo: first preview ${mandatory(preview.json)} mandatory, update ${mandatory(update.json)} mandatory; ${missing.length} decided at update: ${missing.map(key).join(", ")}; ${undecided.length} undecided diagnostics`);
        expect(mandatory(preview.json)).toBeGreaterThanOrEqual(mandatory(update.json) - missing.length);
    }, 400_000);
});
