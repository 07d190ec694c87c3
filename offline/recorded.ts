/** What an offline run records: the engine's view of every registration, read and lookup. */

/** One resource registration as the engine would have seen it. */
export interface RecordedResource {
    /** The URN the mock monitor assigned (type chain as the SDK's mock builds it). */
    readonly urn: string;
    /** Type token, e.g. `aws:s3/bucket:Bucket`. */
    readonly type: string;
    /** Logical name. */
    readonly name: string;
    /** `true` for provider-managed resources, `false` for components. */
    readonly custom: boolean;
    /** The parent's URN, if any. */
    readonly parent: string | undefined;
    /** Inputs as the engine sends them to Analyze (unknowns as the engine's sentinel string). */
    readonly inputs: Record<string, unknown>;
    /** The state the provider answered (AnalyzeStack): inputs plus computed attributes. */
    readonly outputs: Record<string, unknown>;
    /** The physical id (`undefined` for components and, at preview, for resources not created yet). */
    readonly id: string | undefined;
    /** URNs of explicit and implicit dependencies the SDK reported. */
    readonly dependencies: readonly string[];
    /** Property name to the URNs its value came from. */
    readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
    /** The `protect` resource option. */
    readonly protect: boolean;
    /** A component implemented in a provider plugin (multi-language component). */
    readonly remote?: boolean;
    /** URN of the provider resource given in the `provider` option, if any. */
    readonly provider?: string;
    /**
     * Where the program declared it: the first frame of the stack the SDK sends with the
     * registration that lies outside any `node_modules` (so the user's call site, not a component
     * library's), else the SDK's own `sourcePosition`. Absolute path.
     */
    readonly source?: SourceFrame;
}

/** A position in a source file (line and column 1-based). */
export interface SourceFrame {
    readonly file: string;
    readonly line: number;
    readonly column?: number;
}

/** A resource read rather than created (`X.get(...)`, a stack reference). */
export interface RecordedRead {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly id: string;
    readonly parent: string | undefined;
}

/** A provider function call the program made. */
export interface RecordedCall {
    readonly token: string;
    readonly inputs: Record<string, unknown>;
}
