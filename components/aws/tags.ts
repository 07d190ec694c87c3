/**
 * Asset-inventory tags (DV-2 / P5): the caller supplies them once, at the top of the platform, and
 * every component stamps them, plus the asset kind, on each AI resource it creates.
 */
import * as pulumi from "@pulumi/pulumi";
import { AssetKind, DataClassification, DataClassifications, TagKeys } from "../../common/conventions";

export { AssetKinds, NetworkRoles, TagKeys, DataClassifications } from "../../common/conventions";
export type { AssetKind, DataClassification, NetworkRole } from "../../common/conventions";

/** Inventory facts about the platform's assets. */
export interface AssetTags {
    /** Team or person accountable for the assets (e.g. `ml-platform@example.com`). Required. */
    readonly owner: string;
    /** Classification of the data the assets hold or process. Required. */
    readonly dataClassification: DataClassification;
    /** Further tags to add to every resource (cost centre, environment...). Must not override aiguard keys. */
    readonly extra?: Readonly<Record<string, string>>;
}

/** The first problem with the asset tags (naming the fix), or `undefined`. Every component's args check starts with it. */
export function assetTagsProblem(tags: AssetTags): string | undefined {
    if (!tags || typeof tags.owner !== "string" || tags.owner.trim() === "") {
        return 'assetTags.owner is required: name the accountable team, e.g. { owner: "ml-platform@example.com" }';
    }
    if (!Object.values(DataClassifications).includes(tags.dataClassification)) {
        return `assetTags.dataClassification must be one of ${Object.values(DataClassifications).join(", ")}; got ${JSON.stringify(tags.dataClassification)}`;
    }
    for (const key of Object.keys(tags.extra ?? {})) {
        if (key.startsWith("aiguard:")) {
            return `assetTags.extra must not set "${key}": aiguard:* tags are set by the components`;
        }
    }
    return undefined;
}

/** Throws {@link assetTagsProblem}'s message: a `ResourceError` on `component` when given, else an `Error`. */
export function validateAssetTags(tags: AssetTags, component?: pulumi.Resource): void {
    const msg = assetTagsProblem(tags);
    if (msg !== undefined) throw component ? new pulumi.ResourceError(msg, component) : new Error(msg);
}

/** The tag map for one resource of `kind`, with optional extra aiguard tags (network role...). */
export function assetTags(tags: AssetTags, kind: AssetKind, more: Readonly<Record<string, string>> = {}): Record<string, string> {
    return {
        ...tags.extra,
        [TagKeys.owner]: tags.owner,
        [TagKeys.dataClassification]: tags.dataClassification,
        [TagKeys.assetKind]: kind,
        ...more,
    };
}
