/** Runs `aiguard check --format json` on a corpus program and parses what it wrote. */
import * as path from "node:path";
import { expect } from "vitest";
import { aiguard, type CliRun } from "../cli/support";

export const PROGRAMS = path.join(__dirname, "programs");

export interface CorpusRun extends CliRun {
    /** The parsed stdout: a result document, or an error document. */
    readonly doc: any;
}

/** `aiguard check test/corpus/programs/<name> --format json <args>`; stdout must parse as JSON. */
export async function checkJson(name: string, args: readonly string[] = []): Promise<CorpusRun> {
    const run = await aiguard(["check", path.join("test", "corpus", "programs", name), "--format", "json", ...args]);
    let doc: unknown;
    expect(() => (doc = JSON.parse(run.stdout)), `stdout of ${name} parses as JSON; stderr:\n${run.stderr}`).not.toThrow();
    return { ...run, doc };
}

/** `[kind, name]` of each unseen item, in order. */
export const notSeen = (doc: any): [string, string][] => (doc.notSeen as { kind: string; name: string }[]).map((u) => [u.kind, u.name]);

/** `rule@resource` of each finding. */
export const findings = (doc: any): string[] => (doc.findings as { rule: string; resourceName: string }[]).map((f) => `${f.rule}@${f.resourceName}`);

/** The exit code agrees with the document: 1 exactly when mandatory violations were found. */
export function expectConsistentExit(run: CorpusRun): void {
    expect(run.doc.summary.exitCode).toBe(run.code);
    expect(run.code).toBe(run.doc.summary.mandatory > 0 ? 1 : run.doc.summary.verdict === "nothing-judged" ? 2 : 0);
}
