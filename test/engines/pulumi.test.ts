/**
 * The real Pulumi CLI (scripts/build-engines.sh) runs a Node.js CrossGuard pack against a state
 * file with `pulumi policy analyze`, offline, exactly as the lead's policy tests will.
 */
import { mkdirSync, symlinkSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
    createPulumiWorkspace,
    parseAnalyzeJson,
    urnOf,
    writePolicyPack,
    writeStateFile,
    type PulumiWorkspace,
} from "./pulumi-fixture";
import { builtVersion, REPO_ROOT } from "../../fixtures/engines/tools";

const BUCKET = "aws:s3/bucket:Bucket";

/** One mandatory rule (encryption) and one advisory rule (an owner tag). */
const PACK_JS = `
const { PolicyPack } = require("@pulumi/policy");
new PolicyPack("engines-test-pack", {
    policies: [
        {
            name: "bucket-encryption-missing",
            description: "Buckets must configure server-side encryption.",
            enforcementLevel: "mandatory",
            validateResource: (args, reportViolation) => {
                if (args.type === "${BUCKET}" && !args.props.serverSideEncryptionConfiguration) {
                    reportViolation("bucket " + args.name + " has no server-side encryption");
                }
            },
        },
        {
            name: "bucket-owner-tag-missing",
            description: "Buckets should carry an owner tag.",
            enforcementLevel: "advisory",
            validateResource: (args, reportViolation) => {
                if (args.type === "${BUCKET}" && !(args.props.tags && args.props.tags.owner)) {
                    reportViolation("bucket " + args.name + " has no owner tag");
                }
            },
        },
    ],
});
`;

const encrypted = { serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } } } };

let ws: PulumiWorkspace;
let packDir: string;

beforeAll(() => {
    ws = createPulumiWorkspace();
    packDir = writePolicyPack(path.join(ws.dir, "pack"), { name: "engines-test-pack", version: "1.2.3", indexJs: PACK_JS });
});

afterAll(() => ws?.cleanup());

function analyze(state: string, extra: string[] = []) {
    return ws.run(["policy", "analyze", "--file", state, "--policy-pack", packDir, ...extra]);
}

describe("pulumi CLI", () => {
    it("reports the version build-engines.sh built", async () => {
        const res = await ws.run(["version"]);
        expect(res.code).toBe(0);
        expect(res.stdout.trim()).toBe(builtVersion("pulumi"));
    });
});

describe("pulumi policy analyze --file", () => {
    it("exits non-zero on a mandatory violation and names it in --json output", async () => {
        const state = writeStateFile(path.join(ws.dir, "violating.json"), [
            { urn: urnOf(BUCKET, "plain"), type: BUCKET, inputs: { bucket: "plain" }, outputs: { bucket: "plain" } },
        ]);
        const res = await analyze(state, ["--json"]);
        expect(res.code, res.stderr).not.toBe(0);
        const out = parseAnalyzeJson(res.stdout);
        expect(out.violations).toContainEqual(
            expect.objectContaining({
                resourceUrn: urnOf(BUCKET, "plain"),
                policyName: "bucket-encryption-missing",
                policyPackName: "engines-test-pack",
                policyPackVersion: "1.2.3",
                enforcementLevel: "mandatory",
                // The CLI prefixes the policy's description to the reported message.
                message: "Buckets must configure server-side encryption.\nbucket plain has no server-side encryption",
            }),
        );
        expect(out.summary?.result).toBe("failed");
        expect(out.summary?.policyPacks).toEqual({ "engines-test-pack": "1.2.3" });
    });

    it("exits zero when only advisory rules fire, still reporting them", async () => {
        const state = writeStateFile(path.join(ws.dir, "advisory.json"), [
            { urn: urnOf(BUCKET, "untagged"), type: BUCKET, inputs: encrypted, outputs: encrypted },
        ]);
        const res = await analyze(state, ["--json"]);
        expect(res.code, res.stderr).toBe(0);
        const out = parseAnalyzeJson(res.stdout);
        expect(out.violations.map((v) => [v.policyName, v.enforcementLevel])).toEqual([["bucket-owner-tag-missing", "advisory"]]);
        expect(out.summary?.result).toBe("succeeded");
    });

    it("exits zero with no violations for a compliant state", async () => {
        const inputs = { ...encrypted, tags: { owner: "ml-platform" } };
        const state = writeStateFile(path.join(ws.dir, "clean.json"), [
            { urn: urnOf(BUCKET, "good"), type: BUCKET, inputs, outputs: inputs },
        ]);
        const res = await analyze(state, ["--json"]);
        expect(res.code, res.stderr).toBe(0);
        expect(parseAnalyzeJson(res.stdout).violations).toEqual([]);
    });

    it("prints the violation in the human-readable output too", async () => {
        const state = writeStateFile(path.join(ws.dir, "violating-text.json"), [
            { urn: urnOf(BUCKET, "plain"), type: BUCKET, inputs: {}, outputs: {} },
        ]);
        const res = await analyze(state);
        expect(res.code).not.toBe(0);
        expect(res.stdout).toContain("bucket-encryption-missing");
        expect(res.stdout).toContain("bucket plain has no server-side encryption");
        expect(res.stderr).toContain("one or more mandatory policy violations were found");
    });

    it("finds @pulumi/pulumi in a parent directory's node_modules (no node_modules in the pack)", async () => {
        const parent = path.join(ws.dir, "tree");
        mkdirSync(parent);
        symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(parent, "node_modules"), "dir");
        const nested = writePolicyPack(path.join(parent, "packs", "nested"), {
            name: "engines-test-pack", version: "1.2.3", indexJs: PACK_JS, nodeModules: "none",
        });
        const state = writeStateFile(path.join(ws.dir, "nested.json"), [
            { urn: urnOf(BUCKET, "plain"), type: BUCKET, inputs: {}, outputs: {} },
        ]);
        const res = await ws.run(["policy", "analyze", "--file", state, "--policy-pack", nested, "--json"]);
        expect(res.code).not.toBe(0);
        expect(parseAnalyzeJson(res.stdout).violations.map((v) => v.policyName)).toContain("bucket-encryption-missing");
    });

    it("tells the user to npm install when the pack cannot resolve @pulumi/pulumi", async () => {
        const orphan = writePolicyPack(path.join(ws.dir, "orphan-pack"), {
            name: "orphan", indexJs: PACK_JS, nodeModules: "none",
        });
        const state = writeStateFile(path.join(ws.dir, "orphan.json"), [
            { urn: urnOf(BUCKET, "plain"), type: BUCKET, inputs: {}, outputs: {} },
        ]);
        const res = await ws.run(["policy", "analyze", "--file", state, "--policy-pack", orphan]);
        expect(res.code).not.toBe(0);
        expect(res.stderr).toContain(`try running npm install or yarn install in "${orphan}"`);
    });
});
