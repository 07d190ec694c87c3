/**
 * A typed client for a CrossGuard policy pack, speaking the analyzer gRPC protocol exactly as the
 * Pulumi CLI does: it starts the pack with `@pulumi/pulumi/cmd/run-policy-pack` (cwd = the pack
 * directory), reads the port from stdout, and talks to it with the generated `pulumirpc.Analyzer`
 * client over the @grpc/grpc-js that @pulumi/pulumi itself uses.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import * as fs from "node:fs";
import * as path from "node:path";
import { PACK_DIR, PACKAGE_ROOT } from "./package-root";
import type { RecordedResource } from "./recorded";

const here = createRequire(__filename);
/** Resolve protobuf/grpc modules from @pulumi/pulumi's own dependency tree (message classes must match). */
const fromPulumi = createRequire(here.resolve("@pulumi/pulumi/proto/analyzer_pb"));
const grpc = fromPulumi("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
const pb = fromPulumi("./analyzer_pb") as any;
const rpc = fromPulumi("./analyzer_grpc_pb") as any;
const structPb = fromPulumi("google-protobuf/google/protobuf/struct_pb") as any;
const emptyPb = fromPulumi("google-protobuf/google/protobuf/empty_pb") as any;

export { PACK_DIR } from "./package-root";

export type EnforcementLevel = "advisory" | "mandatory" | "disabled" | "remediate";
export type Severity = "" | "low" | "medium" | "high" | "critical";

const LEVELS: Record<number, EnforcementLevel> = { 0: "advisory", 1: "mandatory", 2: "disabled", 3: "remediate" };
const LEVEL_CODES: Record<EnforcementLevel, number> = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 };
const SEVERITIES: Record<number, Severity> = { 0: "", 1: "low", 2: "medium", 3: "high", 4: "critical" };

/** One diagnostic the pack returned. `urn` is empty for Analyze (the engine attributes it to the resource it asked about). */
export interface Diagnostic {
    readonly policyName: string;
    readonly message: string;
    readonly urn: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly severity: Severity;
}

/** A policy as GetAnalyzerInfo describes it. */
export interface PolicyMetadata {
    readonly name: string;
    readonly description: string;
    readonly type: "resource" | "stack" | "unknown";
    readonly enforcementLevel: EnforcementLevel;
    readonly severity: Severity;
    readonly remediationSteps: string;
    readonly url: string;
    readonly tags: readonly string[];
    readonly framework?: { name: string; version: string; reference: string; specification: string };
    readonly configSchema?: { properties: Record<string, any>; required: readonly string[] };
}

export interface AnalyzerInfo {
    readonly name: string;
    readonly version: string;
    readonly supportsConfig: boolean;
    readonly policies: readonly PolicyMetadata[];
}

/** A resource as the engine sends it: inputs for Analyze, outputs for AnalyzeStack. */
export interface AnalyzerResourceInput {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly properties: Record<string, unknown>;
    readonly parent?: string;
    readonly dependencies?: readonly string[];
    /** Property name to the URNs its value came from (AnalyzeStack). */
    readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

/** Per-policy configuration, as in a `--policy-pack-config` file. */
export type PackConfig = Record<string, { enforcementLevel?: EnforcementLevel; [key: string]: unknown }>;

/** Drops `undefined` (which protobuf Struct cannot carry) by a JSON round trip. */
function plain(v: Record<string, unknown>): Record<string, unknown> {
    return JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
}

function call<Req, Res>(client: any, method: string, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
        client[method](req, (err: Error | null, res: Res) => (err ? reject(err) : resolve(res)));
    });
}

function toDiagnostics(res: any): Diagnostic[] {
    return res.getDiagnosticsList().map((d: any) => ({
        policyName: d.getPolicyname(),
        message: d.getMessage(),
        urn: d.getUrn(),
        enforcementLevel: LEVELS[d.getEnforcementlevel()] ?? "advisory",
        severity: SEVERITIES[d.getSeverity()] ?? "",
    }));
}

function resourceMessage(r: AnalyzerResourceInput, forStack: boolean): any {
    const msg = forStack ? new pb.AnalyzerResource() : new pb.AnalyzeRequest();
    msg.setType(r.type);
    msg.setName(r.name);
    msg.setUrn(r.urn);
    msg.setProperties(structPb.Struct.fromJavaScript(plain(r.properties)));
    // Without options the SDK answers "A more recent version of the Pulumi CLI is required".
    const options = new pb.AnalyzerResourceOptions();
    if (r.parent) options.setParent(r.parent);
    msg.setOptions(options);
    if (forStack) {
        if (r.parent) msg.setParent(r.parent);
        msg.setDependenciesList([...(r.dependencies ?? [])]);
        // As the engine does for every resource of AnalyzeStack (AnalyzeRequest has no such fields).
        const map = msg.getPropertydependenciesMap();
        for (const [prop, urns] of Object.entries(r.propertyDependencies ?? {})) {
            const deps = new pb.AnalyzerPropertyDependencies();
            deps.setUrnsList([...urns]);
            map.set(prop, deps);
        }
    }
    return msg;
}

