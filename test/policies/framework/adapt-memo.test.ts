/**
 * The adapter's per-request memoization: the SDK's deserializer memoized by protobuf Struct, its
 * unknown-checking proxy by target, and rules' property bags normalised once, deeply frozen, and
 * shared by every rule of a request.
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import type { StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { plainProps, toPolicy } from "../../../policies/framework/adapt";
import { installDeserializeMemo, installProxyMemo } from "../../../policies/framework/sdk-memo";
import { UNKNOWN, type RuleResource, type StackRule } from "../../../policies/framework/rule";
import { byType } from "../../../policies/framework/values";

const req = createRequire(__filename);
const fromPulumi = createRequire(req.resolve("@pulumi/pulumi/proto/analyzer_pb"));
const pb = fromPulumi("./analyzer_pb") as any;
const structPb = fromPulumi("google-protobuf/google/protobuf/struct_pb") as any;
const sdkDeserialize = req("@pulumi/policy/deserialize") as { deserializeProperties(s: unknown, proxySecrets: boolean): Record<string, unknown> };
const sdkProxy = req("@pulumi/policy/proxy") as { unknownCheckingProxy<T>(v: T): T; unknownStringValue: string };
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";

const PROPS = {
    bucket: "models-0a1b2c3",
    tags: { "aiguard:asset-kind": "model-store" },
    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "arn:aws:kms:eu-west-2:123456789012:key/1" } }],
    password: { [SECRET_SIG]: SECRET, value: "hunter2" },
    pending: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
};

/** A Struct as the pack receives it: encoded by the client, decoded from the wire. */
function wireRequest(): any {
    const r = new pb.AnalyzerResource();
    r.setType("aws:s3/bucket:Bucket");
    r.setName("models");
    r.setUrn("urn:pulumi:dev::p::aws:s3/bucket:Bucket::models");
    r.setProperties(structPb.Struct.fromJavaScript(PROPS));
    r.setOptions(new pb.AnalyzerResourceOptions());
    const request = new pb.AnalyzeStackRequest();
    request.setResourcesList([r]);
    return pb.AnalyzeStackRequest.deserializeBinary(request.serializeBinary());
}

describe("installDeserializeMemo", () => {
    const fakeModule = () => {
        let calls = 0;
        const mod = {
            deserializeProperties: (struct: { n: number }, proxySecrets: boolean) => ({ n: struct.n, proxySecrets, call: ++calls }),
            calls: () => calls,
        };
        return mod;
    };

    it("returns the same object for the same Struct, a new one for another Struct", () => {
        const mod = fakeModule();
        expect(installDeserializeMemo(mod)).toBe(true);
        const a = { n: 1 };
        const first = mod.deserializeProperties(a, false);
        expect(mod.deserializeProperties(a, false)).toBe(first);
        expect(mod.deserializeProperties({ n: 1 }, false)).not.toBe(first);
        expect(mod.calls()).toBe(2);
    });

    it("passes proxySecrets = true (remediation) through without memoizing", () => {
        const mod = fakeModule();
        installDeserializeMemo(mod);
        const a = { n: 1 };
        expect(mod.deserializeProperties(a, true)).toEqual({ n: 1, proxySecrets: true, call: 1 });
        expect(mod.deserializeProperties(a, true)).toEqual({ n: 1, proxySecrets: true, call: 2 });
    });

    it("is idempotent: a second install does not wrap twice", () => {
        const mod = fakeModule();
        installDeserializeMemo(mod);
        const wrapped = mod.deserializeProperties;
        expect(installDeserializeMemo(mod)).toBe(true);
        expect(mod.deserializeProperties).toBe(wrapped);
    });

    it("leaves a module without the export alone and reports it", () => {
        const mod: Record<string, unknown> = { somethingElse: 1 };
        expect(installDeserializeMemo(mod)).toBe(false);
        expect(mod).toEqual({ somethingElse: 1 });
        expect(installDeserializeMemo({ deserializeProperties: "not a function" })).toBe(false);
        expect(installDeserializeMemo(null)).toBe(false);
        const frozen = Object.freeze({ deserializeProperties: (s: unknown) => ({ s }) });
        expect(installDeserializeMemo(frozen)).toBe(false);
    });

    it("patches the module the SDK's server reads, with results identical to the SDK's own", () => {
        // server.js calls `require("./deserialize").deserializeProperties` at each use: the same module object.
        expect(req.resolve("@pulumi/policy/deserialize")).toBe(path.join(path.dirname(req.resolve("@pulumi/policy/server")), "deserialize.js"));
        const original = sdkDeserialize.deserializeProperties;
        const expected = original(wireRequest().getResourcesList()[0].getProperties(), false);
        expect(expected.password).toBe("hunter2");
        expect(expected.pending).toBe(sdkProxy.unknownStringValue);
        expect(installDeserializeMemo()).toBe(true);
        expect(sdkDeserialize.deserializeProperties).not.toBe(original);
        const resource = wireRequest().getResourcesList()[0];
        // google-protobuf caches message fields: every policy of a request gets the same Struct object.
        expect(resource.getProperties()).toBe(resource.getProperties());
        const memoized = sdkDeserialize.deserializeProperties(resource.getProperties(), false);
        expect(memoized).toEqual(expected);
        expect(sdkDeserialize.deserializeProperties(resource.getProperties(), false)).toBe(memoized);
    });
});

