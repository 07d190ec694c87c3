/**
 * The mock resource monitor behind every offline run: it answers the program's registrations like
 * a provider would (mock-state.ts) and records what the engine would have sent to a policy pack.
 *
 *  - every registration: URN, type, name, parent, inputs and answered state in the engine's wire
 *    form (wire.ts: unknowns as the sentinel string), `dependencies` and `propertyDependencies`
 *    (property name to the URNs its value came from), `remote` (a component implemented in a
 *    provider plugin, whose children the plugin would register);
 *  - reads (`X.get(...)`, stack references): state that only the cloud or another stack knows;
 *  - provider function calls (lookups), answered from lookups.ts or, without an answer, either
 *    failing the run (`unanswered: "throw"`, for tests of our own components) or resolving to a
 *    wholly unknown result with the call recorded (`unanswered: "unknown"`, for `aiguard check`);
 *  - the root stack's outputs.
 *
 * It is built on the SDK's own `MockMonitor`, taken from the same copy of `@pulumi/pulumi` the
 * program uses (passed in as {@link SdkModules}).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { answerLookup, describeUnanswered, RESOURCE_PRODUCING_LOOKUPS, type LookupAnswer, type UnansweredLookup } from "./lookups";
import { mockState, parseDefaultTags, type RunMode } from "./mock-state";
import type { RecordedCall, RecordedRead, RecordedResource, SourceFrame } from "./recorded";
import { propertiesFromWire } from "./wire";

/** The parts of one `@pulumi/pulumi` copy the monitor needs. */
export interface SdkModules {
    readonly mocks: typeof import("@pulumi/pulumi/runtime/mocks");
    readonly rpc: typeof import("@pulumi/pulumi/runtime/rpc");
    readonly resourcePb: any;
    readonly structPb: any;
    /** Resolves a module from the program's point of view (for provider SDK metadata). */
    readonly resolveFromProgram: (id: string) => string;
}

/** Thrown (as the run's failure) when `unanswered: "throw"` and a lookup has no answer. */
export class UnansweredLookupError extends Error {
    constructor(readonly token: string) {
        super(describeUnanswered(token));
    }
}

export interface MonitorOptions {
    readonly mode: RunMode;
    readonly unanswered: "throw" | "unknown";
    /** Stack config as the program sees it (`aws:defaultTags` is read from it). */
    readonly config: Readonly<Record<string, string>>;
    /** Answers from the user's answers file, tried before the built-in ones. */
    readonly answers?: readonly LookupAnswer[];
    /** Extra answers by token (tests). */
    readonly calls?: Readonly<Record<string, (inputs: Record<string, unknown>) => Record<string, unknown> | undefined>>;
    /** Extra computed state per resource (tests). */
    readonly state?: (type: string, name: string, inputs: Record<string, unknown>) => Record<string, unknown> | undefined;
}

/** What a run recorded. */
export interface Recording {
    readonly resources: RecordedResource[];
    readonly reads: RecordedRead[];
    readonly calls: RecordedCall[];
    readonly unanswered: UnansweredLookup[];
    readonly failures: Error[];
    stackOutputs: Record<string, unknown> | undefined;
}

const providerUrn = (ref: string): string => (ref.includes("::") ? ref.slice(0, ref.lastIndexOf("::")) : ref);

