/**
 * The parts of @pulumi/policy's analyzer server (1.21.0) that aiguard's own Analyze and
 * AnalyzeStack handlers (analyzer-server.ts) use: the SDK's functions and protobuf modules, loaded
 * from the SDK's own location so they are the objects its server uses, and the shapes of the
 * request messages the handlers read. test/policies/framework/sdk-internals.test.ts checks them.
 */
import { createRequire } from "node:module";
import type { Policy, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

export type Level = "advisory" | "mandatory" | "remediate" | "disabled";
export type Severity = NonNullable<Policy["severity"]>;

/** One diagnostic, in the shape the SDK's `makeAnalyzeResponse` marshals. */
export interface Diagnostic {
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
export interface StructMessage {
    toJavaScript(): Record<string, unknown>;
}
export interface ResourceMessage {
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
export interface OptionsMessage {
    getProtect(): boolean;
    getIgnorechangesList(): string[];
    getAliasesList(): string[];
    getAdditionalsecretoutputsList(): string[];
    getCustomtimeouts(): { getCreate(): number; getUpdate(): number; getDelete(): number } | undefined;
    getDeletebeforereplacedefined(): boolean;
    getDeletebeforereplace(): boolean;
    getParent(): string;
}
export interface ProviderMessage {
    getType(): string;
    getUrn(): string;
    getName(): string;
    getProperties(): StructMessage | undefined;
}
export type Callback = (err: unknown, value?: unknown) => void;
export type Handler = (call: { request: unknown }, callback: Callback) => void;

/** The SDK modules this handler uses, loaded from the SDK's own location (the objects its server uses). */
export interface Sdk {
    readonly grpcServer: { prototype: { addService(service: unknown, impl: Record<string, Handler>): void } };
    readonly analyzeStackPath: string;
    readonly deserializeProperties: (struct: unknown, proxySecrets: boolean) => Record<string, unknown>;
    readonly unknownCheckingProxy: (target: unknown) => Record<string, unknown>;
    readonly UnknownValueError: new (...args: never[]) => Error;
    readonly convertEnforcementLevel: (level: number) => Level;
    readonly makeAnalyzeResponse: (ds: readonly Diagnostic[], notApplicable: unknown[] | undefined) => unknown;
    readonly asGrpcError: (e: unknown, message?: string) => unknown;
    readonly isStackPolicy: (p: Policy) => p is StackValidationPolicy;
    readonly isResourcePolicy: (p: Policy) => p is ResourceValidationPolicy;
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
        const policy = req("@pulumi/policy/policy") as Partial<Pick<Sdk, "isStackPolicy" | "isResourcePolicy" | "getPulumiType">>;
        const path_ = rpc.AnalyzerService?.analyzeStack?.path;
        const parts = [grpc.Server?.prototype?.addService, deserialize.deserializeProperties, proxy.unknownCheckingProxy, proxy.UnknownValueError, protoutil.convertEnforcementLevel, protoutil.makeAnalyzeResponse, protoutil.asGrpcError, policy.isStackPolicy, policy.isResourcePolicy, policy.getPulumiType, analyzerproto.PolicyNotApplicable];
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
            isResourcePolicy: policy.isResourcePolicy!,
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
