/**
 * The one marker for "not known yet". At a first `pulumi preview` values computed by resources not
 * yet created are unknown: the engine sends them as {@link UNKNOWN_STRING} (also embedded inside
 * interpolated strings and JSON documents built from outputs). The pack's adapter maps the engine's
 * sentinels to {@link UNKNOWN}; the offline runner and `aiguard check --from` send and read the
 * same string.
 */

/** A value not known yet (preview time: computed by a resource not yet created). */
export const UNKNOWN: unique symbol = Symbol.for("aiguard.unknown");
export type Unknown = typeof UNKNOWN;

/** A value of T, or unknown at preview. */
export type Maybe<T> = T | Unknown;

/** The string the Pulumi engine sends for an unknown value (may be embedded in a longer string). */
export const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(v: unknown): v is Unknown {
    return v === UNKNOWN;
}

/** True if `v` or anything inside it is unknown. */
export function containsUnknown(v: unknown): boolean {
    if (v === UNKNOWN) return true;
    if (Array.isArray(v)) return v.some(containsUnknown);
    if (v && typeof v === "object") return Object.values(v).some(containsUnknown);
    return false;
}
