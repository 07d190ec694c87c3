/**
 * Reads what Pulumi planned or deployed, so CI on a real account can evaluate exactly that:
 *
 *  - `pulumi preview --json` (a PreviewDigest: `steps[]`, each with `op`, `urn` and the resource's
 *    `newState` {type, custom, inputs, outputs, parent, dependencies, sourcePosition}). Without
 *    `--show-sames` the digest lists only changed resources; rules that join resources then see only
 *    those, so aiguard says so in its notes.
 *  - `pulumi stack export` (`{version, deployment: {resources[]}}`, each resource with
 *    inputs/outputs), as `pulumi policy analyze --file` reads it.
 *
 * Resource policies get each resource's inputs, stack policies its outputs (a preview's planned
 * outputs; when Pulumi wrote none, the inputs). Custom resources only, as in the offline run: the
 * root stack, providers and components are not sent. Each resource keeps its `dependencies` and
 * `propertyDependencies`. The document's shape is checked first (planned-stack-schema.ts); property
 * values are decoded by property-values.ts (secrets, bounded nesting).
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { describeError } from "../../common/errors";
import type { RecordedResource } from "../../offline/recording-mocks";
import { UsageError } from "../errors";
import { validatePlannedStack } from "./planned-stack-schema";
import { decodeProperties } from "./property-values";

/** Where a resource was declared (from the engine's `sourcePosition`). */
export interface SourcePosition {
    /** Path relative to the Pulumi project root, with forward slashes. */
    readonly file: string;
    readonly line: number;
    readonly column?: number;
}

export interface PlannedStack {
    readonly kind: "preview" | "export";
    readonly project: string;
    readonly stack: string;
    readonly resources: readonly RecordedResource[];
    /** Where each resource (components too) was declared, by URN, as the engine recorded it. */
    readonly sources: ReadonlyMap<string, SourcePosition>;
    /** Each resource's parent URN (components too), to place children declared inside a library. */
    readonly parents: ReadonlyMap<string, string>;
    /** SHA-256 (hex) of the document as read, so a report can say which file it describes. */
    readonly sha256?: string;
    /** Things the user should know about the document (partial previews, encrypted secrets). */
    readonly notes: readonly string[];
}

/** Steps whose resource is not in the planned stack. */
const GONE = new Set(["delete", "delete-replaced", "discard", "read-discard", "remove-pending-replace"]);

/** A resource state after schema validation (see planned-stack-schema.ts). */
interface StateJson {
    readonly urn: string;
    readonly type: string;
    readonly custom?: boolean;
    readonly delete?: boolean;
    readonly id?: string;
    readonly inputs?: Record<string, unknown>;
    readonly outputs?: Record<string, unknown>;
    readonly parent?: string;
    readonly dependencies?: readonly string[];
    readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
    readonly protect?: boolean;
    readonly sourcePosition?: string;
}

/** Reads a `--from` file (`-` for stdin). Throws {@link UsageError} for unreadable or unrecognised input. */
export function readPlannedStack(file: string): PlannedStack {
    let text: string;
    try {
        text = fs.readFileSync(file === "-" ? 0 : file, "utf8");
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new UsageError(
            code === "ENOENT" ? `--from file ${file} does not exist` : `cannot read --from file ${file}: ${describeError(err)}`,
            "write it with `pulumi preview --json --show-sames > preview.json` or `pulumi stack export > stack.json`",
        );
    }
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (err) {
        throw new UsageError(`--from file ${file} is not valid JSON: ${describeError(err)}`, "pass the unmodified output of `pulumi preview --json` or `pulumi stack export`");
    }
    return { ...parsePlannedStack(doc, file), sha256: createHash("sha256").update(text).digest("hex") };
}

/** Recognises and converts a parsed document (see the module comment for the formats). */
export function parsePlannedStack(doc: unknown, label = "document"): PlannedStack {
    if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw unrecognised(label, "it is not a JSON object");
    const o = doc as Record<string, unknown>;
    if ("resourcePlans" in o || "plan" in o) {
        throw new UsageError(`${label} is a deployment plan (pulumi preview --save-plan), which holds only property diffs`, "use `pulumi preview --json --show-sames` or `pulumi stack export` output instead");
    }
    if (Array.isArray(o.steps) || "changeSummary" in o) return fromPreview(o, label);
    if (o.deployment && typeof o.deployment === "object") return fromExport(o, label);
    throw unrecognised(label, 'it has neither "steps" (pulumi preview --json) nor "deployment" (pulumi stack export)');
}

