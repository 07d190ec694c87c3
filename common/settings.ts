/**
 * The settings users tune, defined once for the whole pack.
 *
 * Pulumi policy configuration is keyed by policy name, so each rule's `configSchema` carries the
 * settings that rule reads (declared in its metadata) plus `exemptions`; the JSON schema and the
 * default of every setting come from here, so all rules agree on their meaning. `aiguard check
 * --config` accepts a pack-wide `"aiguard"` block and spreads it over every rule.
 */
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { AI_DATA_STORE_KINDS, Labels, NetworkRoles, TagKeys } from "./conventions";

/** A tag key and value that marks a resource. */
export interface TagMatch {
    readonly key: string;
    readonly value: string;
}

/** A rule waiver: which resources, which rule, and why. The justification is mandatory. */
export interface Exemption {
    /** Rule name or `*` (default `*`). */
    readonly rule?: string;
    /** Exact resource URN. */
    readonly urn?: string;
    /** Glob on the resource's logical name (`*` matches any run of characters). */
    readonly name?: string;
    /** Why the waiver is acceptable, for the compliance report. At least 20 characters. */
    readonly justification: string;
    /**
     * Optional ISO date (YYYY-MM-DD), the last day the exemption applies. A date that does not exist
     * (`2027-13-45`, `2026-02-30`) makes the exemption apply to nothing (see {@link expiryProblem}).
     */
    readonly expires?: string;
}

/**
 * Why an exemption's expiry is not a usable date, or `undefined` when it is one (or absent). The
 * config schema's pattern only checks the shape, so `2027-13-45` passes it; this checks the date exists.
 */
export function expiryProblem(expires: string | undefined): string | undefined {
    if (expires === undefined) return undefined;
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(expires);
    if (!m) return `expiry ${JSON.stringify(expires)} is not a date written YYYY-MM-DD`;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = new Date(Date.UTC(y, mo - 1, d));
    if (mo < 1 || mo > 12 || date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) {
        return `expiry ${JSON.stringify(expires)} is not a calendar date`;
    }
    return undefined;
}

/** One exemption's identity across the policies whose config holds a copy of it. */
export function exemptionKey(e: Exemption): string {
    return JSON.stringify([e.rule ?? "*", e.urn ?? null, e.name ?? null, e.justification, e.expires ?? null]);
}

/** `rule X, name "public-*"` / `urn ...`: how a report names an exemption. */
export function describeExemption(e: Exemption): string {
    const what = [e.urn !== undefined ? `urn ${e.urn}` : undefined, e.name !== undefined ? `name "${e.name}"` : undefined].filter((x) => x !== undefined).join(", ");
    return `exemption {rule ${e.rule ?? "*"}, ${what}${e.expires !== undefined ? `, expires ${e.expires}` : ""}}`;
}

/**
 * Which resources the rules judge: `all` (default) every resource of a type a rule governs;
 * `ai-assets` only resources recognised as AI assets, by tag or from how AI services use them.
 */
export type ScopeSetting = "all" | "ai-assets";

export interface Settings {
    /** Which resources the rules judge (see {@link ScopeSetting}). */
    readonly scope: ScopeSetting;
    /** Registries (host or host/path prefix globs) images may come from. */
    readonly allowedRegistries: readonly string[];
    /** Tag keys every AI resource must carry. */
    readonly requiredTagKeys: readonly string[];
    /** Tag key that says what kind of AI asset a resource is. */
    readonly assetKindTagKey: string;
    /** Asset kinds that make an S3 bucket an AI data store. */
    readonly aiDataStoreKinds: readonly string[];
    /** The tag that marks training network resources. */
    readonly trainingNetworkTag: TagMatch;
    /** The tag that marks inference network resources. */
    readonly inferenceNetworkTag: TagMatch;
    /** The tag that marks stores of released models (they need object lock). */
    readonly releasedModelsTag: TagMatch;
    /** Minimum CloudWatch/CloudTrail log retention in days. */
    readonly minimumLogRetentionDays: number;
    /** Minimum backup retention in days (vault lock minimum and plan lifecycle). */
    readonly minimumBackupRetentionDays: number;
    /** Oldest EKS Kubernetes version (`major.minor`) still accepted; raise it as versions leave support. */
    readonly minimumEksVersion: string;
    /** Namespaces' label that marks model-serving namespaces (Kubernetes rules). */
    readonly modelNamespaceLabel: TagMatch;
    /** Waivers. */
    readonly exemptions: readonly Exemption[];
}

export type SettingName = Exclude<keyof Settings, "exemptions">;

