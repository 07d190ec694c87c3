/**
 * Tags of the insecure demo: the aiguard inventory tags (common/conventions.ts) that make the
 * pack treat a raw resource as an AI asset, exactly as aiguard's components would stamp them.
 */
import { TagKeys, type AssetKind, type NetworkRole } from "../../common/conventions";

/** The accountable team on every demo resource. */
export const DEMO_OWNER = "ml-research@example.com";

/** Inventory tags of an AI asset of `kind`, plus any extra aiguard tags. */
export function aiTags(kind: AssetKind, more: Readonly<Record<string, string>> = {}): Record<string, string> {
    return {
        [TagKeys.owner]: DEMO_OWNER,
        [TagKeys.dataClassification]: "confidential",
        [TagKeys.assetKind]: kind,
        ...more,
    };
}

/** Inventory tags of a network resource of the training or inference network. */
export function networkTags(role: NetworkRole): Record<string, string> {
    return aiTags("network", { [TagKeys.networkRole]: role });
}
