/**
 * aiguard installed the way a platform team installs it: `npm pack` of this repository (run in a
 * copy of the working tree, so the build its `prepare` script does is the one a fresh clone does),
 * the tarball installed with npm into a new project under the OS temp dir (the registry, or npm's
 * cache, supplies the dependencies), no TypeScript in that project, and the repository's Node 24
 * first on PATH as a user's own Node. A JavaScript Pulumi program there uses aiguard's AWS and
 * Kubernetes components and a hand-written security group; then:
 *
 *  - the program runs under Pulumi's own Node entry point (`node @pulumi/pulumi/cmd/run`, as the
 *    language host starts it) against a mock resource monitor served over gRPC;
 *  - the installed `aiguard check` judges it (compiled CLI, compiled pack);
 *  - the real `pulumi policy analyze --policy-pack node_modules/aiguard/policies` judges the state
 *    of that run.
 *
 * It also checks what the package contains and that installing it leaves the consumer's Node alone.
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../fixtures/engines/tools";
import { createPulumiWorkspace, parseAnalyzeJson, type PulumiWorkspace } from "../engines/pulumi-fixture";
import { writeStackExport } from "../engines/state-export";
import { startGrpcMonitor } from "./grpc-monitor";

/** The Node a user of aiguard has installed: here the repository's Node 24, alone in its directory. */
const USER_NODE_DIR = path.join(REPO_ROOT, "node_modules", "node", "bin");
const SETUP_TIMEOUT_MS = 8 * 60_000;

interface Run {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
    readonly ms: number;
}

