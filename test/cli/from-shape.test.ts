/**
 * `aiguard check --from`: the document's shape is checked before conversion (errors name the field
 * path and the resource), nesting is bounded, and dependency fields are kept.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { fieldPath } from "../../cli/evaluation/planned-stack-schema";
import { parsePlannedStack } from "../../cli/evaluation/from-file";
import { MAX_PROPERTY_DEPTH } from "../../cli/evaluation/property-values";
import { UsageError } from "../../cli/errors";
import { aiguard, FIXTURES, STACK_TRACE } from "./support";

const load = (f: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, f), "utf8"));
const SENTIMENT = "urn:pulumi:prod::ml-platform::aws:sagemaker/model:Model::sentiment";
const MODEL_KEY = "urn:pulumi:prod::ml-platform::aws:kms/key:Key::model-key";

/** `n` nested objects around a string. */
function nest(n: number): unknown {
    let v: unknown = "leaf";
    for (let i = 0; i < n; i++) v = { a: v };
    return v;
}

function refusal(doc: unknown): UsageError {
    try {
        parsePlannedStack(doc, "stack.json");
    } catch (err) {
        if (err instanceof UsageError) return err;
        throw err;
    }
    throw new Error("the document was accepted");
}

describe("the document's shape", () => {
    it("refuses non-object inputs, naming the field and the resource", () => {
        for (const [inputs, kind] of [["model", "a string"], [["model"], "a list"], [null, "null"]] as const) {
            const doc = load("stack-export.json");
            doc.deployment.resources[3].inputs = inputs;
            const err = refusal(doc);
            expect(err.message).toBe(`stack.json is not valid \`pulumi stack export\` output: deployment.resources[3].inputs must be an object, not ${kind} (resource "${SENTIMENT}")`);
            expect(err.fix).toContain("pulumi stack export");
        }
    });

    it("names the preview step of a resource state without a URN", () => {
        const doc = load("preview.json");
        delete doc.steps[2].newState.urn;
        expect(refusal(doc).message).toBe("stack.json is not valid `pulumi preview --json` output: steps[2].newState.urn is missing");
    });

    it("checks the dependency fields it keeps", () => {
        const doc = load("stack-export.json");
        doc.deployment.resources[3].dependencies = [7];
        expect(refusal(doc).message).toMatch(/deployment\.resources\[3\]\.dependencies\[0\] must be a string, not a number \(resource "urn:.*::sentiment"\)$/);
        const bad = load("stack-export.json");
        bad.deployment.resources[3].propertyDependencies = { kmsKeyArn: MODEL_KEY };
        expect(refusal(bad).message).toMatch(/deployment\.resources\[3\]\.propertyDependencies\.kmsKeyArn must be a list, not a string/);
    });

    it("keeps dependencies and propertyDependencies of what it reads", () => {
        const doc = load("stack-export.json");
        doc.deployment.resources[3].propertyDependencies = { kmsKeyArn: [MODEL_KEY] };
        const sentiment = parsePlannedStack(doc).resources.find((r) => r.urn === SENTIMENT)!;
        expect(sentiment.dependencies).toEqual([MODEL_KEY]);
        expect(sentiment.propertyDependencies).toEqual({ kmsKeyArn: [MODEL_KEY] });
        expect(parsePlannedStack(load("stack-export.json")).resources.find((r) => r.urn === SENTIMENT)!.propertyDependencies).toBeUndefined();
    });

    it("turns JSON pointers into field paths", () => {
        expect(fieldPath("/deployment/resources/3/inputs")).toBe("deployment.resources[3].inputs");
        expect(fieldPath("/steps/0/newState/propertyDependencies/a~1b")).toBe("steps[0].newState.propertyDependencies.a/b");
        expect(fieldPath("")).toBe("");
    });
});

describe("nesting", () => {
    it(`reads values nested up to ${MAX_PROPERTY_DEPTH} levels and refuses deeper ones, naming resource and property`, () => {
        const ok = load("stack-export.json");
        ok.deployment.resources[3].inputs.tags = nest(MAX_PROPERTY_DEPTH - 1);
        expect(JSON.stringify(parsePlannedStack(ok).resources[1]!.inputs.tags)).toContain('"leaf"');
        const deep = load("stack-export.json");
        deep.deployment.resources[3].inputs.tags = nest(MAX_PROPERTY_DEPTH);
        const err = refusal(deep);
        expect(err.message).toMatch(new RegExp(`^stack\\.json: a property of resource "${SENTIMENT.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}" nests deeper than ${MAX_PROPERTY_DEPTH} levels \\(sentiment#tags\\.a\\.a\\.a`));
        expect(err.message.length).toBeLessThan(400);
    });

    it("counts nesting inside plaintext secrets too", () => {
        const doc = load("stack-export.json");
        doc.deployment.resources[3].outputs.tags = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify(nest(MAX_PROPERTY_DEPTH)) };
        expect(refusal(doc).message).toContain(`nests deeper than ${MAX_PROPERTY_DEPTH} levels (sentiment#tags.a.a`);
    });

    it("a 5,000-level document is a usage error (exit 2), not an internal error", async () => {
        const doc = load("stack-export.json");
        doc.deployment.resources[3].inputs.tags = "DEEP";
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "aiguard-from-")), "deep.json");
        // Written as text: JSON.stringify itself overflows the test worker's stack at this depth.
        fs.writeFileSync(file, JSON.stringify(doc).replace('"DEEP"', `${'{"a":'.repeat(5000)}"leaf"${"}".repeat(5000)}`));
        const r = await aiguard(["check", "--from", file]);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(`aiguard: error: ${file}: a property of resource "${SENTIMENT}" nests deeper than ${MAX_PROPERTY_DEPTH} levels`);
        expect(r.stderr).toMatch(/^ {2}fix: /m);
        expect(r.stderr).not.toContain("internal error");
        expect(r.stderr).not.toMatch(STACK_TRACE);
    });

    it("a non-object inputs document is a usage error naming the resource (exit 2)", async () => {
        const doc = load("stack-export.json");
        doc.deployment.resources[3].inputs = "model";
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "aiguard-from-")), "inputs.json");
        fs.writeFileSync(file, JSON.stringify(doc));
        const r = await aiguard(["check", "--from", file]);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(`aiguard: error: ${file} is not valid \`pulumi stack export\` output: deployment.resources[3].inputs must be an object, not a string (resource "${SENTIMENT}")`);
    });
});
