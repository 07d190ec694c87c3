/**
 * The regression corpus: small programs written the way public Pulumi examples are (other authors'
 * styles, async entry points, lookups, inline Lambdas, Helm charts, provider default tags,
 * multi-language components, component libraries, dynamic providers), each checked through the
 * CLI as a user would. For each: `--format json` parses even when the program prints, the number
 * of resources judged, the exact "not seen" list, and the findings that do not depend on the pack's
 * scoping rules (which evolve separately). None may pass with unexplained unseen resources.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { aiguard } from "../cli/support";
import { checkJson, expectConsistentExit, findings, notSeen } from "./support";

describe.each(["preview", "update"] as const)("corpus in %s mode", (mode) => {
    it("static-site-async: an exported async function runs in its directory with project config; its outputs are the stack's", async () => {
        const r = await checkJson("static-site-async", ["--mode", mode]);
        expectConsistentExit(r);
        expect(r.doc.mode).toBe(mode);
        // 1 bucket, website config, public access block, policy, and one object per file of www/.
        expect(r.doc.summary.judged).toBe(6);
        expect(notSeen(r.doc)).toEqual([]);
        expect(r.doc.stackOutputs).toEqual(["bucketName", "websiteUrl"]);
        expect(r.stderr).toContain("│ uploading 2 files from www");
        expect(r.stdout).not.toContain("uploading");
    });

    it("lookups-ec2: lookups without an answer are unknown and named, the run goes on", async () => {
        const r = await checkJson("lookups-ec2", ["--mode", mode]);
        expectConsistentExit(r);
        expect(r.doc.summary.judged).toBe(3);
        expect(notSeen(r.doc)).toEqual([]);
        const notes = (r.doc.notes as string[]).join("\n");
        for (const fn of ["aws.ec2.getAmi", "aws.ec2.getVpc", "aws.route53.getZone"]) expect(notes).toContain(`lookup ${fn} (`);
        expect(findings(r.doc)).toEqual(expect.arrayContaining(["aws-ec2-securitygroup-disallow-public-ingress@web-sg"]));
        expect(r.stderr).toContain("│ looking up the default VPC");
    });

    it("lookups-ec2 with an answers file: answered lookups are no longer unknown", async () => {
        const r = await checkJson("lookups-ec2", ["--mode", mode, "--answers", "test/corpus/programs/lookups-ec2/answers.yaml"]);
        expectConsistentExit(r);
        expect(r.doc.summary.judged).toBe(3);
        expect((r.doc.notes as string[]).filter((n) => n.includes("had no offline answer"))).toEqual([]);
    });

    it("helm-and-manifests: YAML manifests are judged; the v3 chart (helm template) and the v4 chart (a plugin) are named as not seen", async () => {
        const r = await checkJson("helm-and-manifests", ["--mode", mode]);
        expectConsistentExit(r);
        // Namespace serving, the Deployment, and the ConfigMap and Namespace of manifests/config.yaml.
        expect(r.doc.summary.judged).toBe(4);
        expect(notSeen(r.doc)).toEqual([
            ["remote-component", "vllm"],
            ["lookup-resources", "ingress-nginx"],
        ]);
        expect(r.doc.summary.verdict).not.toBe("passed");
        expect(r.doc.notSeenFix).toContain("pulumi preview --json");
    });

    it("eks-multilang: multi-language components, a stack reference and a .get() read are named as not seen", async () => {
        const r = await checkJson("eks-multilang", ["--mode", mode]);
        expectConsistentExit(r);
        expect(r.doc.summary.judged).toBe(2);
        expect(notSeen(r.doc)).toEqual([
            ["remote-component", "gpu-vpc"],
            ["remote-component", "gpu-cluster"],
            ["stack-reference", "acme/network/prod"],
            ["read", "node-role"],
        ]);
        expect(findings(r.doc)).toEqual(expect.arrayContaining(["aws-s3-bucket-disallow-public-acl@model-artifacts-acl"]));
        expect(r.code).toBe(1);
    });
});

describe("the compliance report names what it did not see", () => {
    it.each(["markdown", "html"])("eks-multilang, --format %s", async (format) => {
        const run = await aiguard(["report", "test/corpus/programs/eks-multilang", "--format", format]);
        expect(run.code, run.stderr).toBe(0);
        expect(run.stdout).toContain("Not seen (4): not judged by this run");
        for (const name of ["gpu-vpc", "gpu-cluster", "acme/network/prod", "node-role"]) expect(run.stdout).toContain(name);
        expect(run.stdout).toContain("pulumi preview --json");
    });
});

describe("corpus, preview mode (the default)", () => {
    it("serverless-inline: inline Lambda callbacks serialize; default tags apply", async () => {
        const r = await checkJson("serverless-inline");
        expectConsistentExit(r);
        expect(r.doc.mode).toBe("preview");
        // bucket, table, the callback's role, 9 policy attachments, the function, its permission and the notification.
        expect(r.doc.summary.judged).toBe(14);
        expect(notSeen(r.doc)).toEqual([]);
    });

    it("component-library: a JavaScript component library's children are judged; the dynamic resource is not seen", async () => {
        const r = await checkJson("component-library");
        expectConsistentExit(r);
        expect(r.doc.summary.judged).toBe(3);
        expect(notSeen(r.doc)).toEqual([["dynamic-resource", "sentiment-v2"]]);
        expect(r.doc.summary.verdict === "blocked" || r.doc.summary.verdict === "incomplete").toBe(true);
    });

    it("only-plugin-components: a run that judged nothing is not a pass (exit 2, error and fix on stderr)", async () => {
        const r = await checkJson("only-plugin-components");
        expect(r.code).toBe(2);
        expect(r.doc.summary).toMatchObject({ verdict: "nothing-judged", passed: false, exitCode: 2, judged: 0 });
        expect(notSeen(r.doc)).toEqual([
            ["remote-component", "vpc"],
            ["remote-component", "cluster"],
        ]);
        expect(r.stderr).toMatch(/^aiguard: error: no resource was judged: the run saw only what it cannot judge \(vpc, cluster\)$/m);
        expect(r.stderr).toMatch(/^ {2}fix: evaluate a real preview instead/m);
    });

    it("failing-apply: a throwing apply is exit 2 with one line and a fix; JSON and SARIF carry an error document", async () => {
        const r = await checkJson("failing-apply");
        expect(r.code).toBe(2);
        expect(r.doc.error.message).toMatch(/^the program .*failing-apply\/index\.ts failed \(stack "dev", preview mode\): bucket data-0a1b2c3 must be named prod-\*$/);
        expect(r.doc.error.fix).toContain("pulumi preview --json");
        const errors = r.stderr.split("\n").filter((l) => l.startsWith("aiguard: "));
        expect(errors).toHaveLength(1);
        expect(r.stderr).toMatch(/^ {2}fix: /m);
        expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
        const sarif = await checkJson("failing-apply", ["--format", "sarif"]);
        expect(sarif.code).toBe(2);
        expect(sarif.doc.runs[0].invocations[0]).toMatchObject({ executionSuccessful: false, exitCode: 2 });
    });

    it("an invalid answers file is exit 2 naming the problem, with a JSON error document", async () => {
        const bad = path.join(os.tmpdir(), `aiguard-answers-${process.pid}.yaml`);
        fs.writeFileSync(bad, "version: 1\nlookups:\n  - function: aws.ec2.getAmi\n    result: ami-123\n");
        try {
            const r = await checkJson("lookups-ec2", ["--answers", bad]);
            expect(r.code).toBe(2);
            expect(r.doc.error.message).toBe(`--answers file ${bad}: /lookups/0/result must be object`);
            expect(r.stderr).toMatch(/^ {2}fix: see `aiguard check --help`/m);
        } finally {
            fs.rmSync(bad, { force: true });
        }
    });
});
