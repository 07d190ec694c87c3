/**
 * Finds a Pulumi program and its stack configuration the way the Pulumi CLI does, then runs it
 * offline (no engine, no cloud credentials) with the recording mocks (offline/recording-mocks.ts).
 *
 *  - `Pulumi.yaml` (or `Pulumi.yml`) in the program directory gives the project `name`, the
 *    `runtime` (must be `nodejs`), `main` (default: the directory itself) and `stackConfigDir`
 *    (default: the directory). Without one, the directory is taken as a bare Node.js program whose
 *    project name is the directory's name.
 *  - The stack's configuration is `Pulumi.<stack>.yaml` in the stack config directory; values are
 *    handed to the program as Pulumi would (strings; structured values as JSON). `--set key=value`
 *    adds or overrides values, and is the way to supply `secure:` values, which cannot be decrypted
 *    offline.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { runOffline, UnmockedCallError, type RecordedResource } from "../../offline/recording-mocks";
import { UsageError } from "../errors";
import { describeError } from "../../common/errors";

export interface ProgramTarget {
    /** Absolute program directory. */
    readonly dir: string;
    readonly project: string;
    readonly stack: string;
    /** Absolute path of the module the program starts from. */
    readonly mainFile: string;
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
        throw new UsageError(`${file} is not valid YAML: ${describeError(err)}`);
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
        if (typeof doc.main === "string") mainRel = doc.main;
        if (typeof doc.stackConfigDir === "string") configDir = path.resolve(dir, doc.stackConfigDir);
    }
    const mainFile = resolveMain(path.resolve(dir, mainRel), dir);
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
    const config: Record<string, string> = {};
    const secure: string[] = [];
    if (configFile) {
        const doc = (readYaml(configFile) ?? {}) as { config?: Record<string, unknown> };
        for (const [key, value] of Object.entries(doc.config ?? {})) {
            if (value && typeof value === "object" && "secure" in value) secure.push(key);
            else config[key] = typeof value === "string" ? value : JSON.stringify(value);
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
    return { dir, project, stack, mainFile, configFile, config };
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

/**
 * Runs the program offline and returns every registration. A program that throws (bad config,
 * a provider call with no offline answer) becomes a {@link UsageError} naming the cause.
 */
export async function runProgram(target: ProgramTarget): Promise<readonly RecordedResource[]> {
    try {
        const run = await runOffline(() => require(target.mainFile) as unknown, { project: target.project, stack: target.stack, config: target.config });
        return run.resources;
    } catch (err) {
        if (err instanceof UnmockedCallError) {
            throw new UsageError(
                `the program calls the provider function "${err.token}", which has no offline answer`,
                "evaluate what Pulumi planned instead: `pulumi preview --json --show-sames > preview.json && aiguard check --from preview.json`",
                { cause: err },
            );
        }
        throw new UsageError(`the program ${path.relative(process.cwd(), target.mainFile)} failed (stack "${target.stack}"): ${describeError(err)}`, undefined, { cause: err });
    }
}
