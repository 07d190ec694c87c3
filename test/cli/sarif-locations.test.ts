/**
 * SARIF that GitHub code scanning can place: every result of a program run (the insecure demo, a
 * corpus program, and a consumer-style repository whose component library lives in node_modules)
 * or of a `--from` preview points at a file of the repository, relative to its root, at the line
 * that declares the resource; exempted findings are suppressed results at the resource's own line.
 * Checked by reading the files, not by comparing with expected strings.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as Sarif from "sarif";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sarifErrors } from "./sarif-schema";
import { aiguard, FIXTURES, REPO_ROOT, type CliRun } from "./support";

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "aiguard-sarif-loc-")));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const git = (cwd: string, ...args: string[]) => execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8" });

/**
 * A consumer's repository: the Pulumi project in `infra/`, a component library installed in
 * `infra/node_modules/acme-lib` (its children's own positions are inside node_modules), and the
 * Pulumi SDKs linked from aiguard's own node_modules.
 */
function consumerRepository(): string {
    const repo = path.join(tmp, "consumer");
    const infra = path.join(repo, "infra");
    fs.mkdirSync(path.join(infra, "node_modules", "@pulumi"), { recursive: true });
    for (const pkg of ["pulumi", "aws"]) fs.symlinkSync(path.join(REPO_ROOT, "node_modules", "@pulumi", pkg), path.join(infra, "node_modules", "@pulumi", pkg));
    fs.mkdirSync(path.join(infra, "node_modules", "acme-lib"));
    fs.writeFileSync(path.join(infra, "node_modules", "acme-lib", "package.json"), JSON.stringify({ name: "acme-lib", version: "1.0.0", main: "index.js" }));
    fs.writeFileSync(
        path.join(infra, "node_modules", "acme-lib", "index.js"),
        [
            'const pulumi = require("@pulumi/pulumi");',
            'const aws = require("@pulumi/aws");',
            "class AuditedLogs extends pulumi.ComponentResource {",
            "    constructor(name, args, opts) {",
            '        super("acme:logs:AuditedLogs", name, {}, opts);',
            '        this.group = new aws.cloudwatch.LogGroup(`${name}-group`, { retentionInDays: 3 }, { parent: this });',
            "        this.registerOutputs({});",
            "    }",
            "}",
            "module.exports = { AuditedLogs };",
            "",
        ].join("\n"),
    );
    fs.writeFileSync(path.join(infra, "Pulumi.yaml"), "name: consumer-infra\nruntime: nodejs\n");
    fs.writeFileSync(path.join(infra, "package.json"), JSON.stringify({ name: "consumer-infra", main: "index.js" }));
    fs.writeFileSync(
        path.join(infra, "index.js"),
        [
            'const aws = require("@pulumi/aws");',
            'const { AuditedLogs } = require("acme-lib");',
            "",
            'const key = new aws.kms.Key("shared-key", { description: "no rotation" });',
            "",
            'const logs = new AuditedLogs("training", {});',
            "",
            "const other = new aws.kms.Key(",
            '    "exempted-key",',
            "    { enableKeyRotation: false },",
            ");",
            "",
            "module.exports = { key: key.arn, logs: logs.urn, other: other.arn };",
            "",
        ].join("\n"),
    );
    fs.writeFileSync(path.join(repo, ".gitignore"), "node_modules\n*.sarif\n*.json\n");
    git(repo, "init", "-q");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "infra");
    return repo;
}

