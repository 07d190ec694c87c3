/**
 * `aiguard check-manifests` and `aiguard verify-image` with `--format json|sarif` and `-o`, against a
 * real registry on 127.0.0.1 holding a signed and an unsigned image: the documents carry every image
 * with its decision, and the SARIF is valid 2.1.0 with each violation at the line of the image in
 * the manifest.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as Sarif from "sarif";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { OciPusher } from "../../fixtures/admission/oci";
import { keyPolicyDoc } from "../../fixtures/admission/policy";
import { startRegistry, type RegistryFixture } from "../../fixtures/admission/registry";
import { podSpec, workload } from "../../fixtures/admission/reviews";
import { generateTestKey, signLegacy } from "../../fixtures/admission/sign";
import { aiguard } from "./support";
import { sarifErrors } from "./sarif-schema";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "aiguard-admission-formats-"));
let reg: RegistryFixture;
let oci: OciPusher;
let policy: string;
let signed: string;
let unsigned: string;
let manifests: string;

beforeAll(async () => {
    reg = await startRegistry();
    oci = new OciPusher(reg);
    const key = generateTestKey();
    policy = path.join(tmp, "policy.yaml");
    fs.writeFileSync(policy, stringify(keyPolicyDoc({ images: [`${reg.host}/ml/**`], pems: [key.publicPem] })));
    const a = await oci.pushImage("ml/llm");
    await signLegacy(oci, reg.host, "ml/llm", a.digest, key);
    signed = a.reference;
    unsigned = (await oci.pushImage("ml/unsigned")).reference;
    manifests = path.join(tmp, "deploy.yaml");
    fs.writeFileSync(manifests, [stringify(workload("Deployment", podSpec({ containers: [signed] }))), stringify(workload("CronJob", podSpec({ containers: [signed], initContainers: [unsigned] })))].join("---\n"));
}, 60_000);
afterAll(async () => {
    await oci?.close();
    await reg?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
});

const registry = () => ["--policy", policy, "--insecure-registry", reg.host];

/** The 1-based line of the first occurrence of `text` in `file` after line `after`. */
function lineOf(file: string, text: string, after = 0): number {
    const lines = fs.readFileSync(file, "utf8").split("\n");
    const i = lines.findIndex((l, n) => n >= after && l.includes(text));
    return i + 1;
}

interface ImageJson {
    command: string;
    summary: { images: number; denied: number; verified: number; exitCode: number };
    images: { source: string; kind: string; path: string; image: string; decision: string; policies: string[]; violations: { code: string }[]; location?: { file: string; line: number } }[];
}

