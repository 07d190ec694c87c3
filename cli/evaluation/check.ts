/**
 * `aiguard check`, minus presentation: gathers the resources (an offline program run, or a
 * `--from` document), starts the compiled policy pack exactly as the Pulumi CLI starts it, sends
 * every resource over the analyzer protocol (Analyze with inputs, then AnalyzeStack with outputs)
 * and interprets the diagnostics.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildPack, PACK_DIR, RunningPack, type AnalyzerInfo, type EnforcementLevel } from "../../offline/analyzer-client";
import { evaluate } from "../../offline/evaluate";
import type { RecordedResource } from "../../offline/recorded";
import { UsageError } from "../errors";
import type { Progress } from "../io";
import { declarationLocator, findProjectDir, projectFile, relativeTo, repositoryRoot, repositoryState, type Declared } from "./declarations";
import { readPlannedStack } from "./from-file";
import { normalisePolicyConfig, readPolicyConfigFile } from "./policy-config";
import { readAnswersFile } from "./answers-file";
import { resolveProgram, runProgram } from "./program";
import { interpret, isReportPolicy, type CheckResult, type CheckTarget, type Location, type RunMode } from "./result";
import { applySelection, describeSelection, resolveSelection, type SelectionFlags } from "./selection";
import { findUnseen, unansweredNotes, type Unseen } from "./unseen";
import { describeError } from "../../common/errors";

export interface CheckOptions {
    /** Program directory (default `.`); exclusive with `from`. */
    readonly programDir?: string;
    /** `pulumi preview --json` or `pulumi stack export` file, or `-` for stdin. */
    readonly from?: string;
    readonly stack?: string;
    /** Stack config overrides `key=value`. */
    readonly set?: readonly string[];
    /** Policy config file. */
    readonly config?: string;
    /** How the program runs: as a first preview (default) or with every output known. */
    readonly mode?: RunMode;
    /** Answers file for lookups (program runs). */
    readonly answers?: string;
    /** `--rule` / `--skip-rule` patterns. */
    readonly selection?: SelectionFlags;
    /** Each line the program prints (it never goes to stdout). */
    readonly onProgramOutput?: (line: string) => void;
    readonly progress: Progress;
    /** Called with every registration of an offline program run (e.g. to summarise what it provisions). */
    readonly onProgramRun?: (resources: readonly RecordedResource[]) => void;
}

interface Gathered {
    readonly target: CheckTarget;
    readonly resources: readonly RecordedResource[];
    readonly locate: (urn: string) => Location | undefined;
    readonly notes: readonly string[];
    readonly mode: RunMode;
    readonly unseen: readonly Unseen[];
    readonly stackOutputs?: readonly string[];
}

const rel = (p: string) => path.relative(process.cwd(), p).split(path.sep).join("/") || ".";

async function gather(options: CheckOptions): Promise<Gathered> {
    if (options.from !== undefined) {
        if (options.programDir !== undefined) throw new UsageError("give either a program directory or --from <file>, not both");
        if (options.stack !== undefined || (options.set ?? []).length > 0) throw new UsageError("--stack and --set apply to program runs, not to --from documents (they already hold one stack's resources)");
        if (options.mode !== undefined || options.answers !== undefined) {
            throw new UsageError("--mode and --answers apply to program runs, not to --from documents", "drop them: a preview document is judged as planned, a stack export as deployed");
        }
        options.progress.phase(`reading ${options.from}`);
        const planned = readPlannedStack(options.from);
        const starts = [...(options.from !== "-" ? [path.dirname(path.resolve(options.from))] : []), process.cwd()];
        const root = repositoryRoot(starts[0]!) ?? process.cwd();
        const projectDir = findProjectDir(planned.project, starts, repositoryRoot(starts[0]!));
        const notes = [...planned.notes];
        if (projectDir === undefined && planned.sources.size > 0) {
            notes.push(
                `no Pulumi.yaml naming project "${planned.project}" was found beside ${options.from} or in the working directory (or their parents): source positions were taken as relative to the working directory; run aiguard from the Pulumi project directory to place findings exactly`,
            );
        }
        const declared = new Map<string, Declared>();
        for (const urn of new Set([...planned.sources.keys(), ...planned.parents.keys()])) {
            const pos = planned.sources.get(urn);
            const parent = planned.parents.get(urn);
            declared.set(urn, { ...(parent ? { parent } : {}), ...(pos ? { source: { file: path.resolve(projectDir ?? process.cwd(), pos.file), line: pos.line, ...(pos.column ? { column: pos.column } : {}) } } : {}) });
        }
        const repository = repositoryState(root);
        return {
            target: {
                kind: planned.kind,
                path: options.from,
                project: planned.project,
                stack: planned.stack,
                root,
                ...(repository ? { repository } : {}),
                ...(planned.sha256 ? { sha256: planned.sha256 } : {}),
            },
            resources: planned.resources,
            locate: declarationLocator(declared, root, projectDir !== undefined ? projectFile(projectDir) : undefined),
            notes,
            mode: planned.kind === "preview" ? "preview" : "update",
            unseen: [],
        };
    }
    const mode = options.mode ?? "preview";
    const answers = options.answers !== undefined ? readAnswersFile(options.answers) : [];
    const target = resolveProgram(options.programDir ?? ".", { stack: options.stack, set: options.set });
    options.progress.phase(`running ${rel(target.mainFile)} offline as a${mode === "preview" ? " first preview" : "n update"} (stack ${target.stack})`);
    const run = await runProgram(target, mode, answers, options.onProgramOutput);
    options.onProgramRun?.(run.resources);
    const root = repositoryRoot(target.dir) ?? process.cwd();
    const repository = repositoryState(root);
    const declared = new Map<string, Declared>(run.resources.map((r) => [r.urn, { ...(r.parent ? { parent: r.parent } : {}), ...(r.source ? { source: r.source } : {}) }]));
    return {
        target: {
            kind: "program",
            path: options.programDir ?? ".",
            project: target.project,
            stack: target.stack,
            mainFile: relativeTo(root, target.mainFile) ?? rel(target.mainFile),
            root,
            ...(repository ? { repository } : {}),
        },
        resources: run.resources,
        locate: declarationLocator(declared, root, projectFile(target.dir)),
        notes: unansweredNotes(run),
        mode,
        unseen: findUnseen(run),
        ...(run.stackOutputs ? { stackOutputs: Object.keys(run.stackOutputs) } : {}),
    };
}