function unrecognised(label: string, why: string): UsageError {
    return new UsageError(`${label} is not Pulumi preview or stack-export JSON: ${why}`, "pass the output of `pulumi preview --json --show-sames` or `pulumi stack export`");
}

function fromPreview(o: Record<string, unknown>, label: string): PlannedStack {
    validatePlannedStack(o, "preview", label);
    const steps = (o.steps ?? []) as readonly { op: string; urn?: string; newState?: StateJson }[];
    const states = new Map<string, StateJson>();
    let sames = 0;
    for (const step of steps) {
        // The root stack is always listed, even without --show-sames.
        if (step.op === "same" && step.newState?.type !== "pulumi:pulumi:Stack") sames++;
        if (GONE.has(step.op) || !step.newState) continue;
        states.set(step.newState.urn, step.newState);
    }
    const notes: string[] = [];
    const unchanged = (o.changeSummary as Record<string, number> | undefined)?.same ?? 0;
    if (unchanged > 0 && sames === 0) {
        notes.push(
            `this preview lists only changed resources (${unchanged} unchanged left out); rules that relate resources (e.g. a bucket and its encryption configuration) see only the listed ones: run \`pulumi preview --json --show-sames\``,
        );
    }
    return convert("preview", [...states.values()], notes, label);
}

function fromExport(o: Record<string, unknown>, label: string): PlannedStack {
    const version = o.version;
    if (version !== undefined && (typeof version !== "number" || version < 3)) {
        throw new UsageError(`${label} is stack-export version ${JSON.stringify(version)}; aiguard reads version 3 and later`, "export it again with a current Pulumi CLI: `pulumi stack export`");
    }
    validatePlannedStack(o, "export", label);
    const resources = ((o.deployment as { resources?: readonly StateJson[] }).resources ?? []);
    return convert("export", resources.filter((r) => r.delete !== true), [], label);
}

function convert(kind: PlannedStack["kind"], states: readonly StateJson[], notes: string[], label: string): PlannedStack {
    const encrypted = new Set<string>();
    const resources: RecordedResource[] = [];
    const sources = new Map<string, SourcePosition>();
    const parents = new Map<string, string>();
    let project = "";
    let stack = "";
    for (const s of states) {
        const parts = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(s.urn);
        if (parts) [stack, project] = [parts[1]!, parts[2]!];
        const pos = parseSourcePosition(s.sourcePosition);
        if (pos) sources.set(s.urn, pos);
        if (s.parent) parents.set(s.urn, s.parent);
        if (s.type === "pulumi:pulumi:Stack" || s.type.startsWith("pulumi:providers:") || s.custom !== true) continue;
        const inputs = decodeProperties(s.inputs ?? {}, s.urn, encrypted, label);
        const outputs = decodeProperties(s.outputs ?? {}, s.urn, encrypted, label);
        resources.push({
            urn: s.urn,
            type: s.type,
            name: s.urn.slice(s.urn.lastIndexOf("::") + 2),
            custom: true,
            parent: s.parent,
            inputs,
            outputs: Object.keys(outputs).length > 0 ? outputs : inputs,
            id: s.id,
            dependencies: s.dependencies ?? [],
            ...(s.propertyDependencies ? { propertyDependencies: s.propertyDependencies } : {}),
            protect: s.protect === true,
        });
    }
    if (encrypted.size > 0) {
        notes.push(`${encrypted.size} encrypted secret value(s) were treated as unknown (${[...encrypted].join(", ")}); export with --show-secrets to let rules read them`);
    }
    return { kind, project, stack, resources, sources, parents, notes };
}

/** `project:///stacks/platform/index.ts#12,5` → `{file: "stacks/platform/index.ts", line: 12, column: 5}`. */
export function parseSourcePosition(raw: unknown): SourcePosition | undefined {
    if (typeof raw !== "string") return undefined;
    const m = /^project:\/\/\/?([^#]+)#(\d+)(?:,(\d+))?$/.exec(raw);
    if (!m) return undefined;
    const line = Number(m[2]);
    if (line < 1) return undefined;
    return { file: decodeURIComponent(m[1]!), line, ...(m[3] ? { column: Number(m[3]) } : {}) };
}
