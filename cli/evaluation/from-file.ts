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
 * root stack, providers and components are not sent. Secrets: plaintext ones (`--show-secrets`) are
 * decoded; encrypted ones and preview's `"[secret]"` become the engine's unknown value, which every
 * rule handles as "not known yet".
 */
import * as fs from "node:fs";
import type { RecordedResource } from "../../offline/recording-mocks";
import { UNKNOWN_VALUE } from "../../offline/analyzer-client";
import { errorMessage, UsageError } from "../errors";

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
    readonly sources: ReadonlyMap<string, SourcePosition>;
    /** Things the user should know about the document (partial previews, encrypted secrets). */
    readonly notes: readonly string[];
}

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** Steps whose resource is not in the planned stack. */
const GONE = new Set(["delete", "delete-replaced", "discard", "read-discard", "remove-pending-replace"]);

interface StateJson {
    urn?: unknown;
    type?: unknown;
    custom?: unknown;
    delete?: unknown;
    id?: unknown;
    inputs?: unknown;
    outputs?: unknown;
    parent?: unknown;
    dependencies?: unknown;
    protect?: unknown;
    sourcePosition?: unknown;
}

/** Reads a `--from` file (`-` for stdin). Throws {@link UsageError} for unreadable or unrecognised input. */
export function readPlannedStack(file: string): PlannedStack {
    let text: string;
    try {
        text = fs.readFileSync(file === "-" ? 0 : file, "utf8");
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new UsageError(
            code === "ENOENT" ? `--from file ${file} does not exist` : `cannot read --from file ${file}: ${errorMessage(err)}`,
            "write it with `pulumi preview --json --show-sames > preview.json` or `pulumi stack export > stack.json`",
        );
    }
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (err) {
        throw new UsageError(`--from file ${file} is not valid JSON: ${errorMessage(err)}`, "pass the unmodified output of `pulumi preview --json` or `pulumi stack export`");
    }
    return parsePlannedStack(doc, file);
}

/** Recognises and converts a parsed document (see the module comment for the formats). */
export function parsePlannedStack(doc: unknown, label = "document"): PlannedStack {
    if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw unrecognised(label, "it is not a JSON object");
    const o = doc as Record<string, unknown>;
    if ("resourcePlans" in o || "plan" in o) {
        throw new UsageError(`${label} is a deployment plan (pulumi preview --save-plan), which holds only property diffs`, "use `pulumi preview --json --show-sames` or `pulumi stack export` output instead");
    }
    if (Array.isArray(o.steps) || "changeSummary" in o) return fromPreview(o, label);
    const deployment = o.deployment as Record<string, unknown> | undefined;
    if (deployment && typeof deployment === "object") return fromExport(o, deployment, label);
    throw unrecognised(label, 'it has neither "steps" (pulumi preview --json) nor "deployment" (pulumi stack export)');
}

function unrecognised(label: string, why: string): UsageError {
    return new UsageError(`${label} is not Pulumi preview or stack-export JSON: ${why}`, "pass the output of `pulumi preview --json --show-sames` or `pulumi stack export`");
}

function fromPreview(o: Record<string, unknown>, label: string): PlannedStack {
    const steps = (o.steps ?? []) as unknown[];
    if (!Array.isArray(steps)) throw unrecognised(label, '"steps" is not a list');
    const states = new Map<string, StateJson>();
    let sames = 0;
    steps.forEach((s, i) => {
        if (!s || typeof s !== "object") throw unrecognised(label, `steps[${i}] is not an object`);
        const step = s as { op?: unknown; urn?: unknown; newState?: StateJson };
        // The root stack is always listed, even without --show-sames.
        if (step.op === "same" && step.newState?.type !== "pulumi:pulumi:Stack") sames++;
        if (typeof step.op !== "string" || GONE.has(step.op) || !step.newState) return;
        states.set(String(step.newState.urn ?? step.urn), step.newState);
    });
    const notes: string[] = [];
    const summary = (o.changeSummary ?? {}) as Record<string, unknown>;
    const unchanged = typeof summary.same === "number" ? summary.same : 0;
    if (unchanged > 0 && sames === 0) {
        notes.push(
            `this preview lists only changed resources (${unchanged} unchanged left out); rules that relate resources (e.g. a bucket and its encryption configuration) see only the listed ones: run \`pulumi preview --json --show-sames\``,
        );
    }
    return convert("preview", [...states.values()], notes, label);
}

