/**
 * aiguard serves the analyzer's `Analyze` and `AnalyzeStack` calls itself: the SDK's own loops
 * over the policies, with each request's resources built once instead of once per policy.
 *
 * Why: @pulumi/policy's handlers (`makeAnalyzeRpcFun`, `makeAnalyzeStackRpcFun`, 1.21.0) rebuild
 * the request's resources for every policy: deserialized properties, an unknown-checking proxy,
 * options, provider, closures and, for stack policies, the parent and dependency links. aiguard
 * has some 35 stack policies, so a 10k-resource stack cost 350k resource objects per AnalyzeStack
 * call, most of the call's time and of the pack's peak memory; and every Analyze call built the
 * resource again for each policy that judges several types. Nothing in that work depends on the policy.
 *
 * What stays the SDK's: policy order; the level (the policy's config, then the policy, then the
 * pack), `disabled` skipped, `remediate` reported as mandatory; the single-type fast path and its
 * not-applicable entries; the `reportViolation` diagnostics (same fields; the SDK's own
 * `makeAnalyzeResponse` marshals them); `getConfig` (the policy's config without its level);
 * stack tags; an `UnknownValueError` as the SDK's advisory "can't run policy"; `notApplicable()`;
 * any other error as the SDK's gRPC error. Config and stack tags are read from the SDK's own
 * `Configure` and `ConfigureStack` requests, which still reach the SDK.
 *
 * What differs, invisibly in the responses: every policy of one request receives the same
 * resource objects (aiguard's policies only read them: the adapter hands rules frozen copies);
 * a validation that declares the types it judges ({@link JUDGED_TYPES}, set by the adapter on
 * rules of several types) is not called for other types, where it would return without a word;
 * not-applicable entries are reused across responses.
 *
 * How it is installed: `servePolicyPack` wraps the `addService` of the gRPC server class the SDK
 * uses, for the one `PolicyPack` construction, and replaces the two implementations when the
 * service is the analyzer's; `addService` is restored at once. When the SDK's shape is not the
 * expected one (another major version), nothing is replaced: the SDK's handlers run, correct and
 * slower (as with `AIGUARD_SDK_HANDLERS=1`). test/policies/framework/sdk-internals.test.ts checks
 * the shape this relies on; test/protocol/analyzer-server.test.ts checks that aiguard's handlers
 * and the SDK's answer byte for byte the same.
 */
import * as path from "node:path";
import { PolicyPack, type Policy, type PolicyPackArgs, type PolicyResource, type StackValidationArgs } from "@pulumi/policy";
import { loadSdk, type Diagnostic, type Handler, type Level, type ResourceMessage, type Sdk, type StructMessage } from "./sdk-server";

/** Raised by `args.notApplicable(reason)`, as the SDK's own (module-private) NotApplicableError. */
class NotApplicableError extends Error {
    constructor(readonly reason?: string) {
        super(reason ?? "Policy does not apply");
    }
}

const throwNotApplicable = (reason?: string): never => {
    throw new NotApplicableError(reason);
};

/**
 * Set by the adapter on a validation that judges several types: the type tokens it judges. For
 * any other type the validation returns without reporting, so the handler does not call it.
 */
export const JUDGED_TYPES = Symbol.for("aiguard.judgedTypes");

/** What Configure and ConfigureStack set, read as the SDK reads them. */
interface ServerState {
    config: Record<string, Record<string, unknown> & { enforcementLevel?: Level }>;
    stackTags: ReadonlyMap<string, string>;
}

/** The pack's identity, as the SDK's PolicyPack reads it. */
interface PackInfo {
    readonly name: string;
    readonly version: string;
    readonly enforcementLevel: Level;
}

/** What the handlers share: the SDK, the pack, its policies, the server state, reused messages. */
interface Server {
    readonly sdk: Sdk;
    readonly pack: PackInfo;
    readonly policies: readonly Policy[];
    readonly state: ServerState;
    /** Not-applicable entries by policy and reason (plain messages, only ever serialized). */
    readonly notApplicable: Map<string, unknown>;
}

/** The fields of a resource both handlers give policies (server.js: Analyze's args, AnalyzeStack's resources). */
function resourceFields(sdk: Sdk, r: ResourceMessage): Record<string, unknown> {
    const type = r.getType();
    const props = sdk.unknownCheckingProxy(sdk.deserializeProperties(r.getProperties(), false));
    const out: Record<string, unknown> = {
        type,
        props,
        urn: r.getUrn(),
        name: r.getName(),
        opts: resourceOptions(r),
        isType: (resourceClass: unknown) => sdk.isTypeOf(type, resourceClass),
        asType: (resourceClass: unknown) => (sdk.isTypeOf(type, resourceClass) ? props : undefined),
    };
    const provider = r.getProvider();
    if (provider) {
        out.provider = {
            type: provider.getType(),
            props: sdk.unknownCheckingProxy(sdk.deserializeProperties(provider.getProperties(), false)),
            urn: provider.getUrn(),
            name: provider.getName(),
        };
    }
    return out;
}

