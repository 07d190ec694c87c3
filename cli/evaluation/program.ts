/**
 * Finds a Pulumi program and its stack configuration the way the Pulumi CLI does, then runs it
 * offline (no engine, no cloud credentials) with the recording mocks (offline/recording-mocks.ts).
 *
 *  - `Pulumi.yaml` (or `Pulumi.yml`) in the program directory gives the project `name`, the
 *    `runtime` (must be `nodejs`; its `options.typescript` and `options.tsconfig` are honoured),
 *    `main` (default: the directory itself), `stackConfigDir` (default: the directory) and
 *    project-level `config:` (plain values, or `default:`/`value:` of typed entries). Without one,
 *    the directory is taken as a bare Node.js program whose project name is the directory's name.
 *  - As Pulumi does, a `main` that is a directory becomes the working directory of the run; a
 *    `main` file runs with the project directory as working directory.
 *  - The stack's configuration is `Pulumi.<stack>.yaml` in the stack config directory; values are
 *    handed to the program as Pulumi would (strings; structured values as JSON). `--set key=value`
 *    adds or overrides values, and is the way to supply `secure:` values, which cannot be decrypted
 *    offline. Stack values override project values.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import type { HostReply } from "../../offline/host-protocol";
import { describeUnanswered, type LookupAnswer } from "../../offline/lookups";
import type { RunMode } from "../../offline/mock-state";
import { MOCK_REGION } from "../../offline/aws-mocks";
import { ProgramRunError, runProgramInHost } from "../../offline/run-program";
import { UsageError } from "../errors";
import { describeError } from "../../common/errors";

export interface ProgramTarget {
    /** Absolute program directory. */
    readonly dir: string;
    readonly project: string;
    readonly stack: string;
    /** Absolute path of the module the program starts from (as far as it can be told before running). */
    readonly mainFile: string;
    /** The working directory of the run and the program argument, as Pulumi's language host gets them. */
    readonly pwd: string;
    readonly program: string;
    readonly typescript: boolean;
    readonly tsconfig?: string;
    /** The stack config file read, if any. */
    readonly configFile?: string;
    /** Config as the program sees it: `project:key` (or `provider:key`) to string. */
    readonly config: Readonly<Record<string, string>>;
}

export interface ProgramOptions {
    /** Stack name; default: the only `Pulumi.<stack>.yaml`, or `dev` when there is none. */
    readonly stack?: string;
    /** `key=value` overrides; keys without a namespace get the project's. */
    readonly set?: readonly string[];
}

interface ProjectFile {
    name?: unknown;
    runtime?: unknown;
    main?: unknown;
    stackConfigDir?: unknown;
    config?: unknown;
}

const configValue = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));

/** Project-level config (`config:` in Pulumi.yaml): plain values, or typed entries with `default`/`value`. */
function projectConfig(raw: unknown, project: string, file: string): Record<string, string> {
    if (raw === undefined || raw === null) return {};
    if (typeof raw !== "object" || Array.isArray(raw)) throw new UsageError(`${file}: "config" must be a map of keys to values`);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        const key = k.includes(":") ? k : `${project}:${k}`;
        if (v && typeof v === "object" && !Array.isArray(v) && ("type" in v || "default" in v || "value" in v || "description" in v || "secret" in v)) {
            const typed = v as { default?: unknown; value?: unknown };
            if (typed.value !== undefined) out[key] = configValue(typed.value);
            else if (typed.default !== undefined) out[key] = configValue(typed.default);
        } else if (v !== null && v !== undefined) out[key] = configValue(v);
    }
    return out;
}

function readYaml(file: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new UsageError(`cannot read ${file}: ${describeError(err)}`);
    }
    try {
        return YAML.parse(text);
    } catch (err) {
        throw new UsageError(`${file} is not valid YAML: ${describeError(err).split("\n")[0]}`, "fix the YAML (quote values that contain \": \")");
    }
}