/** The analyzer gRPC client. */
export class AnalyzerClient {
    private readonly client: any;

    constructor(address: string) {
        // No size limit on replies: a large stack's AnalyzeStack answer (thousands of diagnostics)
        // exceeds gRPC's 4 MB default, and the Pulumi CLI does not cap it either.
        this.client = new rpc.AnalyzerClient(address, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": -1,
            "grpc.max_send_message_length": -1,
        });
    }

    async getAnalyzerInfo(): Promise<AnalyzerInfo> {
        const info: any = await call(this.client, "getAnalyzerInfo", new emptyPb.Empty());
        return {
            name: info.getName(),
            version: info.getVersion(),
            supportsConfig: info.getSupportsconfig(),
            policies: info.getPoliciesList().map((p: any): PolicyMetadata => {
                const schema = p.getConfigschema();
                const fw = p.getFramework();
                return {
                    name: p.getName(),
                    description: p.getDescription(),
                    type: p.getPolicyType() === 1 ? "resource" : p.getPolicyType() === 2 ? "stack" : "unknown",
                    enforcementLevel: LEVELS[p.getEnforcementlevel()] ?? "advisory",
                    severity: SEVERITIES[p.getSeverity()] ?? "",
                    remediationSteps: p.getRemediationSteps(),
                    url: p.getUrl(),
                    tags: p.getTagsList(),
                    framework: fw ? { name: fw.getName(), version: fw.getVersion(), reference: fw.getReference(), specification: fw.getSpecification() } : undefined,
                    configSchema: schema ? { properties: schema.getProperties()?.toJavaScript() ?? {}, required: schema.getRequiredList() } : undefined,
                };
            }),
        };
    }

    /**
     * Sends the Configure RPC the way the CLI does: every policy of the pack gets an entry with its
     * enforcement level (the given one, else the policy's default) and its properties (schema
     * defaults, overridden by the given values).
     */
    async configure(config: PackConfig, info?: AnalyzerInfo): Promise<void> {
        const pack = info ?? (await this.getAnalyzerInfo());
        const req = new pb.ConfigureAnalyzerRequest();
        const map = req.getPolicyconfigMap();
        for (const unknownName of Object.keys(config)) {
            if (!pack.policies.some((p) => p.name === unknownName)) throw new Error(`configure: the pack has no policy named "${unknownName}"`);
        }
        for (const policy of pack.policies) {
            const { enforcementLevel, ...given } = config[policy.name] ?? {};
            const properties: Record<string, unknown> = {};
            for (const [k, s] of Object.entries(policy.configSchema?.properties ?? {})) if (s && s.default !== undefined) properties[k] = s.default;
            Object.assign(properties, given);
            const pc = new pb.PolicyConfig();
            pc.setEnforcementlevel(LEVEL_CODES[enforcementLevel ?? policy.enforcementLevel]);
            pc.setProperties(structPb.Struct.fromJavaScript(plain(properties)));
            map.set(policy.name, pc);
        }
        await call(this.client, "configure", req);
    }

    /** Analyze: one resource's inputs. */
    async analyze(resource: AnalyzerResourceInput): Promise<Diagnostic[]> {
        return toDiagnostics(await this.analyzeResponse(resource));
    }

    /** Analyze, answering the response message itself (every field, not-applicable entries included). */
    async analyzeResponse(resource: AnalyzerResourceInput): Promise<{ serializeBinary(): Uint8Array }> {
        return (await call(this.client, "analyze", resourceMessage(resource, false))) as { serializeBinary(): Uint8Array };
    }

    /** AnalyzeStack: every resource's outputs. */
    async analyzeStack(resources: readonly AnalyzerResourceInput[]): Promise<Diagnostic[]> {
        return toDiagnostics(await this.analyzeStackResponse(resources));
    }

    /** AnalyzeStack, answering the response message itself (every field, not-applicable entries included). */
    async analyzeStackResponse(resources: readonly AnalyzerResourceInput[]): Promise<{ serializeBinary(): Uint8Array }> {
        const req = new pb.AnalyzeStackRequest();
        req.setResourcesList(resources.map((r) => resourceMessage(r, true)));
        return (await call(this.client, "analyzeStack", req)) as { serializeBinary(): Uint8Array };
    }

    close(): void {
        this.client.close();
    }
}

