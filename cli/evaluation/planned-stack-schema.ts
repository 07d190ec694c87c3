/**
 * The shapes of the two documents `aiguard check --from` reads, as JSON schemas checked with ajv
 * before anything is converted: only the fields aiguard reads are constrained, everything else
 * Pulumi writes is allowed. A mismatch is a usage error naming the field path
 * (`deployment.resources[3].inputs`) and the resource it belongs to.
 *
 * Field names follow `ResourceV3` and the preview digest's `StepEventMetadata` of pulumi/pulumi
 * (`sdk/go/common/apitype/core.go`, `pkg/display/json.go`).
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { UsageError } from "../errors";

const URN_LIST = { type: "array", items: { type: "string" } } as const;

/** One resource's state: a stack export's `deployment.resources[i]`, a preview step's `newState`. */
const RESOURCE_STATE = {
    type: "object",
    required: ["urn", "type"],
    properties: {
        urn: { type: "string", minLength: 1 },
        type: { type: "string", minLength: 1 },
        custom: { type: "boolean" },
        delete: { type: "boolean" },
        id: { type: "string" },
        inputs: { type: "object" },
        outputs: { type: "object" },
        parent: { type: "string" },
        dependencies: URN_LIST,
        propertyDependencies: { type: "object", additionalProperties: URN_LIST },
        protect: { type: "boolean" },
        sourcePosition: { type: "string" },
    },
} as const;

const PREVIEW = {
    type: "object",
    properties: {
        steps: { type: "array", items: { type: "object", required: ["op"], properties: { op: { type: "string" }, urn: { type: "string" }, newState: RESOURCE_STATE } } },
        changeSummary: { type: "object", additionalProperties: { type: "number" } },
    },
} as const;

const EXPORT = {
    type: "object",
    required: ["deployment"],
    properties: {
        version: { type: "number" },
        deployment: { type: "object", properties: { resources: { type: "array", items: RESOURCE_STATE } } },
    },
} as const;

const validators: Partial<Record<"preview" | "export", ValidateFunction>> = {};

function validator(kind: "preview" | "export"): ValidateFunction {
    return (validators[kind] ??= new Ajv({ allErrors: false, strict: true }).compile(kind === "preview" ? PREVIEW : EXPORT));
}

/** `/deployment/resources/3/inputs` → `deployment.resources[3].inputs`. */
export function fieldPath(instancePath: string): string {
    return instancePath
        .split("/")
        .slice(1)
        .map((seg) => seg.replace(/~1/g, "/").replace(/~0/g, "~"))
        .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc === "" ? seg : `${acc}.${seg}`), "");
}

const typeOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "a list" : typeof v === "object" ? "an object" : `a ${typeof v}`);

/** The resource a failing field belongs to, as ` (resource "<urn>")`, when its URN is readable. */
function owner(doc: unknown, instancePath: string): string {
    const m = /^\/(?:deployment\/resources\/(\d+)|steps\/(\d+)\/newState)(?:\/|$)/.exec(instancePath);
    if (!m) return "";
    const o = doc as { deployment?: { resources?: { urn?: unknown }[] }; steps?: { newState?: { urn?: unknown } }[] };
    const urn = m[1] !== undefined ? o.deployment?.resources?.[Number(m[1])]?.urn : o.steps?.[Number(m[2])]?.newState?.urn;
    return typeof urn === "string" ? ` (resource "${urn}")` : "";
}

function describe(e: ErrorObject, doc: unknown): string {
    const at = e.keyword === "required" ? [e.instancePath, String(e.params.missingProperty)].join("/") : e.instancePath;
    const field = fieldPath(at) || "the document";
    if (e.keyword === "required") return `${field} is missing${owner(doc, e.instancePath)}`;
    const value = at.split("/").slice(1).reduce<unknown>((v, seg) => (v as Record<string, unknown> | undefined)?.[seg.replace(/~1/g, "/").replace(/~0/g, "~")], doc);
    const detail = e.keyword === "type" ? `must be ${e.params.type === "object" ? "an object" : e.params.type === "array" ? "a list" : `a ${String(e.params.type)}`}, not ${typeOf(value)}` : (e.message ?? "is invalid");
    return `${field} ${detail}${owner(doc, e.instancePath)}`;
}

/** Checks `doc` against the shape of `kind`. Throws {@link UsageError} naming the first wrong field. */
export function validatePlannedStack(doc: unknown, kind: "preview" | "export", label: string): void {
    const validate = validator(kind);
    if (validate(doc)) return;
    const what = kind === "preview" ? "`pulumi preview --json` output" : "`pulumi stack export` output";
    throw new UsageError(
        `${label} is not valid ${what}: ${describe(validate.errors![0]!, doc)}`,
        "pass the unmodified output of `pulumi preview --json --show-sames` or `pulumi stack export`",
    );
}