describe("installProxyMemo", () => {
    it("returns one proxy per target, behaving as the SDK's", () => {
        const mod = { ...sdkProxy };
        expect(installProxyMemo(mod)).toBe(true);
        const target = { a: { b: 1 }, u: sdkProxy.unknownStringValue };
        const p = mod.unknownCheckingProxy(target);
        // Identity compared directly: printing a proxy would read its unknown property.
        expect(mod.unknownCheckingProxy(target) === p).toBe(true);
        expect(mod.unknownCheckingProxy({ ...target }) === p).toBe(false);
        expect(p.a.b).toBe(1);
        expect(() => p.u).toThrow("can't be known during preview");
        expect(mod.unknownCheckingProxy("s" as any)).toBe("s");
    });

    it("patches the module the SDK's server reads", () => {
        expect(req.resolve("@pulumi/policy/proxy")).toBe(path.join(path.dirname(req.resolve("@pulumi/policy/server")), "proxy.js"));
        const original = sdkProxy.unknownCheckingProxy;
        expect(installProxyMemo()).toBe(true);
        expect(sdkProxy.unknownCheckingProxy).not.toBe(original);
        const target = { a: 1 };
        expect(sdkProxy.unknownCheckingProxy(target)).toBe(sdkProxy.unknownCheckingProxy(target));
    });
});

describe("plainProps", () => {
    it("maps unknown sentinels to UNKNOWN and freezes the copy deeply", () => {
        const target = { a: { b: [1, { c: sdkProxy.unknownStringValue }] }, d: "x" };
        const props = plainProps(sdkProxy.unknownCheckingProxy(target));
        expect(props).toEqual({ a: { b: [1, { c: UNKNOWN }] }, d: "x" });
        expect(Object.isFrozen(props)).toBe(true);
        expect(Object.isFrozen(props.a)).toBe(true);
        expect(Object.isFrozen((props.a as any).b)).toBe(true);
        expect(Object.isFrozen((props.a as any).b[1])).toBe(true);
        expect(() => {
            (props as any).d = "y";
        }).toThrow(TypeError);
        expect(target.d).toBe("x");
    });

    it("normalises one SDK object once, whatever proxy wraps it", () => {
        const target = { a: 1 };
        const first = plainProps(sdkProxy.unknownCheckingProxy(target));
        expect(plainProps(sdkProxy.unknownCheckingProxy(target))).toBe(first);
        expect(plainProps(sdkProxy.unknownCheckingProxy({ a: 1 }))).not.toBe(first);
    });

    it("gives an empty frozen bag for anything but an object", () => {
        for (const v of [undefined, null, "s", 3, [1, 2]]) {
            const p = plainProps(v);
            expect(p).toEqual({});
            expect(Object.isFrozen(p)).toBe(true);
        }
    });
});

describe("stack rules share one read-only copy per resource", () => {
    const stackRule = (name: string, check: StackRule["check"]): StackValidationPolicy =>
        toPolicy({
            kind: "stack",
            judges: { provider: "aws" },
            name,
            description: "Test rule.",
            clauses: ["SD-1", "P1"],
            severity: "low",
            enforcementLevel: "advisory",
            remediationSteps: "None.",
            url: "https://example.com",
            onUnknown: "n/a",
            check,
        }) as StackValidationPolicy;

    /** What the SDK passes each stack policy: a fresh resource object and proxy over the (memoized) deserialized props. */
    const argsFor = (deserialized: Record<string, unknown>): StackValidationArgs =>
        ({
            resources: [{ type: "aws:s3/bucket:Bucket", name: "b", urn: "urn:b", props: sdkProxy.unknownCheckingProxy(deserialized) }],
            getConfig: () => ({}),
        }) as unknown as StackValidationArgs;

    it("every stack rule of a request sees the same frozen array, so byType indexes it once", () => {
        const deserialized = { versioning: "Enabled" };
        const seen: (readonly RuleResource[])[] = [];
        const indexes: unknown[] = [];
        const rule = (name: string) =>
            stackRule(name, (resources) => {
                seen.push(resources);
                indexes.push(byType(resources));
                return [];
            });
        rule("test-first").validateStack(argsFor(deserialized), () => undefined);
        rule("test-second").validateStack(argsFor(deserialized), () => undefined);
        expect(seen[1]).toBe(seen[0]);
        expect(Object.isFrozen(seen[0])).toBe(true);
        expect(indexes[1]).toBe(indexes[0]);
        // Another request (other props objects) gets a new view and a new index.
        rule("test-third").validateStack(argsFor({ versioning: "Suspended" }), () => undefined);
        expect(seen[2]).not.toBe(seen[0]);
        expect(indexes[2]).not.toBe(indexes[0]);
    });

    it("a rule that writes to props fails and the next rule sees the original values", () => {
        const deserialized = { versioning: "Enabled", tags: { team: "ml" } };
        const seen: RuleResource[] = [];
        const writer = stackRule("test-writer", (resources) => {
            (resources[0]!.props as any).versioning = "Suspended";
            return [];
        });
        const deepWriter = stackRule("test-deep-writer", (resources) => {
            (resources[0]!.props.tags as any).team = "someone-else";
            return [];
        });
        const reader = stackRule("test-reader", (resources) => {
            seen.push(...resources);
            return [];
        });
        expect(() => writer.validateStack(argsFor(deserialized), () => undefined)).toThrow(TypeError);
        expect(() => deepWriter.validateStack(argsFor(deserialized), () => undefined)).toThrow(TypeError);
        reader.validateStack(argsFor(deserialized), () => undefined);
        expect(seen[0]!.props).toEqual({ versioning: "Enabled", tags: { team: "ml" } });
        expect(deserialized).toEqual({ versioning: "Enabled", tags: { team: "ml" } });
    });
});