/** Newest modification time of the pack's TypeScript sources (not its build output). */
function newestSource(dir: string): number {
    let newest = 0;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (entry.name === "bin" || entry.name === "node_modules") continue;
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
        else if (entry.name.endsWith(".ts")) newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
    return newest;
}

/**
 * Compiles the pack when `policies/bin` is missing or older than its sources. Concurrent aiguard
 * runs (CI matrix jobs, parallel tests) take turns through a lock file, so one compiles and the
 * others find the build fresh instead of overwriting it under a running pack.
 */
export async function ensurePackBuilt(progress: Progress, packDir: string = PACK_DIR): Promise<void> {
    const entry = path.join(packDir, "bin", "policies", "index.js");
    // An installed aiguard ships the pack compiled and no sources: nothing to rebuild (and no
    // TypeScript to rebuild it with), but a missing build is a broken install, not a pass.
    if (!fs.existsSync(path.join(packDir, "index.ts"))) {
        if (fs.existsSync(entry)) return;
        throw new UsageError(
            `the compiled policy pack is missing: ${entry} does not exist and ${packDir} has no sources to build it from`,
            "reinstall aiguard from git or a tarball made by `npm pack` (its prepare script compiles the pack into policies/bin)",
        );
    }
    // The pack compiles the shared vocabulary (`common/`) into its own bin/ too.
    const newest = () => Math.max(newestSource(packDir), newestSource(path.join(packDir, "..", "common")));
    const fresh = () => fs.existsSync(entry) && fs.statSync(entry).mtimeMs >= newest();
    if (fresh()) return;
    progress.phase("compiling the policy pack (its sources changed)");
    const lock = path.join(os.tmpdir(), `aiguard-pack-build-${createHash("sha256").update(packDir).digest("hex").slice(0, 12)}.lock`);
    const deadline = Date.now() + 180_000;
    for (;;) {
        try {
            fs.closeSync(fs.openSync(lock, "wx"));
            break;
        } catch {
            // A lock left by a crashed run goes stale after the longest build we allow.
            if (Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 180_000) fs.rmSync(lock, { force: true });
            if (Date.now() > deadline) throw new UsageError(`another aiguard run has been compiling the policy pack for 3 minutes (lock ${lock})`, `remove ${lock} if no aiguard run is active`);
            await new Promise((r) => setTimeout(r, 250));
        }
    }
    try {
        if (fresh()) return;
        buildPack();
    } catch (err) {
        throw new UsageError(`the policy pack does not compile: ${describeError(err)}`, "fix the TypeScript errors above in policies/, then run again");
    } finally {
        fs.rmSync(lock, { force: true });
    }
}

/** Runs the check end to end. Throws {@link UsageError} for anything the user can fix. */
export async function runCheck(options: CheckOptions): Promise<CheckResult> {
    const started = Date.now();
    const rawConfig = options.config !== undefined ? readPolicyConfigFile(options.config) : {};
    // The pack starts first, so a config or rule-selection mistake is reported before the program runs.
    await ensurePackBuilt(options.progress);
    options.progress.phase("starting the policy pack");
    const pack = await RunningPack.start();
    try {
        const info: AnalyzerInfo = await pack.client.getAnalyzerInfo();
        const selection = resolveSelection(options.selection ?? {}, info.policies.map((p) => p.name).filter((n) => !isReportPolicy(n)));
        const config = applySelection(normalisePolicyConfig(rawConfig, info), selection);
        const gathered = await gather(options);
        options.progress.phase(`analyzing ${gathered.resources.filter((r) => r.custom).length} resources over the analyzer protocol`);
        const evaluation = await evaluate(pack, gathered.resources, config);
        const { findings, exemptions, notes: packNotes } = interpret([...evaluation.diagnostics, ...evaluation.reports], info.policies, gathered.locate);
        const levels: Record<string, EnforcementLevel> = {};
        for (const p of info.policies) levels[p.name] = config[p.name]?.enforcementLevel ?? p.enforcementLevel;
        return {
            target: gathered.target,
            mode: gathered.mode,
            unseen: gathered.unseen,
            ...(gathered.stackOutputs ? { stackOutputs: gathered.stackOutputs } : {}),
            pack: { name: info.name, version: info.version },
            policies: info.policies,
            levels,
            resourceTypes: gathered.resources.filter((r) => r.custom).map((r) => r.type),
            findings,
            exemptions,
            notes: [...(selection ? [describeSelection(selection)] : []), ...gathered.notes, ...packNotes],
            durationMs: Date.now() - started,
            ...(selection ? { selection } : {}),
        };
    } finally {
        await pack.stop();
    }
}