export const DEFAULT_SETTINGS: Settings = {
    scope: "all",
    allowedRegistries: ["*.dkr.ecr.*.amazonaws.com"],
    requiredTagKeys: [TagKeys.owner, TagKeys.dataClassification, TagKeys.assetKind],
    assetKindTagKey: TagKeys.assetKind,
    aiDataStoreKinds: [...AI_DATA_STORE_KINDS],
    trainingNetworkTag: { key: TagKeys.networkRole, value: NetworkRoles.training },
    inferenceNetworkTag: { key: TagKeys.networkRole, value: NetworkRoles.inference },
    releasedModelsTag: { key: TagKeys.releasedModels, value: "true" },
    minimumLogRetentionDays: 365,
    minimumBackupRetentionDays: 35,
    minimumEksVersion: "1.32",
    modelNamespaceLabel: { key: Labels.modelServing, value: "true" },
    exemptions: [],
};

const tagMatchSchema = (description: string, def: TagMatch): PolicyConfigJSONSchema => ({
    type: "object",
    description,
    properties: { key: { type: "string", minLength: 1 }, value: { type: "string" } },
    required: ["key", "value"],
    additionalProperties: false,
    default: def,
} as PolicyConfigJSONSchema);

/** JSON schema of every setting, with its default. */
export const SETTING_SCHEMAS: Record<keyof Settings, PolicyConfigJSONSchema> = {
    scope: {
        type: "string",
        enum: ["all", "ai-assets"],
        description: "Which resources the rules judge: `all` (default) every resource of a type the rule governs; `ai-assets` only resources recognised as AI assets (by the asset-kind tag, or from how SageMaker, Bedrock and model workloads use them). Every run reports what was recognised and what was left out.",
        default: DEFAULT_SETTINGS.scope,
    } as PolicyConfigJSONSchema,
    allowedRegistries: {
        type: "array",
        description: "Registries images may come from: host globs, optionally with a path prefix (e.g. `*.dkr.ecr.*.amazonaws.com`, `ghcr.io/acme`). `*` never crosses a `/` or `.`-separated label boundary it does not match.",
        items: { type: "string", minLength: 1 },
        default: DEFAULT_SETTINGS.allowedRegistries,
    } as PolicyConfigJSONSchema,
    requiredTagKeys: {
        type: "array",
        description: "Tag keys every AI resource must carry (asset inventory, DV-2/P5).",
        items: { type: "string", minLength: 1 },
        default: DEFAULT_SETTINGS.requiredTagKeys,
    } as PolicyConfigJSONSchema,
    assetKindTagKey: { type: "string", minLength: 1, description: "Tag key naming the AI asset kind.", default: DEFAULT_SETTINGS.assetKindTagKey } as PolicyConfigJSONSchema,
    aiDataStoreKinds: {
        type: "array",
        description: "Asset-kind tag values that make a bucket an AI data store (models, datasets, captured inference data).",
        items: { type: "string", minLength: 1 },
        default: DEFAULT_SETTINGS.aiDataStoreKinds,
    } as PolicyConfigJSONSchema,
    trainingNetworkTag: tagMatchSchema("Tag marking training-network resources.", DEFAULT_SETTINGS.trainingNetworkTag),
    inferenceNetworkTag: tagMatchSchema("Tag marking inference-network resources.", DEFAULT_SETTINGS.inferenceNetworkTag),
    releasedModelsTag: tagMatchSchema("Tag marking stores of released models (object lock required).", DEFAULT_SETTINGS.releasedModelsTag),
    minimumLogRetentionDays: { type: "integer", minimum: 1, description: "Minimum log retention in days.", default: DEFAULT_SETTINGS.minimumLogRetentionDays } as PolicyConfigJSONSchema,
    minimumBackupRetentionDays: { type: "integer", minimum: 1, description: "Minimum backup retention in days.", default: DEFAULT_SETTINGS.minimumBackupRetentionDays } as PolicyConfigJSONSchema,
    minimumEksVersion: {
        type: "string",
        pattern: "^\\d+\\.\\d+$",
        description: "Oldest EKS Kubernetes version (major.minor) still accepted. Default 1.32 (1.31 leaves extended support in November 2026).",
        default: DEFAULT_SETTINGS.minimumEksVersion,
    } as PolicyConfigJSONSchema,
    modelNamespaceLabel: tagMatchSchema("Label marking model-serving Kubernetes namespaces.", DEFAULT_SETTINGS.modelNamespaceLabel),
    exemptions: {
        type: "array",
        description: "Waivers: a resource URN or logical-name glob, optionally one rule, and a mandatory justification the compliance report shows.",
        items: {
            type: "object",
            properties: {
                rule: { type: "string", minLength: 1 },
                urn: { type: "string", minLength: 1 },
                name: { type: "string", minLength: 1 },
                justification: { type: "string", minLength: 20 },
                expires: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" },
            },
            required: ["justification"],
            anyOf: [{ required: ["urn"] }, { required: ["name"] }],
            additionalProperties: false,
        },
        default: [],
    } as PolicyConfigJSONSchema,
};

/** Merges a rule's raw config over the defaults. Values were validated by the engine against the schema. */
export function readSettings(raw: Record<string, unknown> | undefined): Settings {
    const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const key of Object.keys(SETTING_SCHEMAS)) {
        if (raw && raw[key] !== undefined) out[key] = raw[key];
    }
    return out as unknown as Settings;
}