/**
 * Compiles the pack to `policies/bin` with the project's TypeScript, and writes its rule manifest
 * (`bin/rules.json`); throws with tsc's output on
 * errors. The output goes to a fresh directory that then replaces `bin` by rename, so a pack
 * process starting meanwhile never loads a half-written build.
 */
export function buildPack(): void {
    const tsc = here.resolve("typescript/bin/tsc");
    const stamp = `${process.pid}-${Date.now()}`;
    const fresh = path.join(PACK_DIR, `.bin-${stamp}`);
    const bin = path.join(PACK_DIR, "bin");
    try {
        execFileSync(process.execPath, [tsc, "-p", path.join(PACK_DIR, "tsconfig.json"), "--outDir", fresh], { cwd: PACKAGE_ROOT, stdio: "pipe" });
        // The rule manifest (common/rule-manifest.ts), written by the freshly built pack itself.
        execFileSync(process.execPath, [path.join(fresh, "policies", "manifest.js"), fresh], { cwd: PACK_DIR, stdio: "pipe" });
    } catch (e) {
        fs.rmSync(fresh, { recursive: true, force: true });
        const err = e as { stdout?: Buffer; stderr?: Buffer; message: string };
        throw new Error(`building the policy pack failed:\n${String(err.stdout ?? "")}${String(err.stderr ?? "")}${err.message}`);
    }
    const old = path.join(PACK_DIR, `.bin-old-${stamp}`);
    if (fs.existsSync(bin)) fs.renameSync(bin, old);
    fs.renameSync(fresh, bin);
    fs.rmSync(old, { recursive: true, force: true });
}

/** A running pack process and a client connected to it. */
export class RunningPack {
    private constructor(
        readonly process: ChildProcess,
        readonly port: number,
        readonly client: AnalyzerClient,
        /** Milliseconds from spawn to the port on stdout. */
        readonly startupMs: number,
    ) {}

    /** Starts the pack as the CLI does: `node run-policy-pack <engine> <packDir>` with cwd = packDir (`env`: the process's environment, default this one's). */
    static start(packDir: string = PACK_DIR, timeoutMs = 60_000, env?: NodeJS.ProcessEnv): Promise<RunningPack> {
        const runner = path.join(path.dirname(here.resolve("@pulumi/pulumi/package.json")), "cmd", "run-policy-pack");
        const started = Date.now();
        const child = spawn(process.execPath, [runner, "127.0.0.1:1", packDir], { cwd: packDir, stdio: ["ignore", "pipe", "pipe"], ...(env ? { env } : {}) });
        return new Promise((resolve, reject) => {
            let stdout = "";
            let stderr = "";
            const fail = (why: string) => {
                clearTimeout(timer);
                child.kill();
                reject(new Error(`policy pack did not start: ${why}\nstdout: ${stdout}\nstderr: ${stderr}`));
            };
            const timer = setTimeout(() => fail(`no port on stdout after ${timeoutMs} ms`), timeoutMs);
            child.stderr!.on("data", (d) => (stderr += String(d)));
            child.on("exit", (code) => fail(`exited with code ${code}`));
            child.stdout!.on("data", (d) => {
                stdout += String(d);
                const m = /^(\d+)\s*$/m.exec(stdout);
                if (!m) return;
                clearTimeout(timer);
                child.removeAllListeners("exit");
                const port = Number(m[1]);
                resolve(new RunningPack(child, port, new AnalyzerClient(`127.0.0.1:${port}`), Date.now() - started));
            });
        });
    }

    /** Closes the client and kills the process, waiting for it to exit. */
    async stop(): Promise<void> {
        this.client.close();
        if (this.process.exitCode !== null || this.process.signalCode !== null) return;
        await new Promise<void>((resolve) => {
            this.process.once("exit", () => resolve());
            this.process.kill();
        });
    }
}

/**
 * Converts an offline run's registrations into what the engine would send: inputs for Analyze,
 * outputs for AnalyzeStack (both with URN, name, type and parent).
 */
export function fromRecorded(resources: readonly RecordedResource[]): { inputs: AnalyzerResourceInput[]; outputs: AnalyzerResourceInput[] } {
    const base = (r: RecordedResource) => ({
        type: r.type,
        name: r.name,
        urn: r.urn,
        parent: r.parent,
        dependencies: r.dependencies,
        ...(r.propertyDependencies ? { propertyDependencies: r.propertyDependencies } : {}),
    });
    return {
        inputs: resources.map((r) => ({ ...base(r), properties: r.inputs })),
        outputs: resources.map((r) => ({ ...base(r), properties: r.outputs })),
    };
}
