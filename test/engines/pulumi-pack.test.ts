/**
 * aiguard's own policy pack (policies/, compiled from its tsc project into a private directory, see
 * pack-copy.ts) in the real Pulumi CLI (scripts/build-engines.sh):
 * `pulumi policy analyze --file <state> --policy-pack <pack>` over `pulumi stack export`-format
 * states of the insecure demo and of the example platform (dev), both built from offline runs. This
 * is the CLI's own loading (PulumiPolicy.yaml, package.json `main: bin/index.js`, @pulumi/* from the
 * repository's node_modules), config validation, enforcement levels and exit code, not our
 * protocol client's.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunningPack } from "../../offline/analyzer-client";
import { evaluate } from "../../offline/evaluate";
import type { RecordedResource } from "../../offline/recording-mocks";
import { PACK_REPORTS } from "../../offline/evaluate";
import { RULES, ruleByName } from "../../policies/catalogue";
import { buildInsecureDemo } from "../../stacks/insecure-demo/demo";
import { PROJECT, readStackConfigFile } from "../../stacks/platform/config";
import { buildPlatform } from "../../stacks/platform/platform";
import { record } from "../harness";
import { compilePackCopy, PACK_SOURCE } from "./pack-copy";
import { createPulumiWorkspace, parseAnalyzeJson, type AnalyzeJson, type PolicyEvent, type PulumiResult, type PulumiWorkspace } from "./pulumi-fixture";
import { writeStackExport } from "./state-export";

const PACK_NAME = "aiguard";
const PACK_VERSION = (JSON.parse(readFileSync(path.join(PACK_SOURCE, "package.json"), "utf8")) as { version: string }).version;
const EXEMPTIONS_REPORT = "aiguard-exemptions-applied";

let ws: PulumiWorkspace;
let packDir: string;
let demo: readonly RecordedResource[];
let platform: readonly RecordedResource[];
let demoState: string;
let platformState: string;
const wallTimes: Record<string, number> = {};

/**
 * Runs `pulumi policy analyze --json` and records its wall time under `label`. The pack's scope and
 * undecided reports (advisory diagnostics that are not findings) are split off into `reports`.
 */
async function analyze(label: string, state: string, extra: string[] = []): Promise<PulumiResult & { json: AnalyzeJson; reports: AnalyzeJson["violations"] }> {
    const t0 = Date.now();
    const res = await ws.run(["policy", "analyze", "--file", state, "--policy-pack", packDir, "--json", ...extra], { timeoutMs: 180_000 });
    wallTimes[label] = Date.now() - t0;
    const json = parseAnalyzeJson(res.stdout);
    return { ...res, json: { ...json, violations: json.violations.filter((v) => !PACK_REPORTS.has(v.policyName)) }, reports: json.violations.filter((v) => PACK_REPORTS.has(v.policyName)) };
}

const nameOf = (urn = "") => urn.slice(urn.lastIndexOf("::") + 2);
const key = (v: { policyName: string; resourceUrn?: string; urn?: string }) => `${v.policyName}|${v.resourceUrn ?? v.urn ?? ""}`;

function tally(keys: readonly string[]): Record<string, number> {
    const out: Record<string, number> = {};
    for (const k of keys) out[k] = (out[k] ?? 0) + 1;
    return out;
}

/** The CLI reports `<policy description>\n<message>`; the message is what the rule wrote. */
function ruleMessage(v: PolicyEvent): string {
    const description = ruleByName(v.policyName)?.description;
    return description !== undefined && v.message.startsWith(`${description}\n`) ? v.message.slice(description.length + 1) : v.message;
}

beforeAll(async () => {
    ws = createPulumiWorkspace();
    packDir = compilePackCopy(path.join(ws.dir, "policies"));
    demo = (await record(() => buildInsecureDemo(), { project: "aiguard-insecure-demo", stack: "demo" })).resources;
    const { cfg, raw } = readStackConfigFile("dev");
    platform = (await record(() => buildPlatform(cfg), { project: PROJECT, stack: "dev", config: raw })).resources;
    demoState = writeStackExport(path.join(ws.dir, "insecure-demo.json"), demo);
    platformState = writeStackExport(path.join(ws.dir, "platform-dev.json"), platform);
}, 180_000);

afterAll(() => {
    const counts = { "insecure-demo": demo?.length, "platform-dev": platform?.length };
    console.log(`pulumi policy analyze wall times (ms): ${JSON.stringify(wallTimes)}; resources per state: ${JSON.stringify(counts)}`);
    ws?.cleanup();
});

