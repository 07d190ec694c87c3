/**
 * Decodes a resource's property values as Pulumi writes them in `pulumi preview --json` and
 * `pulumi stack export`: plaintext secrets (`--show-secrets`) become their value; encrypted ones and
 * preview's `"[secret]"` become the engine's unknown string, which every rule handles as "not known
 * yet". Nesting is bounded by {@link MAX_PROPERTY_DEPTH}: deeper values are refused with a usage
 * error naming the resource and property, never a stack overflow here or in a later stage (the
 * analyzer protocol's encoding and the pack recurse over values too).
 */
import { UNKNOWN_STRING } from "../../common/unknown";
import { UsageError } from "../errors";

/** Deepest nesting of objects and lists a property value may have (Kubernetes CRD schemas reach ~60). */
export const MAX_PROPERTY_DEPTH = 256;

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** Longest property path quoted in an error message. */
const PATH_SHOWN = 120;

/** Decodes one resource's properties; records encrypted secrets' paths (`name#prop.sub`) in `encrypted`. */
export function decodeProperties(props: Readonly<Record<string, unknown>>, urn: string, encrypted: Set<string>, label: string): Record<string, unknown> {
    const name = urn.slice(urn.lastIndexOf("::") + 2);
    const decode = (v: unknown, where: string, depth: number): unknown => {
        if (depth > MAX_PROPERTY_DEPTH) {
            const shown = where.length > PATH_SHOWN ? `${where.slice(0, PATH_SHOWN)}…` : where;
            throw new UsageError(
                `${label}: a property of resource "${urn}" nests deeper than ${MAX_PROPERTY_DEPTH} levels (${shown})`,
                "pass the unmodified output of `pulumi preview --json` or `pulumi stack export`; Pulumi resources never nest that deep",
            );
        }
        if (v === "[secret]") return UNKNOWN_STRING;
        if (Array.isArray(v)) return v.map((x, i) => decode(x, `${where}[${i}]`, depth + 1));
        if (!v || typeof v !== "object") return v;
        const o = v as Record<string, unknown>;
        if (o[SIG] === SECRET_SIG) {
            if (typeof o.plaintext === "string") {
                let parsed: unknown;
                try {
                    parsed = JSON.parse(o.plaintext);
                } catch {
                    return o.plaintext;
                }
                return decode(parsed, where, depth + 1);
            }
            if ("value" in o) return decode(o.value, where, depth + 1);
            encrypted.add(where);
            return UNKNOWN_STRING;
        }
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decode(x, `${where}.${k}`, depth + 1)]));
    };
    return Object.fromEntries(Object.entries(props).map(([k, x]) => [k, decode(x, `${name}#${k}`, 1)]));
}