/** Locates the program in `dirArg` and reads the chosen stack's config. Throws {@link UsageError}. */
export function resolveProgram(dirArg: string, options: ProgramOptions = {}): ProgramTarget {
    const dir = path.resolve(dirArg);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
        throw new UsageError(`program directory ${dirArg} does not exist`, "pass the directory that holds Pulumi.yaml, or use --from <file> for preview/export JSON");
    }
    const projectFile = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
    let project = path.basename(dir);
    let mainRel = ".";
    let configDir = dir;
    let typescript = true;
    let tsconfig: string | undefined;
    const config: Record<string, string> = {};
    if (projectFile) {
        const doc = (readYaml(projectFile) ?? {}) as ProjectFile;
        if (typeof doc.name !== "string" || doc.name === "") throw new UsageError(`${projectFile} has no project "name"`);
        project = doc.name;
        const runtime = typeof doc.runtime === "string" ? doc.runtime : (doc.runtime as { name?: unknown } | undefined)?.name;
        if (runtime !== "nodejs") {
            throw new UsageError(
                `${projectFile} declares runtime ${JSON.stringify(runtime)}; aiguard check runs Node.js (TypeScript/JavaScript) programs offline`,
                "for other runtimes, run `pulumi preview --json --show-sames > preview.json` and `aiguard check --from preview.json`",
            );
        }
        const options = (typeof doc.runtime === "object" ? (doc.runtime as { options?: Record<string, unknown> } | null)?.options : undefined) ?? {};
        if (options.typescript === false) typescript = false;
        if (typeof options.tsconfig === "string") tsconfig = options.tsconfig;
        if (typeof doc.main === "string") mainRel = doc.main;
        if (typeof doc.stackConfigDir === "string") configDir = path.resolve(dir, doc.stackConfigDir);
        Object.assign(config, projectConfig(doc.config, project, projectFile));
    }
    const mainPath = path.resolve(dir, mainRel);
    const mainFile = resolveMain(mainPath, dir);
    const mainIsDir = fs.existsSync(mainPath) && fs.statSync(mainPath).isDirectory();
    const stacks = fs.existsSync(configDir)
        ? fs.readdirSync(configDir).map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)).filter((m): m is RegExpExecArray => m !== null)
        : [];
    let stack = options.stack;
    if (stack === undefined) {
        if (stacks.length > 1) {
            throw new UsageError(`${path.relative(process.cwd(), configDir) || "."} holds config for several stacks (${stacks.map((m) => m[1]).join(", ")})`, "choose one with --stack <name>");
        }
        stack = stacks[0]?.[1] ?? "dev";
    }
    const match = stacks.find((m) => m[1] === stack);
    if (!match && stacks.length > 0) {
        throw new UsageError(`no config for stack "${stack}" (no Pulumi.${stack}.yaml in ${configDir})`, `known stacks: ${stacks.map((m) => m[1]).join(", ")}`);
    }
    const configFile = match ? path.join(configDir, match[0]) : undefined;
    const secure: string[] = [];
    if (configFile) {
        const doc = (readYaml(configFile) ?? {}) as { config?: Record<string, unknown> };
        for (const [rawKey, value] of Object.entries(doc.config ?? {})) {
            const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
            if (value && typeof value === "object" && "secure" in value) secure.push(key);
            else config[key] = configValue(value);
        }
    }
    for (const pair of options.set ?? []) {
        const eq = pair.indexOf("=");
        if (eq <= 0) throw new UsageError(`--set ${JSON.stringify(pair)} is not key=value`, "e.g. --set deployerRoleArn=arn:aws:iam::123456789012:role/deployer");
        const rawKey = pair.slice(0, eq);
        const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
        config[key] = pair.slice(eq + 1);
        const i = secure.indexOf(key);
        if (i >= 0) secure.splice(i, 1);
    }
    if (secure.length > 0) {
        throw new UsageError(
            `stack config ${secure.map((k) => `"${k}"`).join(", ")} ${secure.length === 1 ? "is a secret" : "are secrets"} (secure:), which cannot be decrypted offline`,
            `supply a stand-in value with --set ${secure[0]!.replace(`${project}:`, "")}=<value>`,
        );
    }
    return {
        dir,
        project,
        stack,
        mainFile,
        pwd: mainIsDir ? mainPath : dir,
        program: mainIsDir ? "." : path.relative(dir, mainPath),
        typescript,
        ...(tsconfig ? { tsconfig } : {}),
        configFile,
        config,
    };
}

function resolveMain(main: string, dir: string): string {
    try {
        return require.resolve(main);
    } catch {
        throw new UsageError(
            `cannot find the program's entry point ${path.relative(process.cwd(), main) || "."} (from ${path.relative(process.cwd(), dir) || "."})`,
            "add an index.ts, a package.json \"main\", or set \"main\" in Pulumi.yaml",
        );
    }
}

const FROM_PREVIEW = "evaluate what Pulumi plans instead: `pulumi preview --json --show-sames > preview.json && aiguard check --from preview.json`";

