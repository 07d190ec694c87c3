/**
 * A resource monitor served over gRPC on 127.0.0.1, for running a program the way the Pulumi Node
 * language host does: `node <@pulumi/pulumi>/cmd/run --monitor <address> ... <program>` in a child
 * process, which registers its resources with this server as it would with the engine.
 *
 * The answers come from aiguard's recording monitor (offline/recording-monitor.ts: provider-like
 * state, lookups answered, every registration recorded), built on the given `@pulumi/pulumi` copy
 * (the consumer's), whose generated gRPC service definition and messages the server uses. The SDK's
 * `MockMonitor` answers two calls with plain objects where gRPC needs messages; those are converted.
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import { createRecordingMonitor, loadSdk, type Recording } from "../../offline/recording-monitor";
import type { RunMode } from "../../offline/mock-state";

export interface GrpcMonitor {
    /** `127.0.0.1:<port>`, for `--monitor`. */
    readonly address: string;
    readonly recording: Recording;
    close(): Promise<void>;
}

export interface GrpcMonitorOptions {
    /** A directory whose node_modules holds the `@pulumi/pulumi` to use (the program's). */
    readonly programDir: string;
    readonly project: string;
    readonly stack: string;
    readonly mode: RunMode;
    /** Stack config as the program sees it. */
    readonly config?: Readonly<Record<string, string>>;
}

type Callback = (err: unknown, res?: unknown) => void;

/** Starts the server; resolves once it listens. */
export async function startGrpcMonitor(options: GrpcMonitorOptions): Promise<GrpcMonitor> {
    const requireFrom = createRequire(path.join(options.programDir, "__aiguard_test__.js"));
    const sdkRoot = path.dirname(requireFrom.resolve("@pulumi/pulumi/package.json"));
    const inSdk = (p: string) => requireFrom(path.join(sdkRoot, p));
    const fromSdk = createRequire(path.join(sdkRoot, "package.json"));
    const grpc = fromSdk("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
    const services = inSdk("proto/resource_grpc_pb");
    const resourcePb = inSdk("proto/resource_pb");
    const emptyPb = fromSdk("google-protobuf/google/protobuf/empty_pb");

    // The URNs the SDK's mock monitor forms use the project and stack of its own settings.
    const settings = inSdk("runtime/settings");
    settings._setProject(options.project);
    settings._setStack(options.stack);
    settings._setIsDryRun(options.mode === "preview");

    const { monitor, recording } = createRecordingMonitor(loadSdk(requireFrom), {
        mode: options.mode,
        unanswered: "unknown",
        config: options.config ?? {},
    });
    const asMessage = (method: string, res: any): any => {
        if (res === undefined || typeof res.serializeBinary === "function") return res;
        if (method === "supportsFeature") return new resourcePb.SupportsFeatureResponse().setHassupport(res.getHassupport());
        return new emptyPb.Empty();
    };
    const handlers: Record<string, (call: { request: unknown }, cb: Callback) => void> = {};
    for (const method of Object.keys(services.ResourceMonitorService)) {
        if (typeof monitor[method] !== "function") continue;
        handlers[method] = (call, cb) => {
            Promise.resolve(monitor[method](call.request, (err: unknown, res: unknown) => cb(err ?? null, asMessage(method, res)))).catch((err: unknown) => cb(err));
        };
    }
    // The program asks the engine to wait for its shutdown hooks; there are none here.
    handlers.signalAndWaitForShutdown = (_call, cb) => cb(null, new emptyPb.Empty());

    const server = new grpc.Server();
    server.addService(services.ResourceMonitorService, handlers as never);
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    return {
        address: `127.0.0.1:${port}`,
        recording,
        close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
    };
}