/** The text of the line a result points at, after checking the file is in the repository. */
function lineAt(root: string, loc: Sarif.PhysicalLocation | undefined): { file: string; text: string; column?: number } {
    expect(loc, "every result has a physical location").toBeDefined();
    const uri = loc!.artifactLocation!.uri!;
    expect(loc!.artifactLocation!.uriBaseId).toBe("%SRCROOT%");
    expect(path.isAbsolute(uri) || uri.startsWith("..") || uri.includes("node_modules"), `${uri} is a path inside the repository`).toBe(false);
    const file = path.join(root, decodeURI(uri));
    expect(fs.existsSync(file), `${uri} exists in the repository`).toBe(true);
    const lines = fs.readFileSync(file, "utf8").split("\n");
    const line = loc!.region?.startLine;
    expect(line, `${uri} has a line`).toBeDefined();
    expect(line!).toBeGreaterThanOrEqual(1);
    expect(line!).toBeLessThanOrEqual(lines.length);
    return { file: decodeURI(uri), text: lines[line! - 1]!, ...(loc!.region?.startColumn ? { column: loc!.region.startColumn } : {}) };
}

/** The declaring line names the resource, or starts its constructor call at the column given. */
function declares(text: string, column: number | undefined, name: string): boolean {
    return text.includes(`"${name}"`) || text.includes(`'${name}'`) || (column !== undefined && /^new\s/.test(text.slice(column - 1)));
}

let demo: CliRun;
let corpus: CliRun;
let consumer: CliRun;
let consumerRepo: string;
let preview: CliRun;
const demoSarif = path.join(tmp, "demo.sarif");

beforeAll(async () => {
    consumerRepo = consumerRepository();
    const config = path.join(consumerRepo, "policy-config.json");
    fs.writeFileSync(config, JSON.stringify({ "aws-kms-key-enable-rotation": { exemptions: [{ name: "exempted-key", justification: "Key of a throwaway sandbox, rotated by hand (RISK-7)" }] } }));
    // Run from elsewhere: paths must be relative to the repository root, not to the working directory.
    [demo, corpus, consumer] = await Promise.all([
        aiguard(["check", path.join(REPO_ROOT, "stacks", "insecure-demo"), "--format", "sarif", "-o", demoSarif], { cwd: tmp }),
        aiguard(["check", "test/corpus/programs/component-library", "--format", "sarif", "--sarif-category", "corpus/component-library"]),
        aiguard(["check", "infra", "--format", "sarif", "--config", config], { cwd: consumerRepo }),
    ]);
    // A preview document of the consumer's project, saved beside it, checked from the repository root.
    const doc = JSON.parse(fs.readFileSync(path.join(FIXTURES, "preview.json"), "utf8"));
    const file = path.join(consumerRepo, "infra", "preview.json");
    fs.writeFileSync(path.join(consumerRepo, "infra", "Pulumi.yaml"), "name: ml-platform\nruntime: nodejs\n");
    fs.writeFileSync(file, JSON.stringify(doc));
    preview = await aiguard(["check", "--from", "infra/preview.json", "--format", "sarif"], { cwd: consumerRepo });
}, 400_000);

const runOf = (r: CliRun | string): Sarif.Run => {
    const log: Sarif.Log = JSON.parse(typeof r === "string" ? fs.readFileSync(r, "utf8") : r.stdout);
    expect(sarifErrors(log)).toEqual([]);
    return log.runs[0]!;
};

