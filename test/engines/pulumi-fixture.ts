/**
 * The real Pulumi CLI (built by `scripts/build-engines.sh`) in a sealed temp workspace: its own
 * PULUMI_HOME, a file:// backend, no update checks, no plugin downloads, and Node 24 plus the
 * tools dir first on PATH (the CLI finds `pulumi-analyzer-policy-nodejs` / language hosts there).
 *
 * How the CLI starts a Node policy pack: `pulumi-language-nodejs` (when present) or the
 * `pulumi-analyzer-policy-nodejs` starter runs, with cwd = the pack dir,
 * `node <require.resolve('@pulumi/pulumi/cmd/run-policy-pack')> <engine> .`; the resolution is
 * Node's own, so `@pulumi/pulumi` and `@pulumi/policy` may sit in the pack's node_modules or in any
 * parent directory's node_modules (a pack inside this repository uses the repository's).
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { NODE_BIN_DIR, REPO_ROOT, requireTool, toolsDir } from "../../fixtures/engines/tools";

/** Outcome of one CLI run (never throws for a non-zero exit: callers assert on `code`). */
export interface PulumiResult {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** A sealed place to run the CLI. */
export interface PulumiWorkspace {
    /** The `pulumi` binary. */
    readonly bin: string;
    /** Temp root holding `home/` (PULUMI_HOME), `backend/` (file:// backend) and `work/` (cwd). */
    readonly dir: string;
    /** The environment every run gets. */
    readonly env: NodeJS.ProcessEnv;
    /** Runs `pulumi ...args` in `work/` (or `cwd`). `timeoutMs` default 120000. */
    run(args: readonly string[], opts?: { cwd?: string; timeoutMs?: number }): Promise<PulumiResult>;
    /** Removes the temp dir. */
    cleanup(): void;
}

/** Creates a workspace; throws naming the build command when `pulumi` is not built. */
export function createPulumiWorkspace(): PulumiWorkspace {
    const bin = requireTool("pulumi");
    requireTool("pulumi-analyzer-policy-nodejs");
    const dir = mkdtempSync(path.join(os.tmpdir(), "aiguard-pulumi-"));
    for (const sub of ["home", "backend", "work"]) mkdirSync(path.join(dir, sub));
    const env: NodeJS.ProcessEnv = {
        HOME: process.env.HOME,
        TMPDIR: process.env.TMPDIR,
        LANG: "C.UTF-8",
        PATH: [NODE_BIN_DIR, toolsDir(), "/usr/local/bin", "/usr/bin", "/bin"].join(path.delimiter),
        PULUMI_HOME: path.join(dir, "home"),
        PULUMI_BACKEND_URL: `file://${path.join(dir, "backend")}`,
        PULUMI_CONFIG_PASSPHRASE: "test",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_SKIP_CONFIRMATIONS: "true",
        PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
        NO_COLOR: "1",
    };
    return {
        bin,
        dir,
        env,
        run(args, opts = {}) {
            return new Promise((resolve, reject) => {
                execFile(
                    bin,
                    [...args],
                    { cwd: opts.cwd ?? path.join(dir, "work"), env, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 32 * 1024 * 1024 },
                    (err, stdout, stderr) => {
                        const e = err as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
                        if (e && typeof e.code === "string") reject(new Error(`could not run ${bin}: ${e.code}`, { cause: err }));
                        else if (e?.killed) reject(new Error(`pulumi ${args.join(" ")} timed out:\n${stderr}`, { cause: err }));
                        else resolve({ code: typeof e?.code === "number" ? e.code : 0, stdout, stderr });
                    },
                );
            });
        },
        cleanup() {
            rmSync(dir, { recursive: true, force: true });
        },
    };
}

/** What a Node.js policy pack directory holds. */
export interface PolicyPackFiles {
    /** package.json `name`. */
    readonly name: string;
    /** package.json `version` (the SDK refuses an empty one). Default `0.0.1`. */
    readonly version?: string;
    /** Contents of `index.js` (CommonJS; `require("@pulumi/policy")` works). */
    readonly indexJs: string;
    /**
     * How the pack finds `@pulumi/pulumi` and `@pulumi/policy`:
     * `symlink` (default) links `<dir>/node_modules` to this repository's node_modules;
     * `none` writes no node_modules (the pack must sit below a directory that has one).
     */
    readonly nodeModules?: "symlink" | "none";
}

/** Writes PulumiPolicy.yaml, package.json and index.js into `dir` (created if missing). */
export function writePolicyPack(dir: string, files: PolicyPackFiles): string {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "PulumiPolicy.yaml"), `runtime: nodejs\ndescription: ${files.name}\n`);
    writeFileSync(
        path.join(dir, "package.json"),
        JSON.stringify({ name: files.name, version: files.version ?? "0.0.1", main: "index.js" }, null, 2),
    );
    writeFileSync(path.join(dir, "index.js"), files.indexJs);
    if ((files.nodeModules ?? "symlink") === "symlink") {
        symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    }
    return dir;
}

