/**
 * aiguard serves the analyzer's `AnalyzeStack` call itself: the SDK's own loop over the stack
 * policies, with the request's resources built once instead of once per policy.
 *
 * Why: @pulumi/policy's handler (`makeAnalyzeStackRpcFun`, 1.21.0) rebuilds every resource of the
 * request for every stack policy: deserialized properties, an unknown-checking proxy, options,
 * provider, two closures, and the parent and dependency links. aiguard has some 35 stack policies,
 * so a 10k-resource stack cost 350k resource objects per call, most of the call's time and of the
 * pack's peak memory. Nothing in that work depends on the policy.
 *
 * What stays the SDK's: policy order; the level (the policy's config, then the policy, then the
 * pack), `disabled` skipped, `remediate` run as mandatory; the single-type fast path and its
 * not-applicable reason; the `reportViolation` diagnostics (same fields; the SDK's own
 * `makeAnalyzeResponse` marshals them); `getConfig` (the policy's config without its level);
 * stack tags; an `UnknownValueError` as the SDK's advisory "can't run policy"; any other error as
 * the SDK's gRPC error. Config and stack tags are read from the SDK's own `Configure` and
 * `ConfigureStack` requests, which still reach the SDK (its `Analyze` handler uses them).
 *
 * What differs: every stack policy of one request receives the same `args.resources` array and
 * objects. aiguard's policies only read them (the adapter hands rules frozen copies).
 *
 * How it is installed: `servePolicyPack` wraps the `addService` of the gRPC server class the SDK
 * uses for the one `PolicyPack` construction, and replaces the `analyzeStack` implementation when
 * the service is the analyzer's; `addService` is restored at once. When the SDK's shape is not
 * the expected one (another major version), nothing is replaced: the SDK's handler runs, correct
 * and slower (so does `AIGUARD_SDK_ANALYZE_STACK=1`). test/policies/framework/sdk-internals.test.ts
 * checks the shape this relies on; test/protocol/analyze-stack.test.ts checks that both handlers
 * answer byte for byte the same.
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import { PolicyPack, type Policy, type PolicyPackArgs, type PolicyResource, type StackValidationArgs, type StackValidationPolicy } from "@pulumi/policy";

type Level = "advisory" | "mandatory" | "remediate" | "disabled";
type Severity = NonNullable<Policy["severity"]>;

/** One diagnostic, in the shape the SDK's `makeAnalyzeResponse` marshals. */
interface Diagnostic {
    readonly policyName: string;
    readonly policyPackName: string;
    readonly policyPackVersion: string;
    readonly message: string;
    readonly urn?: string;
    readonly description: string;
    readonly enforcementLevel: Level;
    readonly severity?: Severity;
}

/** The protobuf messages of one AnalyzeStack request, as far as this handler reads them. */
interface StructMessage {
    toJavaScript(): Record<string, unknown>;
}
interface ResourceMessage {
    getType(): string;
    getUrn(): string;
    getName(): string;
    getParent(): string;
    getProperties(): StructMessage | undefined;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { entries(): Iterable<[string, { getUrnsList(): string[] }]> } | undefined;
    getOptions(): OptionsMessage | undefined;
    getProvider(): ProviderMessage | undefined;
}
interface OptionsMessage {
    getProtect(): boolean;
    getIgnorechangesList(): string[];
    getAliasesList(): string[];
    getAdditionalsecretoutputsList(): string[];
    getCustomtimeouts(): { getCreate(): number; getUpdate(): number; getDelete(): number } | undefined;
    getDeletebeforereplacedefined(): boolean;
    getDeletebeforereplace(): boolean;
    getParent(): string;
}
interface ProviderMessage {
    getType(): string;
    getUrn(): string;
    getName(): string;
    getProperties(): StructMessage | undefined;
}
type Callback = (err: unknown, value?: unknown) => void;
type Handler = (call: { request: unknown }, callback: Callback) => void;

/** The SDK modules this handler uses, loaded from the SDK's own location (the objects its server uses). */
interface Sdk {
    readonly grpcServer: { prototype: { addService(service: unknown, impl: Record<string, Handler>): void } };
    readonly analyzeStackPath: string;
    readonly deserializeProperties: (struct: unknown, proxySecrets: boolean) => Record<string, unknown>;
    readonly unknownCheckingProxy: (target: unknown) => Record<string, unknown>;
    readonly UnknownValueError: new (...args: never[]) => Error;
    readonly convertEnforcementLevel: (level: number) => Level;
    readonly makeAnalyzeResponse: (ds: readonly Diagnostic[], notApplicable: unknown[] | undefined) => unknown;
    readonly asGrpcError: (e: unknown, message?: string) => unknown;
    readonly isStackPolicy: (p: Policy) => p is StackValidationPolicy;
    readonly getPulumiType: (obj: unknown) => string | undefined;
    readonly isTypeOf: (type: string, resourceClass: unknown) => boolean;
    readonly analyzerproto: { PolicyNotApplicable: new () => { setPolicyName(n: string): void; setReason(r: string): void } };
}

