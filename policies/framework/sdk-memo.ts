/**
 * Per-request memoization of two @pulumi/policy internals, so that a large stack costs one
 * deserialization and one proxy per resource instead of one per resource per policy.
 *
 * Why: the SDK's AnalyzeStack handler runs, for every stack policy, over every resource:
 * `unknownCheckingProxy(deserializeProperties(r.getProperties(), false))`; its Analyze handler does
 * the same once per resource policy. With ~40 stack policies, that repeated work dominated the
 * pack's time on large stacks. Both functions are pure in what the SDK and aiguard do with their
 * results:
 *  - `deserializeProperties(struct, false)` builds plain data from a protobuf Struct. google-protobuf
 *    caches message fields, so `r.getProperties()` returns the same Struct object throughout one
 *    request; a WeakMap keyed by it holds one result per resource, for as long as the request lives.
 *    Nothing mutates the result: the SDK only wraps it in read-only proxies and aiguard rules get
 *    deeply frozen copies (`plainProps` in adapt.ts). `proxySecrets = true` (remediation) calls,
 *    which wrap secrets in fresh objects, pass through untouched.
 *  - `unknownCheckingProxy(target)` returns a stateless proxy over `target`; one per target suffices.
 *
 * The SDK's server reads both functions from their modules' exports at every call
 * (`deserialize_1.deserializeProperties(...)`, `proxy_1.unknownCheckingProxy(...)`), so replacing
 * the exports takes effect there. Guarded: when a module or export is missing or not writable,
 * nothing is patched and the pack keeps the SDK's behaviour (correct, only slower). Idempotent.
 */
import { createRequire } from "node:module";

const MEMOIZED = Symbol.for("aiguard.memoizedSdkFunction");

type AnyFunction = (...args: unknown[]) => unknown;

/** An SDK module's exports object (loaded with `require`: the object the SDK itself reads, not an import copy). */
function sdkModule(id: string): unknown {
    try {
        return createRequire(__filename)(id);
    } catch {
        return undefined;
    }
}

/**
 * Replaces `mod[key]` with a version memoized on its first argument (when it is an object and
 * `applies(args)`); other calls go to the original. Returns whether the memoized version is in place.
 */
function memoizeExport(mod: unknown, key: string, applies: (args: readonly unknown[]) => boolean): boolean {
    if (!mod || typeof mod !== "object") return false;
    const m = mod as Record<string, unknown>;
    const original = m[key];
    if (typeof original !== "function") return false;
    if ((original as { [MEMOIZED]?: true })[MEMOIZED]) return true;
    const memo = new WeakMap<object, unknown>();
    const memoized = function (this: unknown, ...args: unknown[]): unknown {
        const first = args[0];
        if (!first || typeof first !== "object" || !applies(args)) return (original as AnyFunction).apply(this, args);
        if (memo.has(first)) return memo.get(first);
        const out = (original as AnyFunction).apply(this, args);
        memo.set(first, out);
        return out;
    };
    Object.defineProperty(memoized, "name", { value: original.name });
    Object.defineProperty(memoized, MEMOIZED, { value: true });
    try {
        m[key] = memoized;
    } catch {
        return false;
    }
    return m[key] === memoized;
}

/**
 * Memoizes `deserializeProperties(struct, proxySecrets)` by Struct, for `proxySecrets` false.
 * @param mod the SDK's `@pulumi/policy/deserialize` module (default: the one the SDK's server uses).
 * @returns `true` when the memo is in place, `false` when there was nothing to patch.
 */
export function installDeserializeMemo(mod: unknown = sdkModule("@pulumi/policy/deserialize")): boolean {
    return memoizeExport(mod, "deserializeProperties", (args) => !args[1]);
}

/**
 * Memoizes `unknownCheckingProxy(target)` by target.
 * @param mod the SDK's `@pulumi/policy/proxy` module (default: the one the SDK's server uses).
 * @returns `true` when the memo is in place, `false` when there was nothing to patch.
 */
export function installProxyMemo(mod: unknown = sdkModule("@pulumi/policy/proxy")): boolean {
    return memoizeExport(mod, "unknownCheckingProxy", () => true);
}

/** Installs both memos; reports which are in place. */
export function installSdkMemos(): { readonly deserialize: boolean; readonly proxy: boolean } {
    return { deserialize: installDeserializeMemo(), proxy: installProxyMemo() };
}
