/**
 * The disagreements one shared vocabulary fixed, each asserted through both enforcement points: the
 * webhook (admission) and the pack (its rules' helpers) now answer alike.
 */
import { describe, expect, it } from "vitest";
import { extractFromObject, podSpecPath } from "../../admission-webhook/server/images";
import { selectorMatches } from "../../common/label-selector";
import { WORKLOAD_KINDS, WORKLOAD_TYPES, workloadKind, workloadKindOfType } from "../../common/pod-spec";
import { UNKNOWN } from "../../common/unknown";
import { podSpecOf } from "../../policies/rules/kubernetes/pod-spec";

const DIGEST = `sha256:${"c".repeat(64)}`;

describe("one label-selector implementation", () => {
    const labels = { "aiguard.io/model-serving": "true", team: "ml" };
    it.each([
        [{}, true],
        [{ matchLabels: { team: "ml" } }, true],
        [{ matchLabels: { team: "web" } }, false],
        [{ matchExpressions: [{ key: "team", operator: "In", values: ["ml", "x"] }] }, true],
        [{ matchExpressions: [{ key: "team", operator: "NotIn", values: ["ml"] }] }, false],
        [{ matchExpressions: [{ key: "absent", operator: "DoesNotExist" }] }, true],
        [{ matchExpressions: [{ key: "team", operator: "Exists" }] }, true],
        // The webhook's copy matched everything on an operator it did not know; the pack's selected nothing.
        [{ matchExpressions: [{ key: "team", operator: "Matches", values: ["ml"] }] }, false],
    ])("%j → %s", (selector, expected) => {
        expect(selectorMatches(selector, labels)).toBe(expected);
    });
    it("a label inherited from Object.prototype is not a label", () => {
        expect(selectorMatches({ matchLabels: { constructor: "x" } }, {})).toBe(false);
        expect(selectorMatches({ matchExpressions: [{ key: "toString", operator: "Exists" }] }, {})).toBe(false);
    });
    it("says unknown when part of the selector is unknown at preview", () => {
        expect(selectorMatches({ matchLabels: UNKNOWN }, labels)).toBe(UNKNOWN);
    });
});

describe("one workload table", () => {
    it("gives the webhook and the pack the same kinds and pod-spec paths", () => {
        for (const w of WORKLOAD_KINDS) {
            expect(podSpecPath(w.group, w.kind)).toEqual(w.podSpecPath);
            expect(workloadKindOfType(`kubernetes:${w.group || "core"}/${w.version}:${w.kind}`)).toBe(w);
        }
        expect(WORKLOAD_TYPES).toContain("kubernetes:core/v1:PodTemplate");
    });

    it("a PodTemplate's images are checked by the webhook, as the pack checks them (the webhook used to reject the kind)", () => {
        const object = { apiVersion: "v1", kind: "PodTemplate", template: { spec: { containers: [{ name: "m", image: `registry.example.com/m@${DIGEST}` }] } } };
        const kind = workloadKind("", "PodTemplate")!;
        const extraction = extractFromObject(object, kind.podSpecPath);
        expect(extraction).toMatchObject({ action: "check", images: [{ path: "template.spec.containers[0].image", image: `registry.example.com/m@${DIGEST}` }] });
        const pod = podSpecOf({ type: "kubernetes:core/v1:PodTemplate", name: "t", urn: "urn:t", props: object });
        expect(pod).toMatchObject({ path: "template.spec", containers: [{ path: "template.spec.containers[0]" }] });
    });
});