/** Loads the SDK's internals; `undefined` when any is missing (then the SDK's own handler runs). */
export function loadSdk(): Sdk | undefined {
    try {
        const req = createRequire(require.resolve("@pulumi/policy"));
        const grpc = req("@grpc/grpc-js") as { Server: Sdk["grpcServer"] };
        const rpc = req("@pulumi/pulumi/proto/analyzer_grpc_pb") as { AnalyzerService?: { analyzeStack?: { path?: string } } };
        const analyzerproto = req("@pulumi/pulumi/proto/analyzer_pb") as Sdk["analyzerproto"];
        const deserialize = req("@pulumi/policy/deserialize") as { deserializeProperties?: Sdk["deserializeProperties"] };
        const proxy = req("@pulumi/policy/proxy") as { unknownCheckingProxy?: Sdk["unknownCheckingProxy"]; UnknownValueError?: Sdk["UnknownValueError"] };
        const protoutil = req("@pulumi/policy/protoutil") as Partial<Pick<Sdk, "convertEnforcementLevel" | "makeAnalyzeResponse" | "asGrpcError">>;
        const policy = req("@pulumi/policy/policy") as Partial<Pick<Sdk, "isStackPolicy" | "getPulumiType">>;
        const path_ = rpc.AnalyzerService?.analyzeStack?.path;
        const parts = [grpc.Server?.prototype?.addService, deserialize.deserializeProperties, proxy.unknownCheckingProxy, proxy.UnknownValueError, protoutil.convertEnforcementLevel, protoutil.makeAnalyzeResponse, protoutil.asGrpcError, policy.isStackPolicy, policy.getPulumiType, analyzerproto.PolicyNotApplicable];
        if (typeof path_ !== "string" || parts.some((p) => typeof p !== "function")) return undefined;
        const getPulumiType = policy.getPulumiType!;
        return {
            grpcServer: grpc.Server,
            analyzeStackPath: path_,
            deserializeProperties: deserialize.deserializeProperties!,
            unknownCheckingProxy: proxy.unknownCheckingProxy!,
            UnknownValueError: proxy.UnknownValueError!,
            convertEnforcementLevel: protoutil.convertEnforcementLevel!,
            makeAnalyzeResponse: protoutil.makeAnalyzeResponse!,
            asGrpcError: protoutil.asGrpcError!,
            isStackPolicy: policy.isStackPolicy!,
            getPulumiType,
            // The SDK's own `isTypeOf` (server.js, not exported): the class's Pulumi type, else `isInstance`.
            isTypeOf(type, resourceClass) {
                const t = getPulumiType(resourceClass);
                if (t) return type === t;
                const isInstance = (resourceClass as { isInstance?: unknown } | undefined)?.isInstance;
                return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
            },
            analyzerproto,
        };
    } catch {
        return undefined;
    }
}

/** Raised by `args.notApplicable(reason)`, as the SDK's own (module-private) NotApplicableError. */
class NotApplicableError extends Error {
    constructor(readonly reason?: string) {
        super(reason ?? "Policy does not apply");
    }
}

/** What the analyzer's Configure and ConfigureStack calls set, read as the SDK reads them. */
interface ServerState {
    config: Record<string, Record<string, unknown> & { enforcementLevel?: Level }>;
    stackTags: ReadonlyMap<string, string>;
}

