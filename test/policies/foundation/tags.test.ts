import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../../policies/framework/rule";
import { DEFAULT_SETTINGS } from "../../../common/settings";
import { tagsResourceMissingRequiredTags } from "../../../policies/rules/aws/tags/resource-missing-required-tags";
import { aiTags, expectFindings, res, run, urnOf } from "../support";

const BUCKET = "aws:s3/bucket:Bucket";
const ROLE = "aws:iam/role:Role";
const rule = tagsResourceMissingRequiredTags;

describe("aws-tags-resource-missing-required-tags", () => {
    const compliant = () => [
        res(BUCKET, "models", { tags: aiTags("model-store") }),
        res(ROLE, "training", { tags: { "aiguard:asset-kind": "role" }, tagsAll: aiTags("role") }),
        res(BUCKET, "web", { tags: { team: "web" } }),
        res("kubernetes:core/v1:Namespace", "ns", { metadata: { labels: {} } }),
    ];
    it("passes fully tagged AI resources (provider default tags count), untagged buckets and non-AWS resources", () => expect(run(rule, compliant())).toEqual([]));
    it.each([
        ["aiguard:owner", { "aiguard:data-classification": "internal", "aiguard:asset-kind": "model-store" }],
        ["aiguard:data-classification", { "aiguard:owner": "ml", "aiguard:asset-kind": "model-store" }],
    ])("flags an AI resource missing %s", (key, tags) => {
        expectFindings(run(rule, [res(BUCKET, "models", { tags })]), [{ message: `AI resource aws:s3/bucket:Bucket "models" is missing required tag(s) ${key}`, urn: urnOf(BUCKET, "models") }]);
    });
    it("flags a bucket that carries aiguard tags but no asset kind", () => {
        expectFindings(run(rule, [res(BUCKET, "models", { tags: { "aiguard:owner": "ml" } })]), [{ message: 'carries aiguard:owner but not aiguard:asset-kind', urn: urnOf(BUCKET, "models") }]);
    });
    it("honours requiredTagKeys", () => {
        const settings = { ...DEFAULT_SETTINGS, requiredTagKeys: [...DEFAULT_SETTINGS.requiredTagKeys, "cost-centre"] };
        expectFindings(run(rule, [res(BUCKET, "models", { tags: aiTags("model-store") })], settings), [{ message: "missing required tag(s) cost-centre" }]);
    });
    it("skips unknown tags", () => {
        expect(run(rule, [res(BUCKET, "a", { tags: UNKNOWN })])).toEqual([]);
        expect(run(rule, [res(BUCKET, "b", { tags: { "aiguard:asset-kind": "model-store" }, tagsAll: UNKNOWN })])).toEqual([]);
        expect(run(rule, [res(BUCKET, "c", { tags: { "aiguard:asset-kind": UNKNOWN, "aiguard:owner": "x" } })])).toEqual([]);
    });
});
