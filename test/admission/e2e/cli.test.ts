/** The CLI as users run it (a child process), against the real registry and engine. */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { OciPusher } from "../../../fixtures/admission/oci";
import { keyPolicyDoc } from "../../../fixtures/admission/policy";
import { startRegistry, type RegistryFixture } from "../../../fixtures/admission/registry";
import { generateTestKey, signLegacy, type TestKey } from "../../../fixtures/admission/sign";
import type { Json } from "../server/support/fake-apiserver";
import { CLI, startServeCli, type ServeCli } from "../server/support/serve-cli";
import { call } from "../../../fixtures/admission/https";
import { podSpec, review, workload } from "../../../fixtures/admission/reviews";

const dir = mkdtempSync(join(tmpdir(), "aiguard-cli-"));
let reg: RegistryFixture;
let oci: OciPusher;
let key: TestKey;
let policy: string;
let signed: string;
let unsigned: string;

interface Run {
    code: number | null;
    out: string;
    err: string;
}

function cli(args: string[], stdin?: string): Promise<Run> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], { stdio: ["pipe", "pipe", "pipe"] });
        let out = "";
        let err = "";
        child.stdout.on("data", (c: Buffer) => (out += c.toString()));
        child.stderr.on("data", (c: Buffer) => (err += c.toString()));
        child.on("exit", (code) => resolve({ code, out, err }));
        child.stdin.end(stdin ?? "");
    });
}

beforeAll(async () => {
    reg = await startRegistry();
    oci = new OciPusher(reg);
    key = generateTestKey();
    policy = join(dir, "policy.yaml");
    writeFileSync(policy, stringify(keyPolicyDoc({ images: [`${reg.host}/ml/**`], pems: [key.publicPem] })));
    const a = await oci.pushImage("ml/llm");
    await signLegacy(oci, reg.host, "ml/llm", a.digest, key);
    signed = a.reference;
    unsigned = (await oci.pushImage("ml/unsigned")).reference;
});
afterAll(async () => {
    await oci?.close();
    await reg?.stop();
});

const reg_ = () => ["--policy", policy, "--insecure-registry", reg.host];

describe("verify-image", () => {
    it("exit 0 for a signed, pinned image", async () => {
        const r = await cli(["verify-image", signed, ...reg_()]);
        expect(r.code).toBe(0);
        expect(r.out).toBe(`OK argument Image -/- image: ${signed} (policy models)\n`);
    });

    it("exit 1 for an unsigned image, with the reason", async () => {
        const r = await cli(["verify-image", unsigned, ...reg_(), "--namespace-labels", "aiguard.io/models=true"]);
        expect(r.code).toBe(1);
        expect(r.out).toMatch(new RegExp(`^DENIED argument Image -/- image: ${unsigned.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: no-signature: `));
    });

    it("exit 2 for usage and input errors", async () => {
        expect((await cli(["verify-image", signed])).code).toBe(2);
        const bad = join(dir, "bad.yaml");
        writeFileSync(bad, "apiVersion: aiguard.io/v1\nkind: ImageTrustPolicy\npolicies: nope\n");
        const r = await cli(["verify-image", signed, "--policy", bad]);
        expect(r.code).toBe(2);
        expect(r.err).toContain(`error: trust policy ${bad}: `);
        expect((await cli(["verify-image", signed, ...reg_(), "--namespace-labels", "novalue"])).code).toBe(2);
    });

    it("--help exits 0", async () => {
        for (const cmd of [[], ["serve"], ["verify-image"], ["check-manifests"]]) {
            const r = await cli([...cmd, "--help"]);
            expect(r.code).toBe(0);
            expect(r.out).toContain("Usage: aiguard-admission");
        }
    });
});

describe("check-manifests", () => {
    const deployment = (images: Parameters<typeof podSpec>[0]) => stringify(workload("Deployment", podSpec(images)));

    it("exit 0 when every image of every document verifies; kinds without pods are skipped", async () => {
        const file = join(dir, "ok.yaml");
        writeFileSync(file, [deployment({ containers: [signed], initContainers: [signed] }), stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg" }, data: { a: "b" } })].join("---\n"));
        const r = await cli(["check-manifests", file, ...reg_()]);
        expect(r.code).toBe(0);
        expect(r.out.trim().split("\n")).toEqual([
            `OK ${file}#1 Deployment models/model-server spec.template.spec.containers[0].image: ${signed} (policy models)`,
            `OK ${file}#1 Deployment models/model-server spec.template.spec.initContainers[0].image: ${signed} (policy models)`,
        ]);
        expect(r.err).toContain(`skipped ${file}#2 ConfigMap cfg: no pod template`);
    });

    it("exit 1 naming each failing image with its document and field path (stdin too)", async () => {
        const yaml = [deployment({ containers: [signed] }), stringify(workload("CronJob", podSpec({ containers: [signed], initContainers: [unsigned] })))].join("---\n");
        const r = await cli(["check-manifests", "-", ...reg_()], yaml);
        expect(r.code).toBe(1);
        const lines = r.out.trim().split("\n");
        expect(lines[0]).toBe(`OK -#1 Deployment models/model-server spec.template.spec.containers[0].image: ${signed} (policy models)`);
        expect(lines[2]).toMatch(/^DENIED -#2 CronJob models\/model-server spec\.jobTemplate\.spec\.template\.spec\.initContainers\[0\]\.image: .*: no-signature: /);
        expect(r.err).toContain("3 image reference(s), 1 denied");
    });

    it("exit 2 on invalid YAML or a malformed pod spec", async () => {
        const file = join(dir, "broken.yaml");
        writeFileSync(file, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a}]\n---\nkey: [unclosed\n");
        const r = await cli(["check-manifests", file, ...reg_()]);
        expect(r.code).toBe(2);
        expect(r.err).toContain(`error: ${file}#1 Pod default/p: spec.containers[0].image is missing or not a string`);
        expect(r.err).toContain(`error: ${file}#2: invalid YAML: `);
    });
});

describe("serve", () => {
    let state: ServeCli;
    beforeAll(async () => {
        state = await startServeCli(dir, reg_());
    });
    afterAll(() => state?.stop());

    it("serves admission with the real engine and exits 0 on SIGTERM", async () => {
        expect((await call(state.port, state.ca, "/readyz")).status).toBe(200);
        const ok = await call(state.port, state.ca, "/validate", { body: JSON.stringify(review("Pod", workload("Pod", podSpec({ containers: [signed] })))) });
        expect(JSON.parse(ok.body).response).toMatchObject({ allowed: true });
        const no = await call(state.port, state.ca, "/validate", { body: JSON.stringify(review("Pod", workload("Pod", podSpec({ containers: [unsigned] })))) });
        expect(JSON.parse(no.body).response).toMatchObject({ allowed: false, status: { code: 403 } });
        const exited = new Promise<number | null>((r) => state.child.once("exit", (code) => r(code)));
        state.child.kill("SIGTERM");
        expect(await exited).toBe(0);
        const lines = state.log().trim().split("\n").map((l) => JSON.parse(l) as Json);
        expect(lines.filter((l) => l["msg"] === "admission decision").map((l) => l["allowed"])).toEqual([true, false]);
        expect(lines.at(-1)?.["msg"]).toBe("stopped");
    });
});