/** The request's resources as the SDK builds them for a stack policy (server.js, makeAnalyzeStackRpcFun). */
function buildResources(sdk: Sdk, messages: readonly ResourceMessage[]): PolicyResource[] {
    const built = messages.map((r) => {
        const type = r.getType();
        const props = sdk.unknownCheckingProxy(sdk.deserializeProperties(r.getProperties(), false));
        const resource: Record<string, unknown> = {
            type,
            props,
            urn: r.getUrn(),
            name: r.getName(),
            opts: resourceOptions(r),
            dependencies: [],
            propertyDependencies: {},
            isType: (resourceClass: unknown) => sdk.isTypeOf(type, resourceClass),
            asType: (resourceClass: unknown) => (sdk.isTypeOf(type, resourceClass) ? props : undefined),
        };
        const provider = r.getProvider();
        if (provider) {
            resource.provider = {
                type: provider.getType(),
                props: sdk.unknownCheckingProxy(sdk.deserializeProperties(provider.getProperties(), false)),
                urn: provider.getUrn(),
                name: provider.getName(),
            };
        }
        const propertyDependencies: Record<string, string[]> = {};
        for (const [k, v] of r.getPropertydependenciesMap()?.entries() ?? []) propertyDependencies[k] = v.getUrnsList();
        return { resource, parent: r.getParent(), dependencies: r.getDependenciesList(), propertyDependencies };
    });
    const byUrn = new Map(built.map((i) => [i.resource.urn as string, i.resource]));
    const linked = (urns: readonly string[]) => urns.map((u) => byUrn.get(u)).filter((d) => d !== undefined);
    for (const i of built) {
        const parent = i.parent ? byUrn.get(i.parent) : undefined;
        if (parent) i.resource.parent = parent;
        i.resource.dependencies = linked(i.dependencies);
        const deps = i.resource.propertyDependencies as Record<string, unknown>;
        for (const [k, v] of Object.entries(i.propertyDependencies)) deps[k] = linked(v);
    }
    return built.map((i) => i.resource as unknown as PolicyResource);
}

function resourceOptions(r: ResourceMessage): Record<string, unknown> {
    const opts = r.getOptions();
    if (!opts) throw new Error("A more recent version of the Pulumi CLI is required. To upgrade, see https://www.pulumi.com/docs/get-started/install/");
    const timeouts = opts.getCustomtimeouts();
    const out: Record<string, unknown> = {
        protect: opts.getProtect(),
        ignoreChanges: opts.getIgnorechangesList(),
        aliases: opts.getAliasesList(),
        customTimeouts: { createSeconds: timeouts?.getCreate() ?? 0, updateSeconds: timeouts?.getUpdate() ?? 0, deleteSeconds: timeouts?.getDelete() ?? 0 },
        additionalSecretOutputs: opts.getAdditionalsecretoutputsList(),
    };
    if (opts.getDeletebeforereplacedefined()) out.deleteBeforeReplace = opts.getDeletebeforereplace();
    if (opts.getParent()) out.parent = opts.getParent();
    return out;
}

/** The pack's identity, as the SDK's PolicyPack reads it. */
interface PackInfo {
    readonly name: string;
    readonly version: string;
    readonly enforcementLevel: Level;
}

/** The AnalyzeStack handler: the SDK's loop, resources built at most once per request. */
export function analyzeStackHandler(sdk: Sdk, pack: PackInfo, policies: readonly Policy[], state: ServerState): Handler {
    const run = async (request: { getResourcesList(): ResourceMessage[] }): Promise<unknown> => {
        const messages = request.getResourcesList();
        let resources: PolicyResource[] | undefined;
        const ds: Diagnostic[] = [];
        let notApplicable: unknown[] | undefined;
        const notApplicableFor = (name: string, reason: string | undefined) => {
            const entry = new sdk.analyzerproto.PolicyNotApplicable();
            entry.setPolicyName(name);
            entry.setReason(reason ?? "");
            (notApplicable ??= []).push(entry);
        };
        for (const p of policies) {
            let level: Level = state.config[p.name]?.enforcementLevel || p.enforcementLevel || pack.enforcementLevel;
            if (level === "disabled" || !sdk.isStackPolicy(p)) continue;
            if (level === "remediate") level = "mandatory";
            const pulumiType = sdk.getPulumiType(p.validateStack);
            if (pulumiType && !messages.some((r) => r.getType() === pulumiType)) {
                notApplicableFor(p.name, `Policy only applies to resources of type '${pulumiType}'`);
                continue;
            }
            const description = p.description;
            const reportViolation = (message: unknown, urn?: string) => {
                if (message && typeof message === "object") {
                    const info = message as Partial<Diagnostic> & { name?: string };
                    ds.push({
                        policyName: info.name || p.name,
                        policyPackName: pack.name,
                        policyPackVersion: pack.version,
                        message: info.message || info.description || description,
                        urn: info.urn,
                        description: info.description || description,
                        enforcementLevel: info.enforcementLevel || level,
                        severity: info.severity || p.severity,
                    });
                } else {
                    ds.push({ policyName: p.name, policyPackName: pack.name, policyPackVersion: pack.version, message: message ? `${description}\n${String(message)}` : description, urn, description, enforcementLevel: level, severity: p.severity });
                }
            };
            try {
                resources ??= buildResources(sdk, messages);
                const args: StackValidationArgs = {
                    resources,
                    getConfig: <T extends object>() => {
                        const { enforcementLevel: _level, ...properties } = state.config[p.name] ?? {};
                        return properties as T;
                    },
                    stackTags: state.stackTags,
                    notApplicable: (reason?: string): never => {
                        throw new NotApplicableError(reason);
                    },
                };
                await Promise.resolve(p.validateStack(args, reportViolation));
            } catch (e) {
                const policyFrom = `policy '${p.name}' from policy pack '${pack.name}@v${pack.version}'`;
                if (e instanceof sdk.UnknownValueError) {
                    const { validateStack: _v, name, ...diag } = p;
                    ds.push({ policyName: name, policyPackName: pack.name, policyPackVersion: pack.version, ...(diag as Omit<Diagnostic, "policyName" | "policyPackName" | "policyPackVersion" | "message">), message: `can't run ${policyFrom} during preview: ${e.message}`, enforcementLevel: "advisory" });
                } else if (e instanceof NotApplicableError) {
                    notApplicableFor(p.name, e.reason);
                } else {
                    throw sdk.asGrpcError(e, `Error validating resource with ${policyFrom}`);
                }
            }
        }
        return sdk.makeAnalyzeResponse(ds, notApplicable);
    };
    return function aiguardAnalyzeStack(call, callback) {
        run(call.request as { getResourcesList(): ResourceMessage[] }).then(
            (response) => callback(undefined, response),
            (err) => callback(err, undefined),
        );
    };
}

