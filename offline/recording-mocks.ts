/**
 * Runs a Pulumi program in-process with no engine, no cloud credentials and no provider plugins,
 * recording every resource the program registers.
 *
 * Built on `pulumi.runtime` mocks, with two things the stock `setMocks` does not give:
 *  - every registration is recorded with its parent URN, the inputs as the provider would see
 *    them, and the state the mock answered (so policy rules can see both, like the real engine);
 *  - any provider function call that is not explicitly answered fails the run with a message
 *    naming the call, instead of returning `{}` and letting the program continue on garbage.
 *
 * Used by `aiguard check` and `aiguard demo` (`cli/evaluation/program.ts`), the test harness
 * (`test/harness`) and the benchmarks.
 */
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import * as runtimeSettings from "@pulumi/pulumi/runtime/settings";

// `waitForRPCs` is exported by the SDK's settings module but marked @internal (absent from typings).
const settings = runtimeSettings as typeof runtimeSettings & { waitForRPCs(): Promise<void> };
import { AiguardError } from "../common/errors";
import { awsCallAnswers, awsComputedState, MOCK_ACCOUNT_ID, MOCK_REGION } from "./aws-mocks";

/** One resource registration as the engine would have seen it. */
export interface RecordedResource {
    /** The URN the mock monitor assigned (type chain as the SDK's mock builds it). */
    readonly urn: string;
    /** Type token, e.g. `aws:s3/bucket:Bucket`. */
    readonly type: string;
    /** Logical name. */
    readonly name: string;
    /** `true` for provider-managed resources, `false` for components. */
    readonly custom: boolean;
    /** The parent's URN, if any. */
    readonly parent: string | undefined;
    /** Inputs the program passed, after Pulumi's serialization (unknowns appear as `undefined`). */
    readonly inputs: Record<string, unknown>;
    /** The state the mock answered: inputs plus computed attributes (ids, ARNs). */
    readonly outputs: Record<string, unknown>;
    /** The physical id the mock answered (`undefined` for components). */
    readonly id: string | undefined;
    /** URNs of explicit and implicit dependencies the SDK reported. */
    readonly dependencies: readonly string[];
    /** Property name to the URNs its value came from, when the source carried them (preview/export files). */
    readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
    /** The `protect` resource option. */
    readonly protect: boolean;
}

/** A provider function call the program made. */
export interface RecordedCall {
    readonly token: string;
    readonly inputs: Record<string, unknown>;
}

/** Answers one provider function call; return `undefined` to treat the call as unmocked. */
export type CallAnswer = (inputs: Record<string, unknown>) => Record<string, unknown> | undefined;

export interface OfflineRunOptions {
    /** Project name used in URNs. Default `aiguard`. */
    readonly project?: string;
    /** Stack name used in URNs. Default `test`. */
    readonly stack?: string;
    /** Run as a preview (`pulumi.runtime.isDryRun()` true). Default `false`. */
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

class RecordingMonitor extends MockMonitor {
    readonly recorded: RecordedResource[] = [];
    readonly callLog: RecordedCall[] = [];
    readonly failures: Error[] = [];

    override async registerResource(req: any, callback: (err: any, res: any) => void): Promise<void> {
        const parent: string = req.getParent() || undefined;
        const deps: string[] = req.getDependenciesList?.() ?? [];
        const protect: boolean = req.getProtect?.() ?? false;
        await super.registerResource(req, (err: any, res: any) => {
            if (!err && res) {
                const urn: string = res.getUrn();
                const entry = this.resources.get(urn);
                this.recorded.push({
                    urn,
                    type: req.getType(),
                    name: req.getName(),
                    custom: req.getCustom(),
                    parent,
                    inputs: pulumi.runtime.deserializeProperties(req.getObject()),
                    outputs: entry ? pulumi.runtime.deserializeProperties(res.getObject()) : {},
                    id: res.getId() || undefined,
                    dependencies: deps,
                    protect,
                });
            }
            callback(err, res);
        });
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
        const project = options.project ?? "aiguard";
        const stack = options.stack ?? "test";
        const config: Record<string, string> = { "aws:region": MOCK_REGION, ...options.config };
        const answers: Record<string, CallAnswer> = { ...awsCallAnswers, ...options.calls };
        let monitor!: RecordingMonitor;
        const mocks: pulumi.runtime.Mocks = {
            call(args) {
                monitor.callLog.push({ token: args.token, inputs: args.inputs });
                const answer = answers[args.token]?.(args.inputs);
                if (answer === undefined) {
                    const err = new UnmockedCallError(args.token);
                    monitor.failures.push(err);
                    throw err;
                }
                return answer;
            },
            newResource(args) {
                const computed = awsComputedState(args.type, args.name, args.inputs, args.custom ?? true);
                const extra = options.state?.(args.type, args.name, args.inputs);
                return {
                    id: args.custom === false ? undefined : (computed.id as string | undefined) ?? `${args.name}-id`,
                    state: { ...args.inputs, ...computed, ...extra },
                };
            },
        };
        monitor = new RecordingMonitor(mocks);
        settings.setMockOptions(monitor, project, stack, options.preview ?? false);
        pulumi.runtime.setAllConfig(config);
        let result: T;
        try {
            result = await program();
            await settings.waitForRPCs();
            if (result !== undefined) {
                // Resolve the program's outputs too, so a failure inside an apply surfaces here.
                await new Promise<void>((resolve) => pulumi.output(result as any).apply(() => resolve()));
                await settings.waitForRPCs();
            }
        } catch (err) {
            // Let registrations still in flight land in this run's monitor, not the next run's.
            await settings.waitForRPCs().catch(() => undefined);
            // An unmocked call surfaces wrapped by the SDK; report the root cause.
            throw monitor.failures[0] ?? err;
        }
        if (monitor.failures.length > 0) {
            throw monitor.failures[0];
        }
        return { result, resources: [...monitor.recorded], calls: [...monitor.callLog] };
    } finally {
        running = false;
    }
}

export { MOCK_ACCOUNT_ID, MOCK_REGION };
