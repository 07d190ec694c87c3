/**
 * One error style for every way `aiguard` can be used wrongly: `aiguard: error: <what>` and a
 * `  fix: <what to do>` line, exit 2, no stack trace: commander's own parse errors (for aiguard's
 * commands and the admission commands mounted under it), trust-policy and manifest input errors,
 * and a program whose dependencies are not installed (one line naming the module, not a require stack).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { aiguard, FIXTURES, STACK_TRACE, type CliRun } from "./support";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "aiguard-errors-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const DIGEST_REF = `registry.example/models/llm@sha256:${"a".repeat(64)}`;

/** Every line of stderr is an `aiguard: error:` line or the one `fix:` line that ends it. */
function expectErrorStyle(r: CliRun): void {
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^aiguard: error: \S/);
    expect(lines[lines.length - 1]).toMatch(/^ {2}fix: \S/);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(r.stdout).toBe("");
}

describe("commander's parse errors", () => {
    it("prints them as aiguard errors with a fix naming the command's help", async () => {
        const cases: [string[], string, string][] = [
            [["check", "--no-such-flag"], "aiguard: error: unknown option '--no-such-flag'", "  fix: run `aiguard check --help` for its options"],
            [["check", "--format", "xml"], "aiguard: error: option '-f, --format <format>' argument 'xml' is invalid. Allowed choices are text, json, sarif, markdown.", "  fix: use one of the allowed values (`aiguard check --help` lists them)"],
            [["chek"], "aiguard: error: unknown command 'chek' (Did you mean check?)", "  fix: run `aiguard --help` for the commands"],
            [["explain"], "aiguard: error: missing required argument 'rule'", "  fix: run `aiguard explain --help` for what it needs"],
            [["check", "--stack"], "aiguard: error: option '-s, --stack <name>' argument missing", "  fix: run `aiguard check --help` for what it needs"],
            [["verify-image", DIGEST_REF], "aiguard: error: required option '--policy <file|dir>' not specified", "  fix: run `aiguard verify-image --help` for what it needs"],
            [["check-manifests", "x.yaml", "--policy", "p.yaml", "--format", "xml"], "aiguard: error: option '-f, --format <format>' argument 'xml' is invalid. Allowed choices are text, json, sarif.", "  fix: use one of the allowed values (`aiguard check-manifests --help` lists them)"],
            [["rules", "extra"], "aiguard: error: too many arguments for 'rules'. Expected 0 arguments but got 1: extra.", "  fix: run `aiguard rules --help` for its arguments (quote globs such as 'aws-s3-*' so the shell does not expand them)"],
        ];
        const runs = await Promise.all(cases.map(([args]) => aiguard(args)));
        runs.forEach((r, i) => {
            expectErrorStyle(r);
            expect(r.stderr).toBe(`${cases[i]![1]}\n${cases[i]![2]}\n`);
        });
    });
});

describe("admission input errors", () => {
    it("a trust policy that cannot be read or is invalid", async () => {
        const bad = path.join(tmp, "bad-policy.yaml");
        fs.writeFileSync(bad, "apiVersion: aiguard.io/v1\nkind: ImageTrustPolicy\npolicies: nope\n");
        const missing = path.join(tmp, "absent.yaml");
        const [invalid, absent] = await Promise.all([aiguard(["verify-image", DIGEST_REF, "--policy", bad]), aiguard(["verify-image", DIGEST_REF, "--policy", missing])]);
        for (const r of [invalid, absent]) {
            expectErrorStyle(r);
            expect(r.stderr).toContain("  fix: fix the trust policy (apiVersion aiguard.io/v1, kind ImageTrustPolicy; see admission-webhook/POLICY.md)");
        }
        expect(invalid.stderr).toMatch(new RegExp(`^aiguard: error: trust policy ${bad}: `));
        expect(absent.stderr).toMatch(new RegExp(`^aiguard: error: trust policy ${missing}: .*ENOENT`));
    });

    it("every bad manifest document, and malformed flags", async () => {
        const broken = path.join(tmp, "broken.yaml");
        fs.writeFileSync(broken, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a}]\n---\n- just a list\n");
        const [manifests, labels] = await Promise.all([
            aiguard(["check-manifests", broken, "--policy", path.join(tmp, "unused.yaml")]),
            aiguard(["verify-image", DIGEST_REF, "--policy", path.join(tmp, "unused.yaml"), "--namespace-labels", "novalue"]),
        ]);
        expectErrorStyle(manifests);
        expect(manifests.stderr).toBe(
            `aiguard: error: ${broken}#1 Pod default/p: spec.containers[0].image is missing or not a string; every container must name a digest-pinned image\n` +
                `aiguard: error: ${broken}#2: a Kubernetes object must be a mapping\n` +
                "  fix: fix the manifests (every document must be a Kubernetes object; pod templates must name every container's image)\n",
        );
        expectErrorStyle(labels);
        expect(labels.stderr).toBe('aiguard: error: --namespace-labels expects key=value pairs, got "novalue"\n  fix: e.g. --namespace-labels aiguard.io/models=true,team=ml\n');
    });
});

describe("a program whose dependencies do not resolve", () => {
    it("names the missing module in one line and says to run npm install, without a require stack", async () => {
        const r = await aiguard(["check", path.join(FIXTURES, "missing-dependency")]);
        const dir = path.relative(path.resolve(__dirname, "..", ".."), path.join(FIXTURES, "missing-dependency"));
        expectErrorStyle(r);
        expect(r.stderr).toBe(
            `aiguard: error: the program ${dir}/index.ts needs the module "@acme/not-installed-platform-lib", which is not installed (the program's dependencies do not resolve from ${dir})\n` +
                `  fix: run \`npm install\` in ${dir}\n`,
        );
        expect(r.stderr).not.toContain("Require stack");
    });

    it("says to add a package the program's package.json does not declare", async () => {
        const dir = path.join(FIXTURES, "missing-dependency");
        const copy = path.join(FIXTURES, "..", ".tmp-undeclared-dependency");
        fs.rmSync(copy, { recursive: true, force: true });
        fs.mkdirSync(copy);
        try {
            for (const f of ["Pulumi.yaml", "index.ts"]) fs.copyFileSync(path.join(dir, f), path.join(copy, f));
            const r = await aiguard(["check", copy]);
            const rel = path.relative(path.resolve(__dirname, "..", ".."), copy);
            expectErrorStyle(r);
            expect(r.stderr).toContain(`  fix: install it: \`npm install @acme/not-installed-platform-lib\` in ${rel} (${rel} has no package.json)`);
        } finally {
            fs.rmSync(copy, { recursive: true, force: true });
        }
    });
});
