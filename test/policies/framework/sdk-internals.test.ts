/**
 * The @pulumi/policy internals the adapter relies on, checked against the installed SDK so an
 * upgrade that moves them fails here, by name, instead of silently changing what rules see:
 * the proxy's unknown sentinels and keys (adapt.ts), the two functions sdk-memo.ts memoizes, and
 * the server's use of them, and what analyzer-server.ts needs to serve Analyze and AnalyzeStack itself. The dependency is pinned exactly in both package.json files.
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { loadSdk } from "../../../policies/framework/sdk-server";
import { installPackConfigCapture, packConfig } from "../../../policies/framework/pack-config";

const requireSdk = createRequire(path.join(__dirname, "../../../policies/package.json"));
const ROOT = path.resolve(__dirname, "../../..");

describe("@pulumi/policy internals used by the adapter", () => {
    it("is pinned to one exact version, the one installed, in the repository and the pack", () => {
        const installed = (requireSdk("@pulumi/policy/package.json") as { version: string }).version.replace(/^v/, "");
        for (const file of ["package.json", "policies/package.json"]) {
            const declared = (JSON.parse(fs.readFileSync(path.join(ROOT, file), "utf8")) as { dependencies: Record<string, string> }).dependencies["@pulumi/policy"];
            expect(declared, file).toBe(installed);
        }
    });

    it("exposes the proxy keys and the engine's unknown sentinels", () => {
        const proxy = requireSdk("@pulumi/policy/proxy") as Record<string, unknown>;
        for (const key of ["isSpecialProxy", "getSpecialProxyTarget", "unknownBooleanValue", "unknownNumberValue", "unknownStringValue", "unknownArrayValue", "unknownAssetValue", "unknownArchiveValue", "unknownObjectValue"]) {
            expect(typeof proxy[key], key).toBe("string");
        }
        expect(typeof proxy.unknownCheckingProxy).toBe("function");
    });

    it("exposes deserializeProperties, and its server calls both memoized functions through their modules' exports", () => {
        const deserialize = requireSdk("@pulumi/policy/deserialize") as Record<string, unknown>;
        expect(typeof deserialize.deserializeProperties).toBe("function");
        const server = fs.readFileSync(requireSdk.resolve("@pulumi/policy/server"), "utf8");
        expect(server).toContain("deserialize_1.deserializeProperties(");
        expect(server).toContain("proxy_1.unknownCheckingProxy(");
    });

    it("has what aiguard's Analyze and AnalyzeStack handlers use, and serves the analyzer the way they replace", () => {
        const sdk = loadSdk();
        expect(sdk, "loadSdk() found every SDK function it needs").toBeDefined();
        expect(sdk!.analyzeStackPath).toBe("/pulumirpc.Analyzer/AnalyzeStack");
        const server = fs.readFileSync(requireSdk.resolve("@pulumi/policy/server"), "utf8");
        // One addService call, with the handlers the wrapper replaces or reads through.
        expect(server.match(/server\.addService\(analyzerrpc\.AnalyzerService, \{/g)).toHaveLength(1);
        for (const handler of ["analyze: makeAnalyzeRpcFun(", "analyzeStack: makeAnalyzeStackRpcFun(", "configure: configure,", "configureStack: configureStack,"]) expect(server).toContain(handler);
        // The semantics the handler reproduces (see analyzer-server.ts; the protocol test compares responses).
        expect(server).toContain('if (enforcementLevel === "disabled" || !policy_1.isStackPolicy(p))');
        expect(server).toContain('if (enforcementLevel === "disabled" || !policy_1.isResourcePolicy(p))');
        expect(server).toContain('const reason = "Policy does not implement validateResource";');
        expect(server).toContain('if (enforcementLevel === "remediate") {');
        expect(server).toContain("const props = v.getProperties().toJavaScript();");
    });

    it("reads the Configure request through ConfigureAnalyzerRequest.getPolicyconfigMap, which pack-config.ts wraps to see every policy's config", () => {
        const server = fs.readFileSync(requireSdk.resolve("@pulumi/policy/server"), "utf8");
        expect(server).toContain("req.getPolicyconfigMap().entries()");
        const proto = createRequire(requireSdk.resolve("@pulumi/policy/server"))("@pulumi/pulumi/proto/analyzer_pb") as any;
        expect(typeof proto.ConfigureAnalyzerRequest.prototype.getPolicyconfigMap).toBe("function");
        expect(installPackConfigCapture(proto)).toBe(true);
        const req = new proto.ConfigureAnalyzerRequest();
        const cfg = new proto.PolicyConfig();
        cfg.setProperties(createRequire(requireSdk.resolve("@pulumi/pulumi/package.json"))("google-protobuf/google/protobuf/struct_pb").Struct.fromJavaScript({ exemptions: [{ name: "x", justification: "j" }] }));
        req.getPolicyconfigMap().set("some-policy", cfg);
        // What the SDK's server does with the request:
        for (const [k, v] of req.getPolicyconfigMap().entries()) expect([k, v.getProperties().toJavaScript()]).toEqual(["some-policy", { exemptions: [{ name: "x", justification: "j" }] }]);
        expect(packConfig()?.get("some-policy")).toEqual({ exemptions: [{ name: "x", justification: "j" }] });
    });
});