describe("the insecure demo's state", () => {
    let out: Awaited<ReturnType<typeof analyze>>;
    beforeAll(async () => {
        out = await analyze("insecure-demo", demoState);
    }, 200_000);

    it("fails the command with the mandatory-violation error and a failed summary", () => {
        expect(out.code, out.stderr).not.toBe(0);
        expect(out.stderr).toContain("one or more mandatory policy violations were found");
        expect(out.json.summary?.result).toBe("failed");
        expect(out.json.summary?.policyPacks).toEqual({ [PACK_NAME]: PACK_VERSION });
    });

    it("reports the representative mandatory violations on the resources that commit them", () => {
        const mandatory = new Set(out.json.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => `${v.policyName}|${nameOf(v.resourceUrn)}`));
        for (const expected of [
            "aws-s3-bucket-missing-kms-encryption|datasets",
            "aws-s3-bucket-missing-public-access-block|datasets",
            "aws-kms-key-enable-rotation|shared-key",
            "aws-iam-role-disallow-admin-policies|training-role-admin",
            "aws-ec2-securitygroup-disallow-public-ingress|inference-open-sg",
            "aws-sagemaker-model-enforce-image-digest|sentiment-model",
            "aws-sagemaker-notebookinstance-disable-direct-internet-access|research-notebook",
            "aws-bedrock-agentagent-missing-guardrail|support-agent",
            "aws-eks-cluster-disallow-public-endpoint|inference-cluster",
            "aws-backup-vault-enforce-compliance-lock|model-backups",
            "kubernetes-core-pod-disallow-privileged|sentiment-server",
            "kubernetes-core-pod-enforce-image-digest|sentiment-server",
            "kubernetes-admissionregistration-validatingwebhookconfiguration-missing-image-admission|models-ns",
        ]) {
            expect(mandatory, expected).toContain(expected);
        }
    });

    it("carries each rule's enforcement level, description and clause IDs in every violation", () => {
        expect(out.json.violations.length).toBeGreaterThan(80);
        for (const v of out.json.violations) {
            const rule = ruleByName(v.policyName);
            expect(rule, v.policyName).toBeDefined();
            expect([v.policyPackName, v.policyPackVersion]).toEqual([PACK_NAME, PACK_VERSION]);
            expect(v.enforcementLevel, v.policyName).toBe(rule!.enforcementLevel);
            expect(v.message.startsWith(`${rule!.description}\n`), v.message).toBe(true);
            expect(ruleMessage(v).endsWith(` [${rule!.clauses.join(", ")}]`), v.message).toBe(true);
        }
        // Every rule of the catalogue fires on the demo, through the real CLI too.
        expect(new Set(out.json.violations.map((v) => v.policyName))).toEqual(new Set(RULES.map((r) => r.name)));
    });

    it("finds exactly what the protocol-level evaluation of the same resources finds", async () => {
        const pack = await RunningPack.start(packDir);
        try {
            const protocol = await evaluate(pack, demo);
            expect(tally(out.json.violations.map(key))).toEqual(tally(protocol.diagnostics.map(key)));
        } finally {
            await pack.stop();
        }
    }, 120_000);

    it("prints the violations and the failure in the CLI's human-readable output too", async () => {
        const t0 = Date.now();
        const res = await ws.run(["policy", "analyze", "--file", demoState, "--policy-pack", packDir], { timeoutMs: 180_000 });
        wallTimes["insecure-demo (text output)"] = Date.now() - t0;
        expect(res.code).not.toBe(0);
        expect(res.stdout).toContain("aws-kms-key-enable-rotation");
        expect(res.stdout).toContain('KMS key "shared-key" does not enable automatic key rotation');
        expect(res.stderr).toContain("one or more mandatory policy violations were found");
    }, 200_000);
});

