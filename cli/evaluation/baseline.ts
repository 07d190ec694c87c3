/**
 * Baselines of accepted findings (`aiguard check --write-baseline <file>`, then `--baseline <file>`),
 * as Checkov's `--create-baseline` / `--baseline`: a team adopts the pack on an existing estate and
 * fails only on findings that are new.
 *
 * A finding is identified by its rule and its resource's URN (`urn:pulumi:<stack>::<project>::<type
 * chain>::<name>`), never by its message: messages carry values that change between runs (unknowns at
 * preview, generated names, numbers) and would make accepted findings reappear. The fingerprint is
 * the SHA-256 of rule and URN; the message is stored for people only. Consequences: a baseline
 * belongs to one project and stack (the URN names them); renaming a resource or moving it under
 * another parent makes its findings new; and one entry accepts every finding of that rule on that
 * resource (a rule that reports a resource twice is accepted twice).
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { describeError } from "../../common/errors";
import { UsageError } from "../errors";
import type { BaselineEntry, BaselineOutcome, CheckResult, Finding } from "./result";

export interface BaselineFile {
    readonly version: 1;
    /** What identifies a finding, for the reader of the file. */
    readonly identity: string;
    /** The project and stack the baseline was written for. */
    readonly target: { readonly project: string; readonly stack: string };
    readonly findings: readonly BaselineEntry[];
}

const IDENTITY = "rule + resource URN (fingerprint = sha256(rule NUL urn)); messages are informative only";

/** The stable identity of a finding: its rule and its resource URN. */
export function findingFingerprint(rule: string, urn: string): string {
    return createHash("sha256").update(`${rule}\u0000${urn}`).digest("hex").slice(0, 32);
}

/** The baseline accepting every finding of `result` (one entry per rule and resource, sorted). */
export function createBaseline(result: CheckResult): BaselineFile {
    const entries = new Map<string, BaselineEntry>();
    for (const f of result.findings) {
        const fingerprint = findingFingerprint(f.rule, f.urn);
        if (!entries.has(fingerprint)) entries.set(fingerprint, { rule: f.rule, urn: f.urn, fingerprint, resourceType: f.resourceType, resourceName: f.resourceName, message: f.message });
    }
    const findings = [...entries.values()].sort((a, b) => a.rule.localeCompare(b.rule) || a.urn.localeCompare(b.urn));
    return { version: 1, identity: IDENTITY, target: { project: result.target.project, stack: result.target.stack }, findings };
}

export function renderBaseline(b: BaselineFile): string {
    return `${JSON.stringify(b, null, 2)}\n`;
}

/** Reads and checks a baseline file. Throws {@link UsageError}. */
export function readBaseline(file: string): BaselineFile {
    const fix = "write one with `aiguard check <program-dir> --write-baseline <file>`";
    let doc: unknown;
    try {
        doc = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        const missing = (err as NodeJS.ErrnoException).code === "ENOENT";
        throw new UsageError(missing ? `--baseline file ${file} does not exist` : `--baseline file ${file} is not readable JSON: ${describeError(err)}`, fix);
    }
    const d = doc as Partial<BaselineFile> | null;
    if (!d || typeof d !== "object" || d.version !== 1 || !Array.isArray(d.findings)) {
        throw new UsageError(`--baseline file ${file} is not an aiguard baseline of version 1 (an object with "version": 1 and "findings": [...])`, fix);
    }
    d.findings.forEach((e, i) => {
        if (!e || typeof e !== "object" || typeof e.rule !== "string" || typeof e.urn !== "string") {
            throw new UsageError(`--baseline file ${file}: findings[${i}] needs string "rule" and "urn"`, fix);
        }
        if (e.fingerprint !== undefined && e.fingerprint !== findingFingerprint(e.rule, e.urn)) {
            throw new UsageError(`--baseline file ${file}: findings[${i}] has a fingerprint that is not sha256(rule, urn) of its rule and urn (edited by hand?)`, `${fix}, or drop the "fingerprint" field of entries you edit`);
        }
    });
    return d as BaselineFile;
}

/**
 * Moves the findings the baseline accepts out of `findings` (into `baseline.suppressed`) and lists
 * the entries of evaluated rules that match nothing this run (`baseline.fixed`). An entry whose
 * finding is exempted this run is neither. A baseline written for another project or stack is
 * noted (its URNs cannot match).
 */
export function applyBaseline(result: CheckResult, baseline: BaselineFile, file: string): CheckResult {
    const accepted = new Set(baseline.findings.map((e) => findingFingerprint(e.rule, e.urn)));
    const suppressed: Finding[] = [];
    const findings: Finding[] = [];
    for (const f of result.findings) (accepted.has(findingFingerprint(f.rule, f.urn)) ? suppressed : findings).push(f);
    const seen = new Set([...result.findings, ...result.exemptions].map((f) => findingFingerprint(f.rule, f.urn)));
    const evaluated = (rule: string) => (result.levels[rule] ?? "disabled") !== "disabled" || !result.policies.some((p) => p.name === rule);
    const fixed = baseline.findings.filter((e) => !seen.has(findingFingerprint(e.rule, e.urn)) && evaluated(e.rule));
    const other = baseline.target && (baseline.target.project !== result.target.project || baseline.target.stack !== result.target.stack);
    const outcome: BaselineOutcome = { file, entries: baseline.findings.length, suppressed, fixed };
    return {
        ...result,
        findings,
        baseline: outcome,
        notes: [
            ...result.notes,
            ...(other ? [`baseline ${file} was written for project ${baseline.target.project}, stack ${baseline.target.stack}; this run is project ${result.target.project}, stack ${result.target.stack}, so its resource URNs cannot match`] : []),
        ],
    };
}
