import { UNKNOWN, type Finding, stackRule } from "../../../framework/rule";
import { tagValue } from "../../../framework/values";
import { awsAssetFacts } from "../ai-assets";

/** Tag-key prefix that marks a resource as governed by aiguard. */
export const AIGUARD_TAG_PREFIX = "aiguard:";

function present(v: unknown): boolean {
    return typeof v === "string" ? v.length > 0 : v !== undefined;
}

export const tagsResourceMissingRequiredTags = stackRule({
    judges: { provider: "aws" },
    name: "aws-tags-resource-missing-required-tags",
    description:
        "Every AI resource must carry all required inventory tags (by default owner, data classification and asset kind): an AWS resource with the asset-kind tag, and one the pack recognises as an AI asset from how AI services use it (a bucket holding a model's artifacts, a role SageMaker assumes, a training subnet). An AWS resource that carries some aiguard tags but no asset-kind tag is reported as incompletely tagged. The inventory is what owners, classification and disposal rest on.",
    clauses: ["DV-2", "DV-3", "P5", "P8"],
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Add the missing tags to the resource's `tags` (or to the AWS provider's `defaultTags`): `aiguard:owner`, `aiguard:data-classification` and `aiguard:asset-kind` (see `common/conventions.ts` for the values), or use aiguard's components, which tag every resource.",
    url: "https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html",
    settings: ["requiredTagKeys", "assetKindTagKey"],
    onUnknown: "Skips a resource while its tags (or tagsAll) are unknown and the tag in question is not already known to be present; the pack re-runs at update time when the values are known.",
    check: (resources, { settings }) => {
        const findings: Finding[] = [];
        const facts = awsAssetFacts(resources, settings);
        for (const r of resources) {
            if (!r.type.startsWith("aws:")) continue;
            // An AI asset recognised from how AI services use it needs the inventory tags as much as a tagged one.
            const recognised = facts.assets.get(r.urn);
            if (recognised?.how === "use" && facts.inScope(r)) {
                const missing = settings.requiredTagKeys.filter((k) => !present(tagValue(r.props, k)));
                if (missing.length > 0 && !missing.every((k) => tagValue(r.props, k) === UNKNOWN)) {
                    findings.push({ message: `${r.type} "${r.name}" is an AI asset (${recognised.kind}, from use: ${recognised.via}) but is missing required tag(s) ${missing.join(", ")}`, urn: r.urn });
                }
                continue;
            }
            const tags = r.props.tags;
            const all = r.props.tagsAll;
            if (tags === undefined && all === undefined) continue;
            const kind = tagValue(r.props, settings.assetKindTagKey);
            if (kind === UNKNOWN) continue;
            if (!present(kind)) {
                const keys = new Set<string>();
                for (const m of [tags, all]) if (m && typeof m === "object") for (const k of Object.keys(m)) keys.add(k);
                const governed = [...keys].filter((k) => k.startsWith(AIGUARD_TAG_PREFIX) || settings.requiredTagKeys.includes(k));
                if (governed.length > 0) {
                    findings.push({ message: `${r.type} "${r.name}" carries ${governed.join(", ")} but not ${settings.assetKindTagKey}, so aiguard cannot tell what AI asset it is`, urn: r.urn });
                }
                continue;
            }
            const missing = settings.requiredTagKeys.filter((k) => !present(tagValue(r.props, k)));
            if (missing.length > 0) findings.push({ message: `AI resource ${r.type} "${r.name}" is missing required tag(s) ${missing.join(", ")}`, urn: r.urn });
        }
        return findings;
    },
});
