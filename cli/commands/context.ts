import type { Output } from "../io";

/** What every command gets: where to write, and how to set the exit code. */
export interface CommandContext {
    readonly io: Output;
    readonly exit: (code: number) => void;
}
