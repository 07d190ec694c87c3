/**
 * The child process of `aiguard check` that runs the user's program the way Pulumi's Node language
 * host runs it for a preview, with the recording mock monitor (recording-monitor.ts) in place of the
 * engine:
 *
 *  - the `@pulumi/pulumi` the program itself resolves (its own node_modules) is used throughout;
 *  - the SDK's own program runner (`@pulumi/pulumi/cmd/run/run`) loads the program: `--pwd` into its
 *    directory, the vendored ts-node for TypeScript (type checking off unless
 *    `PULUMI_NODEJS_TRANSPILE_ONLY=false`), `package.json` `main`/`exports`, ES modules, an exported
 *    (async) function called and its result taken as the stack outputs, uncaught errors captured;
 *  - the V8 inspector hooks are initialised first, as the runner's CLI does, so closure
 *    serialization (inline Lambda functions) works;
 *  - runtime options and feature flags as Pulumi's `setMocks`; config as `PULUMI_CONFIG`;
 *  - the program's stdout and stderr are its own: the parent shows them on its stderr, and the
 *    recording comes back over the IPC channel.
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import type { HostReply, HostRequest } from "./host-protocol";
import { createRecordingMonitor, enableMockFeatures, loadSdk, type Recording } from "./recording-monitor";

/** Exit code of Pulumi's runner after it printed a user-actionable message (cmd/run/index.ts). */
const EXITED_AFTER_MESSAGE = 32;

function describe(err: unknown): string {
    if (err instanceof Error) return err.message || err.name || String(err);
    return String(err);
}

function reply(recording: Recording | undefined, failure?: HostReply["failure"]): Promise<void> {
    const msg: HostReply = {
        resources: recording?.resources ?? [],
        reads: recording?.reads ?? [],
        calls: recording?.calls ?? [],
        unanswered: recording?.unanswered ?? [],
        stackOutputs: recording?.stackOutputs,
        ...(failure ? { failure } : {}),
    };
    return new Promise((resolve) => process.send!(msg, () => resolve()));
}

async function runRequest(req: HostRequest): Promise<void> {
    const requireFrom = createRequire(path.join(req.pwd, "__aiguard_program__.js"));
    let sdkRoot: string;
    try {
        sdkRoot = path.dirname(requireFrom.resolve("@pulumi/pulumi/package.json"));
    } catch {
        return reply(undefined, { kind: "setup", message: `the program's dependencies are not installed: @pulumi/pulumi cannot be resolved from ${req.pwd}` });
    }
    const inSdk = (p: string) => requireFrom(path.join(sdkRoot, p));
    // What the language host and the runner's CLI put in the environment (cmd/run/index.ts).
    Object.assign(process.env, {
        PULUMI_CONFIG: JSON.stringify(req.config),
        PULUMI_NODEJS_PROJECT: req.project,
        PULUMI_NODEJS_STACK: req.stack,
        PULUMI_NODEJS_ORGANIZATION: req.organization,
        PULUMI_NODEJS_ROOT_DIRECTORY: req.root,
        PULUMI_NODEJS_DRY_RUN: String(req.mode === "preview"),
        PULUMI_NODEJS_TYPESCRIPT: String(req.typescript),
        PULUMI_NODEJS_TRANSPILE_ONLY: process.env.PULUMI_NODEJS_TRANSPILE_ONLY ?? "true",
        ...(req.tsconfig ? { PULUMI_NODEJS_TSCONFIG_PATH: req.tsconfig } : {}),
    });
    const sdk = loadSdk(requireFrom);
    const settings = inSdk("runtime/settings");
    const { monitor, recording } = createRecordingMonitor(sdk, { mode: req.mode, unanswered: "unknown", config: req.config, answers: req.answers });
    settings.setMockOptions(monitor, req.project, req.stack, req.mode === "preview", req.organization);
    enableMockFeatures(inSdk("runtime/state").getStore());
    inSdk("runtime/config").setAllConfig?.(req.config);
    await inSdk("runtime/closure/v8Hooks").isInitializedAsync();
    // The runner imports its CLI module for one constant; that module parses process.argv and starts
    // a run when loaded, so it is stood in for by a module holding only that constant.
    const cliModule = path.join(sdkRoot, "cmd", "run", "index.js");
    const stub = new (require("node:module") as typeof import("node:module"))(cliModule);
    stub.filename = cliModule;
    stub.loaded = true;
    stub.exports = { nodeJSProcessExitedAfterLoggingUserActionableMessage: EXITED_AFTER_MESSAGE };
    requireFrom.cache[cliModule] = stub;
    const errors: unknown[] = [];
    const reported = new Set<unknown>();
    let failure: string | undefined;
    try {
        await inSdk("cmd/run/run").run(
            { _: [req.program], pwd: req.pwd },
            () => undefined,
            (err: unknown) => {
                reported.add(err);
                errors.push(err);
            },
            (err: unknown) => reported.has(err),
        );
        await settings.waitForRPCs?.();
    } catch (err) {
        failure = describe(err);
        await settings.waitForRPCs?.().catch(() => undefined);
    }
    // Rejections raised in the last turn (a failing apply) are reported by the runner's handlers.
    await new Promise((r) => setTimeout(r, 20));
    await settings.waitForRPCs?.().catch(() => undefined);
    if (failure === undefined && errors.length > 0) failure = describe(errors[0]);
    if (failure === undefined && recording.failures.length > 0) failure = describe(recording.failures[0]);
    return reply(recording, failure === undefined ? undefined : { kind: "program", message: failure });
}

/** Waits for the one request, runs it, replies and exits. */
export function main(): void {
    process.once("message", (req: HostRequest) => {
        runRequest(req).then(
            () => process.exit(0),
            (err) => {
                reply(undefined, { kind: "setup", message: describe(err) }).finally(() => process.exit(0));
            },
        );
    });
}

// Compiled (an installed aiguard), this file is the child's entry point itself; from sources,
// program-host.js loads it through tsx and calls main().
if (require.main === module) main();
