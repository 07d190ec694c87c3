/**
 * Generic JSON helpers of the webhook: the `JsonObject` type guard every decoder starts from, and
 * bounded rendering of untrusted strings for messages and logs (a 2.5 MB image string must not
 * become a 5 MB response or a 10 MB log line).
 */

/** A JSON object (validated to be a non-null, non-array object). */
export type JsonObject = { readonly [key: string]: unknown };

export function isJsonObject(value: unknown): value is JsonObject {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Longest untrusted value (an image reference, a name) quoted in a response or a log line. */
export const MAX_VALUE_CHARS = 512;

/**
 * `value` itself when it has at most `max` characters; otherwise its first `max` characters and a
 * marker saying how much was cut: `…[truncated 2499488 of 2500000 chars]`.
 */
export function truncate(value: string, max = MAX_VALUE_CHARS): string {
    if (value.length <= max) return value;
    return `${value.slice(0, max)}…[truncated ${value.length - max} of ${value.length} chars]`;
}

/** At most `max` items of `list`, and how many were left out. */
export function firstOf<T>(list: readonly T[], max: number): { readonly shown: readonly T[]; readonly omitted: number } {
    return list.length <= max ? { shown: list, omitted: 0 } : { shown: list.slice(0, max), omitted: list.length - max };
}
