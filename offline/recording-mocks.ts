/**
 * Runs a Pulumi program in-process with no engine, no cloud credentials and no provider plugins,
 * recording every resource the program registers (recording-monitor.ts).
 *
 * This is the harness for aiguard's own code (component and stack tests, benchmarks): any provider
 * function call that is not explicitly answered fails the run with a message naming the call,
 * instead of letting the program continue on garbage. `aiguard check` runs users' programs in a
 * child process instead (program-host.ts), the way Pulumi's Node language host does.
 */
import * as pulumi from "@pulumi/pulumi";
import * as runtimeSettings from "@pulumi/pulumi/runtime/settings";
import { AiguardError } from "../common/errors";
import { MOCK_ACCOUNT_ID, MOCK_REGION } from "./aws-mocks";
import { createRecordingMonitor, enableMockFeatures, loadSdk, UnansweredLookupError } from "./recording-monitor";
import type { RecordedCall, RecordedResource } from "./recorded";

// `waitForRPCs` is exported by the SDK's settings module but marked @internal (absent from typings).
const settings = runtimeSettings as typeof runtimeSettings & { waitForRPCs(): Promise<void> };

export type { RecordedCall, RecordedRead, RecordedResource } from "./recorded";

/** Answers one provider function call; return `undefined` to treat the call as unmocked. */
export type CallAnswer = (inputs: Record<string, unknown>) => Record<string, unknown> | undefined;

export interface OfflineRunOptions {
    /** Project name used in URNs. Default `aiguard`. */
    readonly project?: string;
    /** Stack name used in URNs. Default `test`. */
    readonly stack?: string;
    /** Run as a first preview (`isDryRun()` true, computed outputs unknown). Default `false`. */
    readonly preview?: boolean;
    /** Stack configuration, keys as `project:key` or `aws:region`; values are strings as in Pulumi config. */
    readonly config?: Readonly<Record<string, string>>;
    /** Extra or replacement answers for provider function calls, by token. */
    readonly calls?: Readonly<Record<string, CallAnswer>>;
    /** Extra computed state per resource type token, merged over the defaults. */
    readonly state?: (type: string, name: string, inputs: Record<string, unknown>) => Record<string, unknown> | undefined;
}

export interface OfflineRun<T> {
    /** What the program returned (its stack outputs, typically). */
    readonly result: T;
    /** Every registration, in the order the mock monitor answered them. */
    readonly resources: readonly RecordedResource[];
    /** Every provider function call. */
    readonly calls: readonly RecordedCall[];
}

/** Thrown when the program calls a provider function nobody answers. */
export class UnmockedCallError extends AiguardError<"unmocked-call"> {
    constructor(readonly token: string) {
        super(
            "unmocked-call",
            `offline run: provider function "${token}" has no offline answer. ` +
                `Add one through the "calls" option (token -> answer) or avoid the call in the program.`,
        );
    }
}

let running = false;

/**
 * Runs `program` under recording mocks and waits until every registration has been answered.
 *
 * Runs are serialised: the Pulumi runtime keeps global state, so two overlapping runs in one process
 * would interleave. A run that overlaps another fails immediately.
 */
export async function runOffline<T>(program: () => T | Promise<T>, options: OfflineRunOptions = {}): Promise<OfflineRun<T>> {
    if (running) {
        throw new Error("offline run: another offline run is in progress in this process; await it first");
    }
    running = true;
    try {
        const config: Record<string, string> = { "aws:region": MOCK_REGION, ...options.config };
        const { monitor, recording } = createRecordingMonitor(loadSdk(require), {
            mode: options.preview ? "preview" : "update",
            unanswered: "throw",
            config,
            calls: options.calls,
            state: options.state,
        });
        settings.setMockOptions(monitor, options.project ?? "aiguard", options.stack ?? "test", options.preview ?? false);
        // `getStore` is internal to the SDK (absent from its typings).
        enableMockFeatures((require("@pulumi/pulumi/runtime/state") as { getStore(): object }).getStore());
        pulumi.runtime.setAllConfig(config);
        const rootCause = (err: unknown): unknown => {
            const first = recording.failures[0];
            return first instanceof UnansweredLookupError ? new UnmockedCallError(first.token) : (first ?? err);
        };
        let result: T;
        try {
            result = await program();
            await settings.waitForRPCs();
            if (result !== undefined && !options.preview) {
                // Resolve the program's outputs too, so a failure inside an apply surfaces here.
                await new Promise<void>((resolve) => pulumi.output(result as any).apply(() => resolve()));
                await settings.waitForRPCs();
            }
        } catch (err) {
            // Let registrations still in flight land in this run's monitor, not the next run's.
            await settings.waitForRPCs().catch(() => undefined);
            // An unmocked call surfaces wrapped by the SDK; report the root cause.
            throw rootCause(err);
        }
        if (recording.failures.length > 0) throw rootCause(undefined);
        return { result, resources: [...recording.resources], calls: [...recording.calls] };
    } finally {
        running = false;
    }
}

export { MOCK_ACCOUNT_ID, MOCK_REGION };