/**
 * Runs the program offline in `mode` and returns what it registered. A program that fails becomes
 * a {@link UsageError} naming the cause in one line, with lookups that had no answer in the fix.
 */
export async function runProgram(target: ProgramTarget, mode: RunMode, answers: readonly LookupAnswer[], onOutput?: (line: string) => void): Promise<HostReply> {
    // The Pulumi runtime reports an unhandled error with the whole error object (for a missing
    // module: a require stack). Those lines are held back until the cause is known: a missing
    // module becomes one line naming it; anything else is shown as the program printed it.
    let held: string[] | undefined;
    const output = (line: string) => {
        if (held === undefined && /failed with an unhandled exception:/.test(line)) held = [];
        if (held !== undefined) held.push(line);
        else onOutput?.(line);
    };
    const release = () => {
        for (const line of held ?? []) onOutput?.(line);
        held = undefined;
    };
    try {
        return await runProgramInHost(
            {
                pwd: target.pwd,
                program: target.program,
                root: target.dir,
                project: target.project,
                stack: target.stack,
                organization: "organization",
                mode,
                config: { "aws:region": MOCK_REGION, ...target.config },
                typescript: target.typescript,
                ...(target.tsconfig ? { tsconfig: target.tsconfig } : {}),
                answers,
            },
            { onOutput: output },
        );
    } catch (err) {
        const missing = err instanceof ProgramRunError ? missingModule(err.message, held ?? []) : undefined;
        if (missing !== undefined) {
            held = undefined;
            throw missingModuleError(target, missing, err);
        }
        release();
        if (!(err instanceof ProgramRunError)) throw err;
        const where = `${path.relative(process.cwd(), target.mainFile) || "."} failed (stack "${target.stack}", ${mode} mode)`;
        const firstLine = err.message.split("\n").find((l) => l.trim() !== "")?.trim() ?? err.message;
        const unanswered = [...new Set((err.partial?.unanswered ?? []).map((u) => u.token))];
        const fix =
            unanswered.length > 0
                ? `${describeUnanswered(unanswered[0]!)}${unanswered.length > 1 ? ` (and ${unanswered.length - 1} more)` : ""}: answer it in an --answers file, or ${FROM_PREVIEW}`
                : err.kind === "setup" && /not installed/.test(err.message)
                  ? `run \`npm install\` in ${path.relative(process.cwd(), target.dir) || "."}`
                  : err.kind === "timeout"
                    ? "make the program finish without cloud access, or raise AIGUARD_PROGRAM_TIMEOUT_MS"
                    : `fix the program (its output is above), or ${FROM_PREVIEW}`;
        throw new UsageError(`the program ${where}: ${firstLine}`, fix, { cause: err });
    } finally {
        release();
    }
}

/** The module a failed run could not load (`Cannot find module 'x'`, ESM `Cannot find package 'x'`), if that is why it failed. */
export function missingModule(message: string, lines: readonly string[]): string | undefined {
    for (const text of [message, ...lines]) {
        const m = /Cannot find (?:module|package) '([^']+)'/.exec(text);
        if (m) return m[1];
    }
    return undefined;
}

/** One line naming the missing module, and the fix: install the program's dependencies (or add the package, or fix the path). */
function missingModuleError(target: ProgramTarget, name: string, cause: unknown): UsageError {
    const dir = path.relative(process.cwd(), target.dir) || ".";
    const main = path.relative(process.cwd(), target.mainFile) || ".";
    if (name.startsWith(".") || path.isAbsolute(name)) {
        return new UsageError(`the program ${main} imports ${name}, which does not exist`, "fix the import path in the program", { cause });
    }
    const pkg = name.startsWith("@") ? name.split("/").slice(0, 2).join("/") : name.split("/")[0]!;
    let declared = false;
    let hasManifest = false;
    try {
        const manifest = JSON.parse(fs.readFileSync(path.join(target.dir, "package.json"), "utf8")) as Record<string, Record<string, string> | undefined>;
        hasManifest = true;
        declared = ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"].some((k) => manifest[k]?.[pkg] !== undefined);
    } catch {
        // No readable package.json: the fix below says to install the package.
    }
    return new UsageError(
        `the program ${main} needs the module "${name}", which is not installed (the program's dependencies do not resolve from ${dir})`,
        declared ? `run \`npm install\` in ${dir}` : `install it: \`npm install ${pkg}\` in ${dir} (${hasManifest ? `it is not in ${dir}/package.json` : `${dir} has no package.json`})`,
        { cause },
    );
}
