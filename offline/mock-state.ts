/**
 * What the offline provider answers for a new resource, in the two modes `aiguard check` offers:
 *
 *  - `update`: the state after create. Every computed attribute (ids, ARNs) is known, with
 *    realistic values from aws-mocks.ts.
 *  - `preview`: what a first `pulumi preview` of a new stack gives. Explicit inputs and names the
 *    provider fills in itself (autonames, in its Check) are known; everything computed at create
 *    (ids, ARNs, endpoints) is the engine's unknown sentinel. The SDK turns those into unknown
 *    outputs, so the program's `apply` callbacks on them do not run and values built from them
 *    (interpolated strings, JSON documents) are unknown, as in a real preview.
 *
 * In both modes the AWS provider's `defaultTags` (stack config `aws:defaultTags`, or an explicit
 * provider's `defaultTags`) are merged under the resource's own `tags` into `tagsAll` for every
 * taggable resource type, as the provider does.
 */
import { UNKNOWN_STRING } from "../common/unknown";
import { awsComputedState } from "./aws-mocks";

export type RunMode = "preview" | "update";

export interface MockStateArgs {
    readonly mode: RunMode;
    readonly type: string;
    readonly name: string;
    readonly custom: boolean;
    /** Inputs as the SDK's mock hands them over (unknowns as the SDK's unknown marker). */
    readonly inputs: Record<string, unknown>;
    /** Default tags of the provider that manages this resource, if any. */
    readonly defaultTags?: Record<string, unknown>;
    /** Whether the resource type has a `tagsAll` attribute (the provider computes it). */
    readonly taggable: (type: string) => boolean;
}

/** Input properties the AWS provider fills with an autoname when they are not given. */
const AUTONAME_PROPS = ["name", "bucket", "roleName", "functionName", "trailName", "domainName", "endpointName"];

/** The id and state the offline provider answers. */
export function mockState(a: MockStateArgs): { id: string | undefined; state: Record<string, unknown> } {
    if (!a.custom) return { id: undefined, state: { ...a.inputs } };
    // Another stack's outputs: unknown at preview; offline there are none to read after an update.
    if (a.type === "pulumi:pulumi:StackReference") {
        return { id: String(a.inputs.name ?? a.name), state: a.mode === "update" ? { ...a.inputs, outputs: {}, secretOutputNames: [] } : { ...a.inputs } };
    }
    const computed = awsComputedState(a.type, a.name, a.inputs, true);
    const tags = tagsAll(a);
    const k8sName = kubernetesAutoname(a);
    if (a.mode === "update") {
        return { id: (computed.id as string | undefined) ?? `${a.name}-id`, state: { ...a.inputs, ...computed, ...tags, ...k8sName } };
    }
    const planned: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(computed)) {
        if (k === "id") continue;
        // A name the provider generates in Check is known at preview; anything else is computed at create.
        const autoname = AUTONAME_PROPS.includes(k) && !(k in a.inputs) && typeof v === "string" && v.startsWith(`${a.name}-`);
        planned[k] = autoname ? v : UNKNOWN_STRING;
    }
    return { id: undefined, state: { ...planned, ...a.inputs, ...tags, ...k8sName } };
}

/** The SDK's unknown marker (`output.unknown`) or the sentinel string. */
function isUnknownMarker(v: unknown): boolean {
    return v === UNKNOWN_STRING || (typeof v === "object" && v !== null && v.constructor?.name === "Unknown");
}

function tagsAll(a: MockStateArgs): Record<string, unknown> {
    if (!a.type.startsWith("aws:") || !a.taggable(a.type)) return {};
    const own = a.inputs.tags;
    if (isUnknownMarker(own)) return { tagsAll: UNKNOWN_STRING };
    const ownTags = own && typeof own === "object" ? (own as Record<string, unknown>) : {};
    return { tagsAll: { ...(a.defaultTags ?? {}), ...ownTags } };
}

/** The Kubernetes provider names an object `<name>-<suffix>` when `metadata.name` is not given. */
function kubernetesAutoname(a: MockStateArgs): Record<string, unknown> {
    if (!a.type.startsWith("kubernetes:") || a.type.startsWith("kubernetes:helm")) return {};
    const metadata = a.inputs.metadata;
    if (metadata !== undefined && (typeof metadata !== "object" || metadata === null || isUnknownMarker(metadata))) return {};
    const m = (metadata ?? {}) as Record<string, unknown>;
    if (m.name !== undefined) return {};
    return { metadata: { ...m, name: `${a.name}-0a1b2c3` } };
}

/**
 * Reads `defaultTags` from AWS provider config: the stack config value `aws:defaultTags` or an
 * explicit provider's input (a JSON string or an object), `{tags: {...}}`.
 */
export function parseDefaultTags(raw: unknown): Record<string, unknown> | undefined {
    let v = raw;
    if (typeof v === "string") {
        try {
            v = JSON.parse(v);
        } catch {
            return undefined;
        }
    }
    const tags = (v as { tags?: unknown } | undefined)?.tags;
    return tags && typeof tags === "object" && !Array.isArray(tags) ? (tags as Record<string, unknown>) : undefined;
}
