/**
 * Turns property values as the Pulumi SDK serialises them for the engine (a protobuf Struct's
 * JavaScript form) into what the engine sends to an analyzer: secrets unwrapped, resource
 * references downgraded to the referenced resource's id (custom) or URN (component), as the engine
 * does for analyzers that do not accept references, and the unknown sentinel kept as the string
 * {@link UNKNOWN_STRING}, exactly as a preview sends it.
 */
import { UNKNOWN_STRING } from "../common/unknown";

/** The SDK's signature key and the signatures of its special objects (runtime/rpc). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

/** Converts one serialised value (recursively). */
export function fromWire(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(fromWire);
    if (value === null || typeof value !== "object") return value;
    const o = value as Record<string, unknown>;
    switch (o[SIG_KEY]) {
        case SECRET_SIG:
            return fromWire(o.value);
        case RESOURCE_SIG: {
            if (typeof o.id === "string") return o.id === "" ? UNKNOWN_STRING : o.id;
            return o.urn;
        }
        case OUTPUT_SIG:
            return "value" in o ? fromWire(o.value) : UNKNOWN_STRING;
        default:
            break;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) out[k] = fromWire(v);
    return out;
}

/** Converts a serialised property map. */
export function propertiesFromWire(struct: Record<string, unknown> | undefined): Record<string, unknown> {
    return (fromWire(struct ?? {}) as Record<string, unknown>) ?? {};
}

/** True if `v` is or holds the unknown sentinel (also embedded in a longer string). */
export function holdsUnknown(v: unknown): boolean {
    if (typeof v === "string") return v.includes(UNKNOWN_STRING);
    if (Array.isArray(v)) return v.some(holdsUnknown);
    if (v && typeof v === "object") return Object.values(v).some(holdsUnknown);
    return false;
}