function fromExport(o: Record<string, unknown>, deployment: Record<string, unknown>, label: string): PlannedStack {
    const version = o.version;
    if (version !== undefined && (typeof version !== "number" || version < 3)) {
        throw new UsageError(`${label} is stack-export version ${JSON.stringify(version)}; aiguard reads version 3 and later`, "export it again with a current Pulumi CLI: `pulumi stack export`");
    }
    const resources = deployment.resources ?? [];
    if (!Array.isArray(resources)) throw unrecognised(label, '"deployment.resources" is not a list');
    return convert("export", (resources as StateJson[]).filter((r) => r && r.delete !== true), [], label);
}

function convert(kind: PlannedStack["kind"], states: readonly StateJson[], notes: string[], label: string): PlannedStack {
    const secrets = { encrypted: new Set<string>() };
    const resources: RecordedResource[] = [];
    const sources = new Map<string, SourcePosition>();
    let project = "";
    let stack = "";
    states.forEach((s, i) => {
        if (typeof s.urn !== "string" || typeof s.type !== "string") throw unrecognised(label, `resource ${i} has no "urn" or "type"`);
        const parts = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(s.urn);
        if (parts) [stack, project] = [parts[1]!, parts[2]!];
        if (s.type === "pulumi:pulumi:Stack" || s.type.startsWith("pulumi:providers:") || s.custom !== true) return;
        const inputs = decode(s.inputs ?? {}, secrets, s.urn) as Record<string, unknown>;
        const outputs = decode(s.outputs ?? {}, secrets, s.urn) as Record<string, unknown>;
        resources.push({
            urn: s.urn,
            type: s.type,
            name: s.urn.slice(s.urn.lastIndexOf("::") + 2),
            custom: true,
            parent: typeof s.parent === "string" ? s.parent : undefined,
            inputs,
            outputs: Object.keys(outputs).length > 0 ? outputs : inputs,
            id: typeof s.id === "string" ? s.id : undefined,
            dependencies: Array.isArray(s.dependencies) ? s.dependencies.filter((d): d is string => typeof d === "string") : [],
            protect: s.protect === true,
        });
        const pos = parseSourcePosition(s.sourcePosition);
        if (pos) sources.set(s.urn, pos);
    });
    if (secrets.encrypted.size > 0) {
        notes.push(`${secrets.encrypted.size} encrypted secret value(s) were treated as unknown (${[...secrets.encrypted].join(", ")}); export with --show-secrets to let rules read them`);
    }
    return { kind, project, stack, resources, sources, notes };
}

/** Decodes engine property encodings; `where` is the property path (for the encrypted-secrets note). */
function decode(v: unknown, secrets: { encrypted: Set<string> }, where: string): unknown {
    if (v === "[secret]") return UNKNOWN_VALUE;
    if (Array.isArray(v)) return v.map((x, i) => decode(x, secrets, `${where}[${i}]`));
    if (v && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (o[SIG] === SECRET_SIG) {
            if (typeof o.plaintext === "string") {
                try {
                    return decode(JSON.parse(o.plaintext), secrets, where);
                } catch {
                    return o.plaintext;
                }
            }
            if ("value" in o) return decode(o.value, secrets, where);
            secrets.encrypted.add(where);
            return UNKNOWN_VALUE;
        }
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decode(x, secrets, where.includes("::") && !where.includes("#") ? `${parseName(where)}#${k}` : `${where}.${k}`)]));
    }
    return v;
}

const parseName = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/** `project:///stacks/platform/index.ts#12,5` → `{file: "stacks/platform/index.ts", line: 12, column: 5}`. */
export function parseSourcePosition(raw: unknown): SourcePosition | undefined {
    if (typeof raw !== "string") return undefined;
    const m = /^project:\/\/\/?([^#]+)#(\d+)(?:,(\d+))?$/.exec(raw);
    if (!m) return undefined;
    const line = Number(m[2]);
    if (line < 1) return undefined;
    return { file: decodeURIComponent(m[1]!), line, ...(m[3] ? { column: Number(m[3]) } : {}) };
}
