import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { scanManifests } from "../../../admission-webhook/server/offline/manifests";
import { parseLabels, InputError } from "../../../admission-webhook/server/offline/verify";
import { podSpec, workload } from "../../../fixtures/admission/reviews";

describe("manifest scanning for check-manifests", () => {
    it("lists images of every document with the same paths as admission, in document order, at the line and column of each image", () => {
        const text = [
            stringify(workload("Deployment", podSpec({ containers: ["a@sha256:" + "1".repeat(64)] }))),
            stringify({ apiVersion: "v1", kind: "Service", metadata: { name: "svc" }, spec: {} }),
            stringify({ ...workload("Pod", podSpec({ containers: ["b:1"], volumes: ["w:1"] })), metadata: { generateName: "job-" } }),
            "",
        ].join("---\n");
        expect(scanManifests("m.yaml", text, "ci")).toEqual({
            images: [
                { source: "m.yaml#1", kind: "Deployment", namespace: "models", name: "model-server", path: "spec.template.spec.containers[0].image", image: "a@sha256:" + "1".repeat(64), location: { file: "m.yaml", line: 20, column: 18 } },
                { source: "m.yaml#3", kind: "Pod", namespace: "ci", name: "job-…", path: "spec.containers[0].image", image: "b:1", location: { file: "m.yaml", line: 37, column: 14 } },
                { source: "m.yaml#3", kind: "Pod", namespace: "ci", name: "job-…", path: "spec.volumes[0].image.reference", image: "w:1", location: { file: "m.yaml", line: 43, column: 20 } },
            ],
            skipped: ["m.yaml#2 Service svc"],
            errors: [],
        });
    });

    it("has no file location for stdin", () => {
        expect(scanManifests("-", stringify(workload("Pod", podSpec({ containers: ["b:1"] })))).images[0]!.location).toBeUndefined();
    });

    it("walks List items (kubectl get -o yaml output)", () => {
        const list = { apiVersion: "v1", kind: "List", items: [workload("CronJob", podSpec({ containers: ["c:1"] }))] };
        expect(scanManifests("l.yaml", stringify(list)).images).toEqual([
            { source: "l.yaml#1.items[0]", kind: "CronJob", namespace: "models", name: "model-server", path: "spec.jobTemplate.spec.template.spec.containers[0].image", image: "c:1", location: { file: "l.yaml", line: 22, column: 26 } },
        ]);
    });

    it("reports YAML errors, non-objects, missing kind and malformed pod specs as input errors", () => {
        const text = ["key: [unclosed", "- just a list", "metadata: {}", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {template: {spec: {containers: [{name: x}]}}}"].join("\n---\n");
        const scan = scanManifests("bad.yaml", text);
        expect(scan.images).toEqual([]);
        expect(scan.errors[0]).toMatch(/^bad\.yaml#1: invalid YAML: /);
        expect(scan.errors.slice(1)).toEqual([
            "bad.yaml#2: a Kubernetes object must be a mapping",
            "bad.yaml#3: apiVersion and kind are required strings",
            "bad.yaml#4 Deployment default/d: spec.template.spec.containers[0].image is missing or not a string; every container must name a digest-pinned image",
        ]);
    });

    it("parses --namespace-labels flags", () => {
        expect(parseLabels(["a=1,b=2", "c="])).toEqual({ a: "1", b: "2", c: "" });
        expect(() => parseLabels(["novalue"])).toThrow(new InputError('--namespace-labels expects key=value pairs, got "novalue"', "e.g. --namespace-labels aiguard.io/models=true,team=ml"));
    });
});
