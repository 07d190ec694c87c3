/**
 * Rules are typed by the SDK classes they declare: a read of a property the resource's input type
 * does not have fails to compile. Proven with the real compiler on a fixture, both ways: as written
 * (each bad read carries `@ts-expect-error`, so the file compiles only if every one of them is an
 * error) and with the directives removed (then each of those lines must be reported).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../../..");
const FIXTURE = path.join(__dirname, "fixtures", "typed-rule-reads.ts");
const TSC = path.join(ROOT, "node_modules/typescript/bin/tsc");
const work = fs.mkdtempSync(path.join(ROOT, "test/policies/framework/fixtures/.tmp-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function compile(file: string): { code: number | null; out: string } {
    const config = path.join(work, `tsconfig-${path.basename(file)}.json`);
    fs.writeFileSync(config, JSON.stringify({ extends: path.join(ROOT, "tsconfig.json"), compilerOptions: { noEmit: true }, files: [file], include: [] }));
    const r = spawnSync(process.execPath, [TSC, "-p", config], { cwd: ROOT, encoding: "utf8" });
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe("typed rules", () => {
    it("compiles the fixture: every read marked @ts-expect-error is a type error", () => {
        const { code, out } = compile(FIXTURE);
        expect(out).toBe("");
        expect(code).toBe(0);
    }, 120_000);

    it("reports each bad read once the directives are removed", () => {
        const source = fs.readFileSync(FIXTURE, "utf8");
        const expected = source.split("\n").flatMap((l, i) => (/^\s*\/\/ @ts-expect-error/.test(l) ? [i + 2] : []));
        expect(expected.length).toBe(5);
        const stripped = path.join(work, "typed-rule-reads.ts");
        const absolute = source.replace(/"(\.\.\/)+(policies\/[^"]+)"/g, (_m, _up, rest: string) => JSON.stringify(path.join(ROOT, rest)));
        fs.writeFileSync(stripped, absolute.replace(/^\s*\/\/ @ts-expect-error.*$/gm, "//"));
        const { code, out } = compile(stripped);
        expect(code).not.toBe(0);
        const lines = [...out.matchAll(/typed-rule-reads\.ts\((\d+),\d+\): error TS(2339|2345)/g)].map((m) => Number(m[1]));
        expect([...new Set(lines)].sort((a, b) => a - b)).toEqual(expected);
    }, 120_000);
});
