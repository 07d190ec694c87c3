/** The messages between `aiguard check` and the child process that runs the program (program-host.ts). */
import type { LookupAnswer, UnansweredLookup } from "./lookups";
import type { RunMode } from "./mock-state";
import type { RecordedCall, RecordedRead, RecordedResource } from "./recorded";

/** What to run, sent once to the child. */
export interface HostRequest {
    /** The directory the program runs in (Pulumi's `pwd`): absolute. */
    readonly pwd: string;
    /** The program argument (`.` or a file relative to `pwd`), as Pulumi's language host passes it. */
    readonly program: string;
    /** The project root (where Pulumi.yaml is). */
    readonly root: string;
    readonly project: string;
    readonly stack: string;
    readonly organization: string;
    readonly mode: RunMode;
    /** Stack config, `namespace:key` to string. */
    readonly config: Readonly<Record<string, string>>;
    /** Pulumi.yaml `runtime.options` the Node language host honours. */
    readonly typescript: boolean;
    readonly tsconfig?: string;
    readonly answers: readonly LookupAnswer[];
}

/** What the child reports when the program has run (or failed). */
export interface HostReply {
    readonly resources: readonly RecordedResource[];
    readonly reads: readonly RecordedRead[];
    readonly calls: readonly RecordedCall[];
    readonly unanswered: readonly UnansweredLookup[];
    readonly stackOutputs: Record<string, unknown> | undefined;
    /** The program's failure: the first error it raised (message only: no stack trace). */
    readonly failure?: { readonly message: string; readonly kind: "program" | "setup" };
}