/** Reads what Configure sets, as the SDK's `configure` does. */
function readConfigure(sdk: Sdk, request: unknown): ServerState["config"] {
    const req = request as { getPolicyconfigMap(): { entries(): Iterable<[string, { getProperties(): StructMessage; getEnforcementlevel(): number }]> } };
    const config: ServerState["config"] = {};
    for (const [k, v] of req.getPolicyconfigMap().entries()) config[k] = { ...v.getProperties().toJavaScript(), enforcementLevel: sdk.convertEnforcementLevel(v.getEnforcementlevel()) };
    return config;
}

/** Reads what ConfigureStack sets, as the SDK's `configureStack` does. */
function readConfigureStack(request: unknown): ReadonlyMap<string, string> {
    const map = new Map<string, string>();
    (request as { getTagsMap(): { forEach(f: (v: string, k: string) => void): void } }).getTagsMap().forEach((v, k) => map.set(k, v));
    return map;
}

/**
 * `AIGUARD_SDK_ANALYZE_STACK=1` in the pack's environment keeps the SDK's own handler: the escape
 * hatch should this one ever be suspected, and the reference test/protocol/analyze-stack.test.ts
 * compares it with, response for response.
 */
export const SDK_HANDLER_ENV = "AIGUARD_SDK_ANALYZE_STACK";

/**
 * Serves the policy pack (`new PolicyPack(name, args)`), with the AnalyzeStack handler above in
 * place of the SDK's when the SDK has the expected shape.
 */
export function servePolicyPack(name: string, args: PolicyPackArgs): PolicyPack {
    const sdk = process.env[SDK_HANDLER_ENV] === "1" ? undefined : loadSdk();
    if (!sdk) return new PolicyPack(name, args);
    // As PolicyPack's constructor: the version from the package.json in the working directory.
    const version = String((require(path.join(process.cwd(), "package.json")) as { version?: unknown }).version ?? "");
    const pack: PackInfo = { name, version, enforcementLevel: args.enforcementLevel ?? "advisory" };
    const state: ServerState = { config: {}, stackTags: new Map() };
    const proto = sdk.grpcServer.prototype;
    const original = proto.addService;
    proto.addService = function (this: unknown, service: unknown, impl: Record<string, Handler>) {
        const s = service as Record<string, { path?: string } | undefined>;
        const sdkConfigure = impl.configure;
        const sdkConfigureStack = impl.configureStack;
        if (s.analyzeStack?.path === sdk.analyzeStackPath && version !== "" && sdkConfigure && sdkConfigureStack && impl.analyzeStack) {
            impl = {
                ...impl,
                configure(call, callback) {
                    try {
                        state.config = readConfigure(sdk, call.request);
                    } catch {
                        // The SDK's own handler reports the error.
                    }
                    sdkConfigure(call, callback);
                },
                configureStack(call, callback) {
                    try {
                        state.stackTags = readConfigureStack(call.request);
                    } catch {
                        // The SDK's own handler reports the error.
                    }
                    sdkConfigureStack(call, callback);
                },
                analyzeStack: analyzeStackHandler(sdk, pack, args.policies, state),
            };
        }
        return original.call(this, service, impl);
    };
    try {
        return new PolicyPack(name, args);
    } finally {
        proto.addService = original;
    }
}