/** Runs a command with a bounded time; never throws for a non-zero exit. */
function run(cmd: string, args: readonly string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<Run> {
    const t0 = Date.now();
    return new Promise((resolve, reject) => {
        const child = spawn(cmd, [...args], { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
        child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(new Error(`${cmd} ${args.join(" ")} took over ${opts.timeoutMs} ms:\n${stderr.slice(-3000)}`));
        }, opts.timeoutMs);
        child.on("error", reject);
        child.on("close", (code) => {
            clearTimeout(timer);
            resolve({ code: code ?? -1, stdout, stderr, ms: Date.now() - t0 });
        });
    });
}

function expectOk(r: Run, what: string): void {
    if (r.code !== 0) throw new Error(`${what} exited ${r.code}:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
}

/** The files of the working tree git would commit (tracked or new, not ignored), as a fresh clone has them. */
function workingTreeFiles(): string[] {
    const out = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: REPO_ROOT, encoding: "utf8" });
    return out.split("\0").filter((f) => f !== "" && f !== "node_modules" && fs.existsSync(path.join(REPO_ROOT, f)));
}

/** A clean environment: the user's Node first on PATH, npm's cache, nothing inherited from npm or vitest. */
function userEnv(): NodeJS.ProcessEnv {
    return {
        HOME: process.env.HOME,
        TMPDIR: process.env.TMPDIR,
        LANG: "C.UTF-8",
        PATH: [USER_NODE_DIR, "/usr/local/bin", "/usr/bin", "/bin"].join(path.delimiter),
        CI: "true",
        NO_COLOR: "1",
    };
}

/** The README's component example, in JavaScript, plus a Kubernetes component and a hand-written resource. */
const PROGRAM = `"use strict";
const aws = require("@pulumi/aws");
const { AiNetworks, ModelStore, OfflineBackups, SageMakerRoles, StoreKinds } = require("aiguard/components/aws");
const { ModelNamespace } = require("aiguard/components/k8s");

const deployer = "arn:aws:iam::123456789012:role/deployer";
const tags = { owner: "ml-platform@example.com", dataClassification: "confidential" };
const net = new AiNetworks("ai", { assetTags: tags, logKeyAdministratorArns: [deployer] });
const roles = new SageMakerRoles("ml", { assetTags: tags, trainingVpcId: net.trainingVpcId, inferenceVpcId: net.inferenceVpcId });
const backups = new OfflineBackups("backup", { assetTags: tags, keyAdministratorArns: [deployer], airGappedVault: {} });
const datasets = new ModelStore("datasets", { kind: StoreKinds.datasetStore, assetTags: tags,
    keyAdministratorArns: [deployer], keyUserArns: [roles.trainingRoleArn, backups.roleArn] });
const models = new ModelStore("models", { kind: StoreKinds.modelStore, releasedModels: true, assetTags: tags,
    keyAdministratorArns: [deployer], keyUserArns: [roles.trainingRoleArn, roles.inferenceRoleArn, backups.roleArn] });
roles.grantDataAccess({
    trainingData: { bucketName: datasets.bucketName, prefix: "training/" },
    modelArtifacts: { bucketName: models.bucketName, prefix: "models/" },
    dataKeyArns: [datasets.keyArn, models.keyArn],
});
backups.backUpBuckets([datasets.bucketArn, models.bucketArn]);
new ModelNamespace("serving", { namespace: "models" });

// Written by hand, outside the components: SSH open to the world.
const debug = new aws.ec2.SecurityGroup("debug-ssh", {
    vpcId: net.inferenceVpcId,
    ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }],
});

exports.modelBucket = models.bucketName;
exports.debugGroup = debug.id;
`;

const SSH_RULE = "aws-ec2-securitygroup-disallow-public-ingress";
const SSH_URN = "urn:pulumi:dev::consumer::aws:ec2/securityGroup:SecurityGroup::debug-ssh";

describe("aiguard installed from its npm pack tarball into a fresh project", () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "aiguard-install-"));
    const source = path.join(tmp, "source");
    const consumer = path.join(tmp, "consumer");
    const env = userEnv();
    let tarball = "";
    let tarFiles: string[] = [];
    let pulumi: PulumiWorkspace | undefined;
    const timings: Record<string, number> = {};

    beforeAll(async () => {
        // 1. npm pack in a copy of the working tree; its prepare script builds dist/ and policies/bin.
        for (const f of workingTreeFiles()) {
            fs.mkdirSync(path.dirname(path.join(source, f)), { recursive: true });
            fs.copyFileSync(path.join(REPO_ROOT, f), path.join(source, f));
        }
        fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(source, "node_modules"), "dir");
        const packed = await run("npm", ["pack", "--json", "--pack-destination", tmp], { cwd: source, env, timeoutMs: 5 * 60_000 });
        expectOk(packed, "npm pack");
        timings.packMs = packed.ms;
        const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as Array<{ filename: string; files: Array<{ path: string }> }>;
        tarball = path.join(tmp, info[0]!.filename);
        tarFiles = info[0]!.files.map((f) => f.path);

        // 2. A new project installs the tarball (and the Pulumi SDKs its own code uses).
        fs.mkdirSync(consumer);
        const repoPkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
        fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify({
            name: "consumer", version: "1.0.0", private: true, main: "index.js",
            scripts: { "node-version": "node --version" },
        }, null, 2));
        fs.writeFileSync(path.join(consumer, "Pulumi.yaml"), "name: consumer\nruntime: nodejs\ndescription: a platform team's program\n");
        fs.writeFileSync(path.join(consumer, "index.js"), PROGRAM);
        const deps = ["@pulumi/pulumi", "@pulumi/aws"].map((d) => `${d}@${repoPkg.dependencies[d]}`);
        const installed = await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball, ...deps], { cwd: consumer, env, timeoutMs: 5 * 60_000 });
        expectOk(installed, "npm install");
        timings.installMs = installed.ms;
    }, SETUP_TIMEOUT_MS);

    afterAll(() => {
        console.log(`install test: npm pack ${timings.packMs} ms, npm install ${timings.installMs} ms`);
        pulumi?.cleanup();
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("ships compiled JavaScript with declarations, the compiled pack and nothing of the repository's own", () => {
        for (const f of [
            "cli/aiguard.js",
            "dist/cli/main.js",
            "dist/offline/program-host.js",
            "dist/components/aws/index.js",
            "dist/components/aws/index.d.ts",
            "dist/components/k8s/index.js",
            "dist/components/k8s/index.d.ts",
            "dist/admission-webhook/verification/index.js",
            "policies/package.json",
            "policies/PulumiPolicy.yaml",
            "policies/bin/policies/index.js",
            "policies/bin/rules.json",
        ]) expect(tarFiles, f).toContain(f);
        const foreign = tarFiles.filter((f) => /^(test|bench|engines|fixtures|stacks|scripts)\//.test(f) || (f.endsWith(".ts") && !f.endsWith(".d.ts")));
        expect(foreign).toEqual([]);
        const pack = JSON.parse(fs.readFileSync(path.join(consumer, "node_modules", "aiguard", "policies", "package.json"), "utf8")) as { main: string; dependencies: Record<string, string> };
        expect(pack.main).toBe("bin/policies/index.js");
        expect(Object.keys(pack.dependencies)).toEqual(expect.arrayContaining(["@pulumi/policy", "@pulumi/pulumi", "@pulumi/aws", "@pulumi/kubernetes"]));
    });

    it("leaves the consumer's Node alone and brings no TypeScript", async () => {
        const bin = path.join(consumer, "node_modules", ".bin");
        expect(fs.existsSync(path.join(bin, "node"))).toBe(false);
        expect(fs.existsSync(path.join(consumer, "node_modules", "node"))).toBe(false);
        expect(fs.existsSync(path.join(consumer, "node_modules", "typescript"))).toBe(false);
        expect(fs.existsSync(path.join(bin, "aiguard"))).toBe(true);
        const direct = await run("node", ["--version"], { cwd: consumer, env, timeoutMs: 30_000 });
        const script = await run("npm", ["run", "-s", "node-version"], { cwd: consumer, env, timeoutMs: 60_000 });
        expectOk(script, "npm run node-version");
        expect(script.stdout.trim()).toBe(direct.stdout.trim());
        // On a Node older than it needs, the installed CLI says so and how to fix it (the machine's
        // own Node is 20 here; the launcher must not look for a Node of its own).
        const oldNode = "/usr/bin/node";
        const oldVersion = fs.existsSync(oldNode) ? execFileSync(oldNode, ["--version"], { encoding: "utf8" }).trim() : "";
        if (/^v(1\d|2[01])\./.test(oldVersion)) {
            const tooOld = await run(oldNode, [path.join(consumer, "node_modules", "aiguard", "cli", "aiguard.js"), "--help"], { cwd: consumer, env, timeoutMs: 30_000 });
            expect(tooOld.code).toBe(2);
            expect(tooOld.stderr).toMatch(new RegExp(`^aiguard: error: Node ${oldVersion.slice(1)} .* is too old; aiguard needs Node >= 22\\.19\n  fix: `));
        }
        // The package's entry points resolve through its exports map.
        const probe = await run("node", ["-e", [
            "const aws = require('aiguard/components/aws'); const k8s = require('aiguard/components/k8s');",
            "const admission = require('aiguard/admission'); const pack = require('aiguard/policies');",
            "console.log(JSON.stringify({ aws: typeof aws.ModelStore, k8s: typeof k8s.ModelNamespace, admission: typeof admission.parseReference, pack: pack.PACK_DIR }));",
        ].join("\n")], { cwd: consumer, env, timeoutMs: 60_000 });
        expectOk(probe, "require aiguard entry points");
        expect(JSON.parse(probe.stdout)).toEqual({ aws: "function", k8s: "function", admission: "function", pack: path.join(fs.realpathSync(consumer), "node_modules", "aiguard", "policies") });
    });

    it("runs under Pulumi's own Node entry point, is judged by `aiguard check` and by the real `pulumi policy analyze`", async () => {
        // (a) As the language host starts a program: cmd/run with the monitor's address.
        const monitor = await startGrpcMonitor({ programDir: consumer, project: "consumer", stack: "dev", mode: "update", config: { "aws:region": "eu-west-2" } });
        let program: Run;
        try {
            program = await run("node", [
                path.join(consumer, "node_modules", "@pulumi", "pulumi", "cmd", "run"),
                `--monitor=${monitor.address}`, "--project=consumer", "--stack=dev", "--organization=organization",
                `--root-directory=${consumer}`, `--pwd=${consumer}`, ".",
            ], { cwd: consumer, env: { ...env, PULUMI_CONFIG: JSON.stringify({ "aws:region": "eu-west-2" }) }, timeoutMs: 120_000 });
        } finally {
            await monitor.close();
        }
        expectOk(program, "the program under @pulumi/pulumi/cmd/run");
        const types = monitor.recording.resources.map((r) => r.type);
        expect(types).toEqual(expect.arrayContaining([
            "aiguard:aws:AiNetworks", "aiguard:aws:SageMakerRoles", "aiguard:aws:OfflineBackups", "aiguard:aws:ModelStore",
            "aiguard:k8s:ModelNamespace", "aws:kms/key:Key", "aws:s3/bucket:Bucket", "aws:iam/rolePolicy:RolePolicy",
            "aws:backup/selection:Selection", "kubernetes:core/v1:Namespace",
        ]));
        expect(monitor.recording.resources.map((r) => r.urn)).toContain(SSH_URN);
        expect(monitor.recording.stackOutputs).toHaveProperty("modelBucket");

        // (b) The installed CLI on the same program.
        const check = await run(path.join(consumer, "node_modules", ".bin", "aiguard"), ["check", "--format", "json"], { cwd: consumer, env, timeoutMs: 180_000 });
        expect(check.code, check.stderr).toBe(1);
        const result = JSON.parse(check.stdout) as { summary: { judged: number }; findings: Array<{ rule: string; urn: string }> };
        // The same resources, whichever way the program ran: every custom resource judged.
        expect(result.summary.judged).toBe(monitor.recording.resources.filter((r) => r.custom).length);
        expect(result.findings).toContainEqual(expect.objectContaining({ rule: SSH_RULE, urn: SSH_URN }));

        // (c) The real Pulumi CLI with the installed pack on that run's state.
        pulumi = createPulumiWorkspace();
        const state = writeStackExport(path.join(tmp, "state.json"), monitor.recording.resources);
        const analyze = await pulumi.run(["policy", "analyze", "--policy-pack", "node_modules/aiguard/policies", "--file", state, "--json"], { cwd: consumer, timeoutMs: 180_000 });
        expect(analyze.code, analyze.stderr).not.toBe(0);
        const events = parseAnalyzeJson(analyze.stdout);
        expect(events.violations).toContainEqual(expect.objectContaining({ policyName: SSH_RULE, resourceUrn: SSH_URN, enforcementLevel: "mandatory" }));
        expect(Object.keys(events.summary?.policyPacks ?? {}).join(" ")).toContain("aiguard");
    }, 8 * 60_000);
});
