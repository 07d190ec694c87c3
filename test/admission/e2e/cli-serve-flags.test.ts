/**
 * The bounds of `serve` set on the command line (`--max-images-per-object`,
 * `--registry-concurrency`, `--max-connections`): each flag reaches the server and changes what it
 * does, and a bad value is a usage error (exit 2) naming the flag and its range.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { call } from "../../../fixtures/admission/https";
import { keyPolicyDoc } from "../../../fixtures/admission/policy";
import { startRegistry, type RegistryFixture } from "../../../fixtures/admission/registry";
import { podSpec, review, workload } from "../../../fixtures/admission/reviews";
import { generateTestKey } from "../../../fixtures/admission/sign";
import { startHostileRegistry, type HostileRegistry } from "../fixtures/hostile";
import { CLI, startServeCli, type ServeCli } from "../server/support/serve-cli";
import { eventually } from "../server/support/server";

const dir = mkdtempSync(join(tmpdir(), "aiguard-cli-flags-"));
let reg: RegistryFixture;
let stall: HostileRegistry;
let policy: string;
const hex = (i: number) => i.toString(16).padStart(64, "0");
const started: ServeCli[] = [];

beforeAll(async () => {
    [reg, stall] = await Promise.all([startRegistry(), startHostileRegistry("stall")]);
    policy = join(dir, "policy.yaml");
    writeFileSync(policy, stringify(keyPolicyDoc({ images: [`${reg.host}/ml/**`, `${stall.host}/ml/**`], pems: [generateTestKey().publicPem] })));
});
afterAll(async () => {
    await Promise.all(started.map((s) => s.stop()));
    await stall?.stop();
    await reg?.stop();
    rmSync(dir, { recursive: true, force: true });
});

async function serve(...flags: string[]): Promise<ServeCli> {
    const s = await startServeCli(dir, ["--policy", policy, "--insecure-registry", reg.host, "--insecure-registry", stall.host, "--deadline-ms", "3000", ...flags]);
    started.push(s);
    return s;
}

const pod = (images: string[], uid: string) => JSON.stringify(review("Pod", workload("Pod", podSpec({ containers: images })), { uid }));

function usage(args: string[]): Promise<{ code: number | null; err: string }> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, ["--import", "tsx", CLI, "serve", "--policy", policy, "--tls-cert", "c", "--tls-key", "k", ...args], { stdio: ["ignore", "ignore", "pipe"] });
        let err = "";
        child.stderr.on("data", (c: Buffer) => (err += c.toString()));
        child.on("exit", (code) => resolve({ code, err }));
    });
}

describe("serve bounds from the command line", () => {
    it("--max-images-per-object 2: three distinct images are denied at once naming the limit; two go on to verification", async () => {
        const s = await serve("--max-images-per-object", "2");
        const three = [1, 2, 3].map((i) => `${reg.host}/ml/a@sha256:${hex(i)}`);
        const over = JSON.parse((await call(s.port, s.ca, "/validate", { body: pod(three, "three") })).body) as { response: { allowed: boolean; status: { message: string } } };
        expect(over.response.allowed).toBe(false);
        expect(over.response.status.message).toBe(
            "aiguard denied Pod models/model-server: it names 3 distinct images, more than the limit of 2 per object (--max-images-per-object); split the workload or raise the limit",
        );
        const two = JSON.parse((await call(s.port, s.ca, "/validate", { body: pod(three.slice(0, 2), "two") })).body) as { response: { allowed: boolean; status: { message: string } } };
        expect(two.response.allowed).toBe(false);
        expect(two.response.status.message).toContain("2 images failed verification");
    });

    it("--registry-concurrency 3: a pod naming 10 images of a stalling registry has exactly 3 verifications in flight", async () => {
        const s = await serve("--registry-concurrency", "3");
        const before = new Set(stall.requests).size;
        const images = Array.from({ length: 10 }, (_, i) => `${stall.host}/ml/slow@sha256:${hex(1000 + i)}`);
        const answer = call(s.port, s.ca, "/validate", { body: pod(images, "slow") });
        const digests = () => new Set(stall.requests.filter((p) => /sha256[-:][0-9a-f]{64}/.test(p)).map((p) => /([0-9a-f]{64})/.exec(p)![1])).size;
        await eventually(() => digests() >= 3, 5_000);
        await new Promise((r) => setTimeout(r, 500)); // more would have started by now without the bound
        expect(digests()).toBe(3);
        expect(new Set(stall.requests).size - before).toBeGreaterThanOrEqual(3);
        const reply = JSON.parse((await answer).body) as { response: { allowed: boolean } };
        expect(reply.response.allowed).toBe(false);
    });

    it("--max-connections 2: a third connection is closed at once; once the two close, the server answers again", async () => {
        const s = await serve("--max-connections", "2");
        const idle: Socket[] = [];
        for (let i = 0; i < 2; i++) {
            const sock = connect(s.port, "127.0.0.1");
            await new Promise<void>((resolve) => sock.once("connect", () => resolve()));
            idle.push(sock);
        }
        await new Promise((r) => setTimeout(r, 100));
        const extra = connect(s.port, "127.0.0.1");
        const closedAt = await new Promise<number>((resolve) => extra.once("close", () => resolve(Date.now())));
        expect(closedAt).toBeGreaterThan(0);
        expect(idle.every((sock) => !sock.destroyed)).toBe(true);
        for (const sock of idle) sock.destroy();
        await eventually(async () => (await call(s.port, s.ca, "/healthz").then((r) => r.status, () => 0)) === 200, 3_000);
    });

    it.each([
        [["--max-images-per-object", "0"], "--max-images-per-object must be an integer from 1 to 100000"],
        [["--registry-concurrency", "2000"], "--registry-concurrency must be an integer from 1 to 1024"],
        [["--max-connections", "many"], "--max-connections must be an integer from 1 to 65536"],
    ])("%j is a usage error (exit 2) naming the range", async (args, message) => {
        const r = await usage(args);
        expect(r.code).toBe(2);
        expect(r.err).toContain(message);
    });
});
