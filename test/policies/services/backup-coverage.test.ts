/**
 * The indexed selection coverage used by the backup rules must answer exactly what testing every
 * selection against every bucket answers (it exists so that the rules stay linear in stack size).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../../policies/framework/rule";
import { selectionCovers, SelectionCoverage, type AiBucket } from "../../../policies/rules/aws/backup/scope";
import { urnOf } from "../support";

const NAMES = ["models", "datasets", "capture", "models-eu", "logs"];
const KINDS = ["model-store", "dataset-store", "inference-capture"];
const arnOf = (n: string) => `arn:aws:s3:::${n}`;

const bucket = fc.record({ name: fc.constantFrom(...NAMES), kind: fc.constantFrom(...KINDS), team: fc.option(fc.constantFrom("ml", "data"), { nil: undefined }) });
const pattern = fc.oneof(
    fc.constantFrom(...NAMES).map(arnOf),
    fc.constantFrom("arn:aws:s3:::*", "arn:aws:s3:::models*", "arn:aws:s3:::?apture", "arn:aws:s3:::*-eu", "arn:aws:s3:::nope"),
    fc.constant(42),
);
const tag = fc.record({ type: fc.constantFrom("STRINGEQUALS", "STRINGLIKE"), key: fc.constantFrom("aiguard:asset-kind", "team", "other"), value: fc.constantFrom(...KINDS, "ml", "data") });
const condition = fc.record({ key: fc.constantFrom("aws:ResourceTag/team", "team"), value: fc.constantFrom("ml", "data", "m*") });
const selection = fc.record(
    {
        resources: fc.oneof(fc.array(pattern, { maxLength: 3 }), pattern, fc.constant(UNKNOWN)),
        selectionTags: fc.array(tag, { maxLength: 2 }),
        conditions: fc.array(fc.record({ stringEquals: fc.array(condition, { maxLength: 1 }), stringLikes: fc.array(condition, { maxLength: 1 }) }), { maxLength: 1 }),
        notResources: fc.array(pattern, { maxLength: 1 }),
    },
    { requiredKeys: [] },
);

describe("SelectionCoverage", () => {
    it("covers exactly the buckets selectionCovers says true for", () => {
        fc.assert(
            fc.property(fc.array(bucket, { maxLength: 8 }), fc.array(selection, { maxLength: 4 }), (specs, selections) => {
                const buckets: AiBucket[] = specs.map((b, i) => ({
                    resource: { type: "aws:s3/bucket:Bucket", name: `${b.name}-${i}`, urn: urnOf("aws:s3/bucket:Bucket", `${b.name}-${i}`), props: {} },
                    arn: arnOf(b.name),
                    tags: { "aiguard:asset-kind": b.kind, ...(b.team ? { team: b.team } : {}) },
                }));
                const coverage = new SelectionCoverage(buckets);
                for (const s of selections) {
                    const expected = buckets.filter((b) => selectionCovers(s, b) === true);
                    expect(new Set(coverage.covered(s))).toEqual(new Set(expected));
                }
            }),
            { numRuns: 500 },
        );
    });

    it("finds exact-ARN and tag selections through its indexes", () => {
        const mk = (name: string, kind: string): AiBucket => ({ resource: { type: "t", name, urn: name, props: {} }, arn: arnOf(name), tags: { "aiguard:asset-kind": kind } });
        const [models, datasets] = [mk("models", "model-store"), mk("datasets", "dataset-store")];
        const coverage = new SelectionCoverage([models, datasets]);
        expect(coverage.covered({ resources: [arnOf("models")] })).toEqual([models]);
        expect(coverage.covered({ selectionTags: [{ type: "STRINGEQUALS", key: "aiguard:asset-kind", value: "dataset-store" }] })).toEqual([datasets]);
        expect(coverage.covered({ resources: ["arn:aws:s3:::*"], notResources: [arnOf("models")] })).toEqual([datasets]);
        expect(coverage.covered({ resources: UNKNOWN })).toEqual([]);
    });
});