/** Creates a recording monitor for one run. */
export function createRecordingMonitor(sdk: SdkModules, options: MonitorOptions): { monitor: any; recording: Recording } {
    const recording: Recording = { resources: [], reads: [], calls: [], unanswered: [], failures: [], stackOutputs: undefined };
    const providerTags = new Map<string, Record<string, unknown> | undefined>();
    const defaultTags = parseDefaultTags(options.config["aws:defaultTags"]);
    const taggableCache = new Map<string, boolean>();
    /** Whether the provider SDK declares a `tagsAll` output for this type (its schema does). */
    const taggable = (type: string): boolean => {
        let known = taggableCache.get(type);
        if (known === undefined) {
            const m = /^aws:([^/:]+)\/([^:]+):/.exec(type);
            known = false;
            if (m) {
                try {
                    known = fs.readFileSync(sdk.resolveFromProgram(`@pulumi/aws/${m[1] === "index" ? "" : `${m[1]}/`}${m[2]}.js`), "utf8").includes('"tagsAll"');
                } catch {
                    known = false;
                }
            }
            taggableCache.set(type, known);
        }
        return known;
    };

    const mocks = {
        call(): Record<string, unknown> {
            throw new Error("offline run: calls are answered by the recording monitor");
        },
        newResource(args: { type: string; name: string; inputs: any; provider?: string; custom?: boolean }) {
            const extra = options.state?.(args.type, args.name, args.inputs);
            const tags = args.provider && providerTags.has(providerUrn(args.provider)) ? providerTags.get(providerUrn(args.provider)) : defaultTags;
            const answered = mockState({ mode: options.mode, type: args.type, name: args.name, custom: args.custom ?? true, inputs: args.inputs, defaultTags: tags, taggable });
            return { id: answered.id, state: { ...answered.state, ...extra } };
        },
    };

    const Base = sdk.mocks.MockMonitor as unknown as new (m: typeof mocks) => any;
    class RecordingMonitor extends Base {
        /** URNs as the engine forms them: the root stack's type is not part of its children's type chain. */
        newUrn(parent: string, type: string, name: string): string {
            const parentType = parent ? parent.split("::")[2]?.split("$").pop() : undefined;
            return super.newUrn(parentType === "pulumi:pulumi:Stack" ? "" : parent, type, name);
        }

        async registerResource(req: any, callback: (err: any, res: any) => void): Promise<void> {
            const type: string = req.getType();
            const parent: string | undefined = req.getParent() || undefined;
            const urnOf: string = (this as any).newUrn(req.getParent(), type, req.getName());
            if (type === "pulumi:providers:aws") {
                providerTags.set(urnOf, parseDefaultTags(sdk.rpc.deserializeProperties(req.getObject()).defaultTags));
            }
            const propertyDependencies: Record<string, string[]> = {};
            req.getPropertydependenciesMap?.().forEach((deps: any, key: string) => {
                propertyDependencies[key] = deps.getUrnsList();
            });
            await super.registerResource(req, (err: any, res: any) => {
                if (!err && res) {
                    recording.resources.push({
                        urn: res.getUrn(),
                        type,
                        name: req.getName(),
                        custom: req.getCustom(),
                        parent,
                        inputs: propertiesFromWire(req.getObject()?.toJavaScript()),
                        outputs: propertiesFromWire(res.getObject()?.toJavaScript()),
                        id: res.getId() || undefined,
                        dependencies: req.getDependenciesList?.() ?? [],
                        propertyDependencies,
                        protect: req.getProtect?.() ?? false,
                        remote: req.getRemote?.() === true,
                        ...(req.getProvider?.() ? { provider: providerUrn(req.getProvider()) } : {}),
                        ...sourceOf(req),
                    });
                }
                callback(err, res);
            });
        }

        async readResource(req: any, callback: (err: any, res: any) => void): Promise<void> {
            await super.readResource(req, (err: any, res: any) => {
                if (!err && res) {
                    recording.reads.push({ urn: res.getUrn(), type: req.getType(), name: req.getName(), id: req.getId(), parent: req.getParent() || undefined });
                }
                callback(err, res);
            });
        }

        async invoke(req: any, callback: (err: any, res: any) => void): Promise<void> {
            const token: string = req.getTok();
            if (token === "pulumi:pulumi:getResource") return super.invoke(req, callback);
            try {
                const inputs = sdk.rpc.deserializeProperties(req.getArgs()) as Record<string, unknown>;
                recording.calls.push({ token, inputs });
                const answer = options.calls?.[token]?.(inputs) ?? answerLookup(token, inputs, options.answers ?? []);
                const resp = new sdk.resourcePb.ResourceInvokeResponse();
                if (answer !== undefined) {
                    resp.setReturn(sdk.structPb.Struct.fromJavaScript(await sdk.rpc.serializeProperties("", answer)));
                } else if (options.unanswered === "throw") {
                    const err = new UnansweredLookupError(token);
                    recording.failures.push(err);
                    return callback(err, undefined);
                } else {
                    recording.unanswered.push({ token, inputs: summariseInputs(inputs) });
                    // A lookup that yields resources (a Helm chart's manifests) yields none, and says so
                    // (unseen.ts); any other gets the engine's answer for a call it cannot serve yet: a
                    // wholly unknown result.
                    if (token in RESOURCE_PRODUCING_LOOKUPS) resp.setReturn(sdk.structPb.Struct.fromJavaScript({ result: [] }));
                    else resp.setUnknown(true);
                }
                callback(null, resp);
            } catch (err) {
                callback(err, undefined);
            }
        }

        registerResourceOutputs(req: any, callback: (err: any, res: any) => void): void {
            const urn: string = req.getUrn();
            if (urn.includes("::pulumi:pulumi:Stack::")) recording.stackOutputs = propertiesFromWire(req.getOutputs()?.toJavaScript());
            super.registerResourceOutputs(req, callback);
        }
    }

    return { monitor: new RecordingMonitor(mocks), recording };
}

