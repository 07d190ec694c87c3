/**
 * The ECR flags of the offline commands (`verify-image`, `check-manifests`; `serve` shares the
 * same option builder): `--ecr-credentials auto|off` and `--ecr-endpoint`, against the fake ECR API.
 * The image names a real ECR host, which does not resolve offline: what is checked is whether the
 * CLI asks ECR for a token before reaching the registry, and how it reports the outcome.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { main } from "../../../admission-webhook/cli";
import { startFakeEcr, type FakeEcr } from "../fixtures/fake-ecr";
import { keyPolicyDoc } from "../../../fixtures/admission/policy";
import { generateTestKey } from "../../../fixtures/admission/sign";

Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: "AKIDAIGUARDTEST00002",
    AWS_SECRET_ACCESS_KEY: "aiguard-test-secret-key",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_CONFIG_FILE: "/nonexistent/aws-config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
});

const HOST = "123456789012.dkr.ecr.eu-west-2.amazonaws.com";
const IMAGE = `${HOST}/models/sentiment@sha256:${"c".repeat(64)}`;
const dir = mkdtempSync(join(tmpdir(), "aiguard-ecr-cli-"));
const policy = join(dir, "policy.yaml");
let ecr: FakeEcr;

async function run(args: string[]): Promise<{ code: number | undefined; out: string[]; err: string[] }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out, err };
}

beforeAll(async () => {
    ecr = await startFakeEcr({ password: "unused" });
    writeFileSync(policy, stringify(keyPolicyDoc({ images: [`${HOST}/models/**`], pems: [generateTestKey().publicPem] })));
});
afterAll(async () => ecr?.stop());
beforeEach(() => {
    ecr.calls.length = 0;
    ecr.mode = "ok";
});

describe("--ecr-credentials", () => {
    it("auto (the default) asks ECR for a token, signed for the image's region", async () => {
        const r = await run(["verify-image", IMAGE, "--policy", policy, "--ecr-endpoint", ecr.url, "--timeout-ms", "5000"]);
        expect(r.code).toBe(1);
        expect(ecr.calls).toHaveLength(1);
        expect(ecr.calls[0]!.authorization).toContain("/eu-west-2/ecr/aws4_request");
        // The token was obtained; the registry host itself does not resolve here.
        expect(r.out.join("\n")).toMatch(/^DENIED .*cannot reach registry 123456789012\.dkr\.ecr\.eu-west-2\.amazonaws\.com/m);
    });

    it("reports ECR's AccessDenied with the IAM fix (check-manifests)", async () => {
        ecr.mode = "denied";
        const manifest = join(dir, "deploy.yaml");
        writeFileSync(manifest, stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "m", namespace: "models" }, spec: { containers: [{ name: "m", image: IMAGE }] } }));
        const r = await run(["check-manifests", manifest, "--policy", policy, "--ecr-credentials", "auto", "--ecr-endpoint", ecr.url, "--timeout-ms", "5000"]);
        expect(r.code).toBe(1);
        const out = r.out.join("\n");
        expect(out).toContain("AccessDeniedException");
        expect(out).toContain("grant ecr:GetAuthorizationToken");
        expect(ecr.calls).toHaveLength(1);
    });

    it("off never calls the ECR API", async () => {
        const r = await run(["verify-image", IMAGE, "--policy", policy, "--ecr-credentials", "off", "--ecr-endpoint", ecr.url, "--timeout-ms", "5000"]);
        expect(r.code).toBe(1);
        expect(ecr.calls).toHaveLength(0);
    });

    it.each([
        [["--ecr-credentials", "maybe"], /argument 'maybe' is invalid.*Allowed choices are auto, off/],
        [["--ecr-endpoint", "http://10.0.0.1"], /must use https/],
    ])("rejects %j as a usage error", async (flags, message) => {
        const r = await run(["verify-image", IMAGE, "--policy", policy, ...flags]);
        expect(r.code).toBe(2);
        expect(r.err.join("\n")).toMatch(message);
        expect(ecr.calls).toHaveLength(0);
    });
});
