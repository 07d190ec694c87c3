/**
 * The policy configuration of the whole pack, as the engine sent it in its `Configure` call.
 *
 * Why: CrossGuard hands each policy only its own config (`args.getConfig()`), but whether an
 * exemption "matches nothing" can only be judged across the pack: `aiguard check` spreads a
 * pack-wide exemption into every policy's config, and a user may put an exemption naming rule Y
 * under policy X (where Y never sees it). The exemptions report therefore needs every policy's
 * exemptions, including those of policies that never ran (no resource of their type).
 *
 * How: the SDK's server reads the request with `ConfigureAnalyzerRequest.prototype.getPolicyconfigMap`
 * (from the `@pulumi/pulumi/proto/analyzer_pb` it loads itself); that method is wrapped so each call
 * also records the config it returns. Guarded and idempotent: when the method is missing,
 * {@link packConfig} says the config is unknown, and the report says so rather than staying silent.
 * test/policies/framework/sdk-internals.test.ts checks the SDK still calls it.
 */
import { createRequire } from "node:module";

const WRAPPED = Symbol.for("aiguard.packConfigCapture");

/** Each policy's config properties (enforcement level aside), by policy name. */
export type PackConfig = ReadonlyMap<string, Readonly<Record<string, unknown>>>;

let captured: Map<string, Record<string, unknown>> | undefined;
let installed = false;

/** The `analyzer_pb` module the SDK's server uses (resolved from `@pulumi/policy`'s own location). */
function analyzerProto(): any {
    try {
        const req = createRequire(__filename);
        return createRequire(req.resolve("@pulumi/policy/server"))("@pulumi/pulumi/proto/analyzer_pb");
    } catch {
        return undefined;
    }
}

function record(map: any): void {
    const out = new Map<string, Record<string, unknown>>();
    try {
        for (const [name, value] of map.entries() as Iterable<[string, any]>) {
            const props = value?.getProperties?.()?.toJavaScript?.();
            out.set(name, props && typeof props === "object" ? (props as Record<string, unknown>) : {});
        }
        captured = out;
    } catch {
        captured = undefined;
    }
}

/**
 * Wraps the request's getter once. Returns whether the capture is in place.
 * @param proto the `analyzer_pb` module (default: the one the SDK's server uses).
 */
export function installPackConfigCapture(proto: any = analyzerProto()): boolean {
    const prototype = proto?.ConfigureAnalyzerRequest?.prototype;
    const original = prototype?.getPolicyconfigMap;
    if (typeof original !== "function") return false;
    if (original[WRAPPED]) return (installed = true);
    const wrapped = function (this: unknown, ...args: unknown[]) {
        const map = original.apply(this, args);
        record(map);
        return map;
    };
    Object.defineProperty(wrapped, WRAPPED, { value: true });
    prototype.getPolicyconfigMap = wrapped;
    return (installed = prototype.getPolicyconfigMap === wrapped);
}

/**
 * The config of every policy from the last `Configure` call: an empty map when the engine sent
 * none, `undefined` when the capture could not be installed (the pack cannot see other policies' config).
 */
export function packConfig(): PackConfig | undefined {
    if (!installed) return undefined;
    return captured ?? new Map();
}