/** One resource of a `pulumi stack export` file, as `pulumi policy analyze --file` reads it. */
export interface StateResource {
    readonly urn: string;
    readonly type: string;
    readonly custom?: boolean;
    readonly inputs?: Record<string, unknown>;
    readonly outputs?: Record<string, unknown>;
    readonly parent?: string;
}

/** `urn:pulumi:<stack>::<project>::<type>::<name>` (no parent types). */
export function urnOf(type: string, name: string, stack = "dev", project = "aiguard"): string {
    return `urn:pulumi:${stack}::${project}::${type}::${name}`;
}

/** Writes a minimal state file (`{"version":3,"deployment":{"resources":[...]}}`). */
export function writeStateFile(file: string, resources: readonly StateResource[]): string {
    const deployment = {
        version: 3,
        deployment: { resources: resources.map((r) => ({ custom: true, inputs: {}, outputs: {}, ...r })) },
    };
    writeFileSync(file, JSON.stringify(deployment, null, 2));
    return file;
}

/** A policy violation from `pulumi policy analyze --json`. */
export interface PolicyEvent {
    readonly resourceUrn?: string;
    readonly message: string;
    readonly policyName: string;
    readonly policyPackName: string;
    readonly policyPackVersion: string;
    readonly enforcementLevel: "advisory" | "mandatory" | "remediate" | "disabled";
    readonly severity?: string;
}

/** Parsed `--json` output: one engine event per line. */
export interface AnalyzeJson {
    readonly violations: PolicyEvent[];
    readonly summary: { readonly result?: string; readonly policyPacks?: Record<string, string> } | undefined;
    readonly events: Array<Record<string, unknown>>;
}

/** The CLI's summaryEvent spells the pack map `PolicyPacks` (apitype's JSON tag); both spellings are accepted. */
function summaryOf(raw: Record<string, unknown> | undefined): AnalyzeJson["summary"] {
    if (!raw) return undefined;
    const packs = (raw.policyPacks ?? raw.PolicyPacks) as Record<string, string> | undefined;
    return { result: raw.result as string | undefined, policyPacks: packs };
}

/** Parses the newline-delimited engine events `pulumi policy analyze --json` prints. */
export function parseAnalyzeJson(stdout: string): AnalyzeJson {
    const events = stdout
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l, i) => {
            try {
                return JSON.parse(l) as Record<string, unknown>;
            } catch (err) {
                throw new Error(`line ${i + 1} of pulumi --json output is not JSON: ${l.slice(0, 200)}`, { cause: err });
            }
        });
    return {
        events,
        violations: events.filter((e) => e.policyEvent).map((e) => e.policyEvent as PolicyEvent),
        summary: summaryOf(events.find((e) => e.summaryEvent)?.summaryEvent as Record<string, unknown> | undefined),
    };
}