describe("--policy-pack-config with an exemption", () => {
    it("drops the exempted finding and reports it, with its justification, in aiguard-exemptions-applied", async () => {
        const justification = "Key rotation is handled by a quarterly re-encryption job (ticket SEC-1234).";
        const configFile = path.join(ws.dir, "exemption.json");
        writeFileSync(configFile, JSON.stringify({ "aws-kms-key-enable-rotation": { exemptions: [{ name: "shared-key", justification }] } }));
        const [plain, exempted] = [await analyze("insecure-demo (baseline for exemption)", demoState), await analyze("insecure-demo (exemption config)", demoState, ["--policy-pack-config", configFile])];
        expect(exempted.code).not.toBe(0);

        const keyUrn = demo.find((r) => r.type === "aws:kms/key:Key" && r.name === "shared-key")!.urn;
        const findings = (o: AnalyzeJson) => tally(o.violations.filter((v) => v.policyName !== EXEMPTIONS_REPORT).map(key));
        const { [`aws-kms-key-enable-rotation|${keyUrn}`]: gone, ...rest } = findings(plain.json);
        expect(gone).toBe(1);
        expect(findings(exempted.json)).toEqual(rest);

        const report = exempted.json.violations.filter((v) => v.policyName === EXEMPTIONS_REPORT);
        expect(report).toHaveLength(1);
        expect(report[0]).toMatchObject({ resourceUrn: keyUrn, enforcementLevel: "advisory", policyPackName: PACK_NAME });
        expect(report[0]!.message).toContain('exempted from aws-kms-key-enable-rotation: KMS key "shared-key" does not enable automatic key rotation');
        expect(report[0]!.message).toContain(`justification: ${justification}`);
        expect(plain.json.violations.filter((v) => v.policyName === EXEMPTIONS_REPORT)).toEqual([]);
    }, 400_000);

    it("reports expired exemptions, impossible expiry dates and exemptions that applied to nothing, judged across the pack", async () => {
        const justification = "Reviewed by the platform security team (ticket SEC-1234).";
        const RETENTION = "aws-cloudwatch-loggroup-configure-retention";
        const ROTATION = "aws-kms-key-enable-rotation";
        const VERSIONING = "aws-s3-bucket-enable-versioning";
        // As a pack-wide block would be spread: one exemption naming the retention rule, copied into two policies' config.
        const spread = { rule: RETENTION, name: "training-logs", justification };
        const misplaced = { rule: ROTATION, name: "shared-key", justification }; // under the retention policy only: rotation never sees it
        const expired = { name: "datasets", justification, expires: "2020-01-31" };
        const impossible = { name: "shared-key", justification, expires: "2026-02-30" };
        const configFile = path.join(ws.dir, "exemption-audit.json");
        writeFileSync(
            configFile,
            JSON.stringify({
                [RETENTION]: { exemptions: [spread, misplaced] },
                [ROTATION]: { exemptions: [spread, impossible] },
                [VERSIONING]: { exemptions: [expired] },
            }),
        );
        const out = await analyze("insecure-demo (exemption audit)", demoState, ["--policy-pack-config", configFile]);
        expect(out.code).not.toBe(0);
        const urnOf = (name: string) => demo.find((r) => r.custom && r.name === name)!.urn;
        const findings = new Set(out.json.violations.filter((v) => v.policyName !== EXEMPTIONS_REPORT).map(key));
        // Applied across the pack: the retention finding on training-logs is waived.
        expect(findings.has(`${RETENTION}|${urnOf("training-logs")}`)).toBe(false);
        // Fail closed: the misplaced and the impossible exemptions waive nothing, the expired one no longer does.
        expect(findings.has(`${ROTATION}|${urnOf("shared-key")}`)).toBe(true);
        expect(findings.has(`${VERSIONING}|${urnOf("datasets")}`)).toBe(true);

        const report = out.json.violations.filter((v) => v.policyName === EXEMPTIONS_REPORT);
        expect(report.every((v) => v.enforcementLevel === "advisory")).toBe(true);
        const messages = report.map(ruleMessage).map((m) => m.slice(m.lastIndexOf("\n") + 1));
        expect(messages.filter((m) => m.startsWith("exempted from "))).toEqual([expect.stringContaining(`exempted from ${RETENTION}: `)]);
        const problems = messages.filter((m) => !m.startsWith("exempted from ")).sort();
        expect(problems).toHaveLength(3);
        expect(problems).toEqual(
            [
                `exemption {rule *, name "datasets", expires 2020-01-31} in the config of ${VERSIONING} expired on 2020-01-31: the findings it waived are reported again. Fix: remove it once the resource complies, or renew its justification and expiry.`,
                `exemption {rule *, name "shared-key", expires 2026-02-30} in the config of ${ROTATION}: its expiry "2026-02-30" is not a calendar date, so it exempts nothing. Fix: write the last day it applies as an existing date, YYYY-MM-DD (e.g. 2027-03-31).`,
                `exemption {rule ${ROTATION}, name "shared-key"} in the config of ${RETENTION} applied to no finding in this run. It names rule ${ROTATION} but sits only in the config of ${RETENTION}; Pulumi gives each policy only its own config, so move it under "${ROTATION}". Fix: remove it if the resource complies or is gone, or correct its rule, name or urn.`,
            ].sort(),
        );
    }, 400_000);

    it("rejects a config the rule's schema does not allow (an exemption without justification), naming the policy", async () => {
        const configFile = path.join(ws.dir, "bad-exemption.json");
        writeFileSync(configFile, JSON.stringify({ "aws-kms-key-enable-rotation": { exemptions: [{ name: "shared-key" }] } }));
        const res = await analyze("insecure-demo (invalid config)", demoState, ["--policy-pack-config", configFile]);
        expect(res.code).not.toBe(0);
        expect(res.stderr).toContain(`validating policy config for "${PACK_NAME}": aws-kms-key-enable-rotation: exemptions.0: justification is required`);
        expect(res.json.violations).toEqual([]);
    }, 200_000);
});

describe("the example platform's state (dev)", () => {
    it("passes: exit 0, no violations at all, succeeded summary", async () => {
        expect(platform.filter((r) => r.custom).length).toBeGreaterThan(140);
        const out = await analyze("platform-dev", platformState);
        expect(out.json.violations.map((v) => `${v.enforcementLevel} ${v.policyName} ${v.resourceUrn}: ${v.message}`)).toEqual([]);
        // What the pack judged is reported through the real CLI too, as an advisory, never as a silent pass.
        expect(out.reports.map((v) => `${v.enforcementLevel} ${v.policyName}`)).toContain("advisory aiguard-scope");
        expect(out.reports.map((v) => v.message).join("\n")).toMatch(/scope "all": every resource of a type a rule governs is judged/);
        expect(out.code, out.stderr).toBe(0);
        expect(out.json.summary?.result).toBe("succeeded");
    }, 200_000);
});