describe("check-manifests --format json|sarif", () => {
    it("writes every image with its decision, policies, violations and line as JSON", async () => {
        const r = await aiguard(["check-manifests", manifests, ...registry(), "--format", "json"]);
        expect(r.code).toBe(1);
        const j = JSON.parse(r.stdout) as ImageJson;
        expect(j.command).toBe("check-manifests");
        expect(j.summary).toMatchObject({ images: 3, denied: 1, verified: 2, exitCode: 1 });
        expect(j.images.map((i) => [i.source, i.kind, i.path, i.decision])).toEqual([
            [`${manifests}#1`, "Deployment", "spec.template.spec.containers[0].image", "verified"],
            [`${manifests}#2`, "CronJob", "spec.jobTemplate.spec.template.spec.containers[0].image", "verified"],
            [`${manifests}#2`, "CronJob", "spec.jobTemplate.spec.template.spec.initContainers[0].image", "denied"],
        ]);
        expect(j.images[2]!.violations.map((v) => v.code)).toEqual(["no-signature"]);
        expect(j.images[0]!.policies).toEqual(["models"]);
        const cronJob = lineOf(manifests, "kind: CronJob");
        expect(j.images[2]!.location).toMatchObject({ file: manifests, line: lineOf(manifests, unsigned, cronJob) });
        expect(r.stderr).toContain("3 image reference(s), 1 denied");
    });

    it("writes valid SARIF 2.1.0 to -o, each violation at the image's line in the manifest", async () => {
        const out = path.join(tmp, "manifests.sarif");
        const r = await aiguard(["check-manifests", manifests, ...registry(), "--format", "sarif", "-o", out]);
        expect(r.code).toBe(1);
        expect(r.stdout).toBe("");
        expect(r.stderr).toContain(`(report: ${out})`);
        const log = JSON.parse(fs.readFileSync(out, "utf8")) as Sarif.Log;
        expect(sarifErrors(log)).toEqual([]);
        const results = log.runs[0]!.results!;
        expect(results.map((x) => [x.ruleId, x.level])).toEqual([["no-signature", "error"]]);
        const phys = results[0]!.locations![0]!.physicalLocation!;
        expect(phys.artifactLocation!.uri).toBe(`file://${manifests}`);
        const line = phys.region!.startLine!;
        expect(fs.readFileSync(manifests, "utf8").split("\n")[line - 1]).toContain(unsigned);
        expect(log.runs[0]!.tool.driver.rules!.map((x) => x.id)).toContain("no-signature");
    });

    it("gives relative manifest paths as relative URIs (GitHub resolves them from the repository root)", async () => {
        const r = await aiguard(["check-manifests", "deploy.yaml", ...registry(), "--format", "sarif"], { cwd: tmp });
        const log = JSON.parse(r.stdout) as Sarif.Log;
        expect(log.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe("deploy.yaml");
    });

    it("writes a SARIF log without results when every image verifies", async () => {
        const ok = path.join(tmp, "ok.yaml");
        fs.writeFileSync(ok, stringify(workload("Pod", podSpec({ containers: [signed] }))));
        const r = await aiguard(["check-manifests", ok, ...registry(), "--format", "sarif"]);
        expect(r.code).toBe(0);
        const log = JSON.parse(r.stdout) as Sarif.Log;
        expect(sarifErrors(log)).toEqual([]);
        expect(log.runs[0]!.results).toEqual([]);
    });
});

describe("input errors in a machine format", () => {
    it("still write a document saying what went wrong (exit 2), so a CI upload step finds one", async () => {
        const bad = path.join(tmp, "bad-policy.yaml");
        fs.writeFileSync(bad, "apiVersion: aiguard.io/v1\nkind: ImageTrustPolicy\npolicies: nope\n");
        const out = path.join(tmp, "error.sarif");
        const [sarif, json] = await Promise.all([
            aiguard(["check-manifests", manifests, "--policy", bad, "--format", "sarif", "-o", out]),
            aiguard(["verify-image", signed, "--policy", bad, "--format", "json"]),
        ]);
        expect(sarif.code).toBe(2);
        expect(sarif.stderr).toMatch(new RegExp(`^aiguard: error: trust policy ${bad}: `));
        const log = JSON.parse(fs.readFileSync(out, "utf8")) as Sarif.Log;
        expect(sarifErrors(log)).toEqual([]);
        expect(log.runs[0]!.invocations![0]).toMatchObject({ executionSuccessful: false, exitCode: 2 });
        expect(log.runs[0]!.invocations![0]!.toolExecutionNotifications![0]!.message.text).toContain(`trust policy ${bad}: `);
        expect(json.code).toBe(2);
        expect(JSON.parse(json.stdout)).toMatchObject({ command: "verify-image", error: { message: expect.stringContaining(`trust policy ${bad}: `), fix: expect.stringContaining("ImageTrustPolicy") }, summary: { exitCode: 2 } });
    });
});

describe("verify-image --format json|sarif", () => {
    it("JSON for a verified image, SARIF for a denied one", async () => {
        const ok = await aiguard(["verify-image", signed, ...registry(), "--format", "json"]);
        expect(ok.code).toBe(0);
        const j = JSON.parse(ok.stdout) as ImageJson;
        expect(j.command).toBe("verify-image");
        expect(j.images).toHaveLength(1);
        expect(j.images[0]).toMatchObject({ image: signed, decision: "verified", policies: ["models"], violations: [] });

        const denied = await aiguard(["verify-image", unsigned, ...registry(), "--namespace-labels", "aiguard.io/models=true", "--format", "sarif"]);
        expect(denied.code).toBe(1);
        const log = JSON.parse(denied.stdout) as Sarif.Log;
        expect(sarifErrors(log)).toEqual([]);
        expect(log.runs[0]!.results!.map((x) => x.ruleId)).toEqual(["no-signature"]);
        expect(log.runs[0]!.results![0]!.message.text).toContain(unsigned);
    });
});