const frameOf = (pos: any): SourceFrame | undefined => {
    const uri: unknown = pos?.getUri?.();
    const line: unknown = pos?.getLine?.();
    if (typeof uri !== "string" || !uri.startsWith("file:") || typeof line !== "number" || line < 1) return undefined;
    const column: unknown = pos.getColumn?.();
    return { file: fileURLToPath(uri), line, ...(typeof column === "number" && column > 0 ? { column } : {}) };
};

const OWN_DIR = __dirname;
const isUserFrame = (f: SourceFrame): boolean => !f.file.split(/[\\/]/).includes("node_modules") && path.dirname(f.file) !== OWN_DIR;

/**
 * The declaration site of a registration: the first frame of the SDK's stack trace in the user's
 * code (outside `node_modules` and this runner), else the SDK's `sourcePosition` (the caller of the
 * resource's constructor, which for a component library's children lies inside the library).
 */
export function sourceOf(req: any): { source?: SourceFrame } {
    const frames: SourceFrame[] = (req.getStacktrace?.()?.getFramesList?.() ?? []).map((f: any) => frameOf(f.getPc?.())).filter((f: SourceFrame | undefined) => f !== undefined);
    const source = frames.find(isUserFrame) ?? frameOf(req.getSourceposition?.());
    return source ? { source } : {};
}

/** A short, printable form of a call's arguments (first level, scalars only). */
function summariseInputs(inputs: Record<string, unknown>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(inputs)) {
        if (v === undefined) continue;
        out[k] = typeof v === "object" ? JSON.stringify(v)?.slice(0, 80) ?? "" : String(v);
    }
    return out;
}

/** The SDK modules of the copy of `@pulumi/pulumi` that `requireFrom` resolves. */
export function loadSdk(requireFrom: NodeRequire): SdkModules {
    const sdkRoot = path.dirname(requireFrom.resolve("@pulumi/pulumi/package.json"));
    const inSdk = (p: string) => requireFrom(path.join(sdkRoot, p));
    return {
        mocks: inSdk("runtime/mocks"),
        rpc: inSdk("runtime/rpc"),
        resourcePb: inSdk("proto/resource_pb"),
        structPb: requireFrom(requireFrom.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [sdkRoot] })),
        resolveFromProgram: (id) => requireFrom.resolve(id),
    };
}

/** The runtime options and feature flags Pulumi's own `setMocks` sets (runtime/mocks.ts). */
export function enableMockFeatures(store: object): void {
    Object.assign(store, {
        supportsSecrets: true,
        supportsResourceReferences: true,
        supportsOutputValues: false,
        supportsDeletedWith: true,
        supportsReplaceWith: true,
        supportsAliasSpecs: true,
        supportsTransforms: true,
        supportsInvokeTransforms: true,
        supportsParameterization: true,
        supportsResourceHooks: true,
        supportsErrorHooks: true,
        supportsInvokeDependsOn: false,
    });
}
