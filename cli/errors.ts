/**
 * Exit codes and the one error type the CLI shows without a stack trace (any other thrown value is
 * rendered with common/errors' `describeError`).
 *
 *   0  clean: no mandatory violation (advisory findings may exist)
 *   1  at least one mandatory violation (the change must be blocked)
 *   2  usage or input error: bad flag, missing or malformed file, failing program, pack build error
 */
import { AiguardError } from "../common/errors";

export const EXIT_OK = 0;
export const EXIT_VIOLATIONS = 1;
export const EXIT_USAGE = 2;

/**
 * A problem with what the user gave us (flags, files, config, their program). Printed as
 * `aiguard: error: <message>` plus an optional `fix:` line; never with a stack trace. Exit code 2.
 */
export class UsageError extends AiguardError<"usage"> {
    constructor(
        message: string,
        /** One line telling the user what to do about it. */
        readonly fix?: string,
        options?: { cause?: unknown },
    ) {
        super("usage", message, options);
    }
}