describe("SARIF locations of a program run", () => {
    it("places every result of the insecure demo on the line that declares its resource", () => {
        expect(demo.code).toBe(1);
        const run = runOf(demoSarif);
        expect(run.results!.length).toBeGreaterThan(50);
        expect(run.originalUriBaseIds!["%SRCROOT%"]!.uri).toBe(`file://${REPO_ROOT}/`);
        for (const r of run.results!) {
            const name = r.locations![0]!.logicalLocations![0]!.name!;
            const at = lineAt(REPO_ROOT, r.locations![0]!.physicalLocation);
            if (r.properties!.urn === "") {
                expect(at.file).toBe("stacks/insecure-demo/Pulumi.yaml");
                continue;
            }
            expect(at.file, `${r.ruleId} on ${name}`).toMatch(/^stacks\/insecure-demo\/[a-z-]+\.ts$/);
            expect(declares(at.text, at.column, name), `${r.ruleId} on ${name}: ${at.file}:${at.text}`).toBe(true);
        }
        // No category unless asked: GitHub's upload-sarif then applies its own `category:` input.
        expect(run.automationDetails).toBeUndefined();
    });

    it("places the results of a corpus program (a component library in the program's own lib/) and sets the category asked for", () => {
        const run = runOf(corpus);
        expect(run.results!.length).toBeGreaterThan(0);
        for (const r of run.results!) {
            const at = lineAt(REPO_ROOT, r.locations![0]!.physicalLocation);
            if (r.properties!.urn === "") continue;
            expect(at.file).toMatch(/^test\/corpus\/programs\/component-library\/(index\.ts|lib\/index\.js)$/);
            expect(declares(at.text, at.column, r.locations![0]!.logicalLocations![0]!.name!), `${r.ruleId}: ${at.file}:${at.text}`).toBe(true);
        }
        expect(run.automationDetails).toEqual({ id: "corpus/component-library" });
    });

    it("places children of a component installed in node_modules at the user's line that creates the component", () => {
        expect(consumer.code).toBe(1);
        const run = runOf(consumer);
        const byName = new Map(run.results!.map((r) => [`${r.ruleId} ${r.locations![0]!.logicalLocations![0]!.name}`, r]));
        const child = byName.get("aws-cloudwatch-loggroup-configure-retention training-group");
        expect(child, [...byName.keys()].join("\n")).toBeDefined();
        const at = lineAt(consumerRepo, child!.locations![0]!.physicalLocation);
        expect(at).toEqual({ file: "infra/index.js", text: 'const logs = new AuditedLogs("training", {});', column: 14 });
        const key = lineAt(consumerRepo, byName.get("aws-kms-key-enable-rotation shared-key")!.locations![0]!.physicalLocation);
        expect(key.file).toBe("infra/index.js");
        expect(key.text).toContain('new aws.kms.Key("shared-key"');
        for (const r of run.results!) lineAt(consumerRepo, r.locations![0]!.physicalLocation);
        expect(run.properties).toMatchObject({ commit: git(consumerRepo, "rev-parse", "HEAD").trim(), uncommittedChanges: false }); // the config is ignored by .gitignore
    });

    it("reports an exempted finding as a suppressed result at the exempted resource's own line", () => {
        const run = runOf(consumer);
        const suppressed = run.results!.filter((r) => r.suppressions?.length);
        expect(suppressed.map((r) => [r.ruleId, r.locations![0]!.logicalLocations![0]!.name])).toEqual([["aws-kms-key-enable-rotation", "exempted-key"]]);
        expect(suppressed[0]!.suppressions).toEqual([{ kind: "external", status: "accepted", justification: "Key of a throwaway sandbox, rotated by hand (RISK-7)" }]);
        const at = lineAt(consumerRepo, suppressed[0]!.locations![0]!.physicalLocation);
        expect(at.file).toBe("infra/index.js");
        expect(at.text).toBe("const other = new aws.kms.Key(");
    });
});

describe("SARIF locations of a --from preview", () => {
    it("makes the preview's project-relative positions relative to the repository root", () => {
        const run = runOf(preview);
        const r = run.results!.find((x) => x.ruleId === "aws-kms-key-enable-rotation")!;
        expect(r.locations![0]!.physicalLocation).toEqual({ artifactLocation: { uri: "infra/index.ts", uriBaseId: "%SRCROOT%" }, region: { startLine: 14, startColumn: 17 } });
        expect(run.originalUriBaseIds!["%SRCROOT%"]!.uri).toBe(`file://${consumerRepo}/`);
        expect(run.properties!.inputSha256).toMatch(/^[0-9a-f]{64}$/);
    });

    it("rejects --sarif-category with another format", async () => {
        const r = await aiguard(["check", "--from", "test/cli/fixtures/preview.json", "--sarif-category", "x"]);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain("aiguard: error: --sarif-category applies to --format sarif");
    });
});
