/**
 * Error vocabulary shared by every enforcement point: a base class with a stable, typed `code`
 * (tests and metrics compare codes, never wording) and an optional `cause`, and one way to render
 * any thrown value for a message.
 */

/** Base class: a stable `code` plus a message that says what is wrong and how to fix it. */
export class AiguardError<C extends string = string> extends Error {
    readonly code: C;
    constructor(code: C, message: string, options?: { cause?: unknown }) {
        super(message, options);
        this.code = code;
        this.name = new.target.name;
    }
}

/** Renders any thrown value for a message (never `JSON.stringify(err)`, which prints `{}`), with its cause. */
export function describeError(err: unknown): string {
    if (err instanceof Error) {
        const cause = (err as { cause?: unknown }).cause;
        const causeText = cause instanceof Error && cause.message && !err.message.includes(cause.message)
            ? ` (${cause.message})`
            : "";
        return `${err.message}${causeText}`;
    }
    return String(err);
}