/** The request's resources as the SDK builds them for a stack policy (server.js, makeAnalyzeStackRpcFun). */
function buildResources(sdk: Sdk, messages: readonly ResourceMessage[]): PolicyResource[] {
    const built = messages.map((r) => {
        const resource: Record<string, unknown> = { ...resourceFields(sdk, r), dependencies: [], propertyDependencies: {} };
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

/** The level a policy runs at: its config, then its own, then the pack's (server.js). */
function levelOf(server: Server, p: Policy): Level {
    return server.state.config[p.name]?.enforcementLevel || p.enforcementLevel || server.pack.enforcementLevel;
}

/** One request's diagnostics and not-applicable entries, and the SDK's ways of adding to them. */
class Outcome {
    readonly ds: Diagnostic[] = [];
    notApplicable: unknown[] | undefined;

    constructor(private readonly server: Server) {}

    /** server.js `pushNotApplicable`, with the entry reused across responses. */
    notApplicableFor(policyName: string, reason: string | undefined): void {
        const key = `${policyName}\n${reason ?? ""}`;
        let entry = this.server.notApplicable.get(key);
        if (!entry) {
            const na = new this.server.sdk.analyzerproto.PolicyNotApplicable();
            na.setPolicyName(policyName);
            if (reason) na.setReason(reason);
            this.server.notApplicable.set(key, (entry = na));
        }
        (this.notApplicable ??= []).push(entry);
    }

    /** server.js `makeReportViolationFun`. */
    reporter(p: Policy, level: Level): (message: unknown, urn?: string) => void {
        const { name: packName, version } = this.server.pack;
        const description = p.description;
        return (message, urn) => {
            if (message && typeof message === "object") {
                const info = message as Partial<Diagnostic> & { name?: string };
                this.ds.push({
                    policyName: info.name || p.name,
                    policyPackName: packName,
                    policyPackVersion: version,
                    message: info.message || info.description || description,
                    urn: info.urn,
                    description: info.description || description,
                    enforcementLevel: info.enforcementLevel || level,
                    severity: info.severity || p.severity,
                });
            } else {
                this.ds.push({ policyName: p.name, policyPackName: packName, policyPackVersion: version, message: message ? `${description}\n${String(message)}` : description, urn, description, enforcementLevel: level, severity: p.severity });
            }
        };
    }

    /** server.js's catch around a validation: unknowns as an advisory, not-applicable noted, the rest a gRPC error. */
    failed(e: unknown, p: Policy, validation: "validateResource" | "validateStack"): void {
        const { name: packName, version } = this.server.pack;
        const policyFrom = `policy '${p.name}' from policy pack '${packName}@v${version}'`;
        if (e instanceof this.server.sdk.UnknownValueError) {
            const { [validation]: _v, name, ...diag } = p as Policy & Record<string, unknown>;
            this.ds.push({ policyName: name, policyPackName: packName, policyPackVersion: version, ...(diag as Omit<Diagnostic, "policyName" | "policyPackName" | "policyPackVersion" | "message">), message: `can't run ${policyFrom} during preview: ${e.message}`, enforcementLevel: "advisory" });
        } else if (e instanceof NotApplicableError) {
            this.notApplicableFor(p.name, e.reason);
        } else {
            throw this.server.sdk.asGrpcError(e, `Error validating resource with ${policyFrom}`);
        }
    }

    response(): unknown {
        return this.server.sdk.makeAnalyzeResponse(this.ds, this.notApplicable);
    }
}

const getConfigOf = (server: Server, p: Policy) => <T extends object>(): T => {
    const { enforcementLevel: _level, ...properties } = server.state.config[p.name] ?? {};
    return properties as T;
};

/** Wraps a request handler as a gRPC unary handler. */
function unary<R>(name: string, run: (request: R) => Promise<unknown>): Handler {
    const handler: Handler = (call, callback) => {
        run(call.request as R).then(
            (response) => callback(undefined, response),
            (err) => callback(err, undefined),
        );
    };
    Object.defineProperty(handler, "name", { value: name });
    return handler;
}

/** Analyze: the SDK's loop over the resource policies, the resource built at most once. */
export function analyzeHandler(server: Server): Handler {
    const { sdk, policies, state } = server;
    return unary<ResourceMessage>("aiguardAnalyze", async (req) => {
        const type = req.getType();
        const outcome = new Outcome(server);
        let fields: Record<string, unknown> | undefined;
        for (const p of policies) {
            let level = levelOf(server, p);
            if (level === "disabled" || !sdk.isResourcePolicy(p)) continue;
            if (!p.validateResource) {
                outcome.notApplicableFor(p.name, "Policy does not implement validateResource");
                continue;
            }
            if (level === "remediate") level = "mandatory";
            if (!Array.isArray(p.validateResource)) {
                const pulumiType = sdk.getPulumiType(p.validateResource);
                if (pulumiType && type !== pulumiType) {
                    outcome.notApplicableFor(p.name, `Policy only applies to resources of type '${pulumiType}'`);
                    continue;
                }
            }
            const reportViolation = outcome.reporter(p, level);
            const validations = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
            for (const validation of validations) {
                const judged = (validation as { [JUDGED_TYPES]?: ReadonlySet<string> })[JUDGED_TYPES];
                if (judged && !judged.has(type)) continue;
                try {
                    fields ??= resourceFields(sdk, req);
                    const args = { ...fields, stackTags: state.stackTags, getConfig: getConfigOf(server, p), notApplicable: throwNotApplicable };
                    await Promise.resolve(validation(args as unknown as Parameters<typeof validation>[0], reportViolation));
                } catch (e) {
                    outcome.failed(e, p, "validateResource");
                }
            }
        }
        return outcome.response();
    });
}

/** AnalyzeStack: the SDK's loop over the stack policies, resources built at most once per request. */
export function analyzeStackHandler(server: Server): Handler {
    const { sdk, policies, state } = server;
    return unary<{ getResourcesList(): ResourceMessage[] }>("aiguardAnalyzeStack", async (request) => {
        const messages = request.getResourcesList();
        const outcome = new Outcome(server);
        let resources: PolicyResource[] | undefined;
        for (const p of policies) {
            let level = levelOf(server, p);
            if (level === "disabled" || !sdk.isStackPolicy(p)) continue;
            if (level === "remediate") level = "mandatory";
            const pulumiType = sdk.getPulumiType(p.validateStack);
            if (pulumiType && !messages.some((r) => r.getType() === pulumiType)) {
                outcome.notApplicableFor(p.name, `Policy only applies to resources of type '${pulumiType}'`);
                continue;
            }
            const reportViolation = outcome.reporter(p, level);
            try {
                resources ??= buildResources(sdk, messages);
                const args: StackValidationArgs = { resources, getConfig: getConfigOf(server, p), stackTags: state.stackTags, notApplicable: throwNotApplicable };
                await Promise.resolve(p.validateStack(args, reportViolation));
            } catch (e) {
                outcome.failed(e, p, "validateStack");
            }
        }
        return outcome.response();
    });
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
 * `AIGUARD_SDK_HANDLERS=1` in the pack's environment keeps the SDK's own handlers: the escape
 * hatch should aiguard's ever be suspected, and the reference test/protocol/analyzer-server.test.ts
 * compares them with, response for response.
 */
export const SDK_HANDLERS_ENV = "AIGUARD_SDK_HANDLERS";

/**
 * Serves the policy pack (`new PolicyPack(name, args)`), with the handlers above in place of the
 * SDK's Analyze and AnalyzeStack when the SDK has the expected shape.
 */
export function servePolicyPack(name: string, args: PolicyPackArgs): PolicyPack {
    const sdk = process.env[SDK_HANDLERS_ENV] === "1" ? undefined : loadSdk();
    if (!sdk) return new PolicyPack(name, args);
    // As PolicyPack's constructor: the version from the package.json in the working directory.
    const version = String((require(path.join(process.cwd(), "package.json")) as { version?: unknown }).version ?? "");
    const server: Server = {
        sdk,
        pack: { name, version, enforcementLevel: args.enforcementLevel ?? "advisory" },
        policies: args.policies,
        state: { config: {}, stackTags: new Map() },
        notApplicable: new Map(),
    };
    const proto = sdk.grpcServer.prototype;
    const original = proto.addService;
    proto.addService = function (this: unknown, service: unknown, impl: Record<string, Handler>) {
        const s = service as Record<string, { path?: string } | undefined>;
        const { configure, configureStack } = impl;
        if (s.analyzeStack?.path === sdk.analyzeStackPath && version !== "" && configure && configureStack && impl.analyze && impl.analyzeStack) {
            impl = {
                ...impl,
                configure(call, callback) {
                    try {
                        server.state.config = readConfigure(sdk, call.request);
                    } catch {
                        // The SDK's own handler reports the error.
                    }
                    configure(call, callback);
                },
                configureStack(call, callback) {
                    try {
                        server.state.stackTags = readConfigureStack(call.request);
                    } catch {
                        // The SDK's own handler reports the error.
                    }
                    configureStack(call, callback);
                },
                analyze: analyzeHandler(server),
                analyzeStack: analyzeStackHandler(server),
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
