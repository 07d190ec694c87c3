/**
 * aiguard serves Analyze and AnalyzeStack itself (policies/framework/analyzer-server.ts: the SDK's
 * loops with each request's resources built once, not once per policy). It must answer exactly
 * what the SDK's own handlers answer: two pack processes, one with aiguard's handlers and one with
 * the SDK's (`AIGUARD_SDK_HANDLERS=1`), configured alike, get the same requests and must return
 * the same response bytes (diagnostics with levels, severities, descriptions and URNs, in order,
 * and the not-applicable entries), over stacks with findings at update and at a first preview,
 * under the default config and under one that disables, relaxes, raises and exempts rules.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { platformSlice, syntheticStack } from "../../bench/synthetic-stack";
import { fromRecorded, RunningPack, type AnalyzerResourceInput, type PackConfig } from "../../offline/analyzer-client";
import { RULES } from "../../policies/catalogue";
import { SDK_HANDLERS_ENV } from "../../policies/framework/analyzer-server";
import { buildInsecureDemo } from "../../stacks/insecure-demo/demo";
import { record } from "../harness";

const JUSTIFICATION = "Accepted by the platform team for this comparison (RISK-7).";

let tmp: string;
let ours: RunningPack;
let theirs: RunningPack;
const STACK_NAMES = ["synthetic platform, 600 resources, every other replica violating", "insecure demo, update", "insecure demo, first preview"] as const;
const stacks: Partial<Record<(typeof STACK_NAMES)[number], { inputs: AnalyzerResourceInput[]; outputs: AnalyzerResourceInput[] }>> = {};

/** Starts a pack whose preloaded spy records which AnalyzeStack handler its gRPC server got. */
async function startPack(label: string, extraEnv: NodeJS.ProcessEnv): Promise<{ pack: RunningPack; handler: () => string }> {
    const log = path.join(tmp, `${label}.log`);
    const env = { ...process.env, ...extraEnv, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${path.join(tmp, "spy.js")}`.trim(), AIGUARD_TEST_SPY_LOG: log };
    const pack = await RunningPack.start(undefined, 60_000, env);
    return { pack, handler: () => fs.readFileSync(log, "utf8").trim() };
}

beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "aiguard-analyzer-server-"));
    // Loaded before the pack: wraps the gRPC server's addService of the SDK's own grpc-js and writes
    // down the name of the AnalyzeStack implementation the server is finally given.
    fs.writeFileSync(
        path.join(tmp, "spy.js"),
        [
            'const { createRequire } = require("node:module");',
            'const req = createRequire(require.resolve("@pulumi/policy", { paths: [process.cwd()] }));',
            'const grpc = req("@grpc/grpc-js");',
            "const addService = grpc.Server.prototype.addService;",
            "grpc.Server.prototype.addService = function (service, impl) {",
            '    if (impl && impl.analyzeStack) require("node:fs").appendFileSync(process.env.AIGUARD_TEST_SPY_LOG, `${impl.analyze.name || "(anonymous)"} ${impl.analyzeStack.name || "(anonymous)"}\\n`);',
            "    return addService.call(this, service, impl);",
            "};",
        ].join("\n"),
    );
    const packs = Promise.all([startPack("ours", {}), startPack("sdk", { [SDK_HANDLERS_ENV]: "1" })]);
    // Offline runs go one at a time (one mock runtime per process).
    const slice = await platformSlice();
    const update = await record(() => buildInsecureDemo(), { project: "aiguard-insecure-demo", stack: "demo" });
    const preview = await record(() => buildInsecureDemo(), { project: "aiguard-insecure-demo", stack: "demo", preview: true });
    const [a, b] = await packs;
    ours = a.pack;
    theirs = b.pack;
    expect(a.handler()).toBe("aiguardAnalyze aiguardAnalyzeStack");
    expect(b.handler()).toBe("(anonymous) (anonymous)");
    const synthetic = syntheticStack(slice, 600, { violatingEvery: 2 }).resources;
    stacks["synthetic platform, 600 resources, every other replica violating"] = { inputs: synthetic.map((r) => r.input), outputs: synthetic.map((r) => r.output) };
    stacks["insecure demo, update"] = fromRecorded(update.resources.filter((r) => r.custom));
    stacks["insecure demo, first preview"] = fromRecorded(preview.resources.filter((r) => r.custom));
}, 180_000);

afterAll(async () => {
    await Promise.all([ours?.stop(), theirs?.stop()]);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const stackRules = RULES.filter((r) => r.kind === "stack").map((r) => r.name);
const configs: Record<string, PackConfig> = {
    "the default config": {},
    "levels changed and exemptions": {
        [stackRules[0]!]: { enforcementLevel: "disabled" },
        [stackRules[1]!]: { enforcementLevel: "advisory" },
        [stackRules[2]!]: { enforcementLevel: "remediate" },
        ...Object.fromEntries(stackRules.slice(3, 8).map((n) => [n, { enforcementLevel: "mandatory", exemptions: [{ name: "datasets", justification: JUSTIFICATION }] }])),
        "aiguard-scope": { enforcementLevel: "advisory" },
    },
};

describe.each(Object.entries(configs))("under %s", (_label, config) => {
    beforeAll(async () => {
        await Promise.all([ours.client.configure(config), theirs.client.configure(config)]);
    }, 60_000);

    it.each(STACK_NAMES)(
        "%s: AnalyzeStack answers the same bytes as the SDK's handler",
        async (name) => {
            const { outputs } = stacks[name]!;
            const [a, b] = await Promise.all([ours.client.analyzeStackResponse(outputs), theirs.client.analyzeStackResponse(outputs)]);
            const diagnostics = await ours.client.analyzeStack(outputs);
            expect(diagnostics.filter((d) => RULES.some((r) => r.name === d.policyName)).length).toBeGreaterThan(5);
            expect(Buffer.from(a.serializeBinary()).equals(Buffer.from(b.serializeBinary()))).toBe(true);
        },
        120_000,
    );

    it.each(STACK_NAMES)(
        "%s: Analyze answers the same bytes as the SDK's handler, resource by resource",
        async (name) => {
            const { inputs } = stacks[name]!;
            let findings = 0;
            const differing: string[] = [];
            for (const r of inputs) {
                const [a, b] = await Promise.all([ours.client.analyzeResponse(r), theirs.client.analyzeResponse(r)]);
                if (!Buffer.from(a.serializeBinary()).equals(Buffer.from(b.serializeBinary()))) differing.push(r.urn);
                findings += (await ours.client.analyze(r)).length;
            }
            expect(differing).toEqual([]);
            expect(findings).toBeGreaterThan(0);
        },
        300_000,
    );
});
