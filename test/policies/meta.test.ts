/**
 * Meta-tests over every rule in the catalogue (both halves of the pack): names, descriptions,
 * clause coverage, remediation, URLs, unknown handling, levels, and resource type tokens that
 * exist in the provider SDKs.
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { RULES } from "../../policies/catalogue";
import { CLAUSES, CLAUSE_IDS } from "../../common/clauses";
import { WORKLOAD_TYPES } from "../../common/pod-spec";
import { SETTING_SCHEMAS } from "../../common/settings";
import { typeToken } from "../../policies/framework/rule";
import { WORKLOAD_CLASSES } from "../../policies/rules/kubernetes/pod-spec";

const requireModule = createRequire(__filename);
const NAME = /^(aws|kubernetes|k8s)-[a-z0-9]+(-[a-z0-9]+)*-(missing|disallow|enable|disable|configure|enforce)-[a-z0-9-]+$/;
const NCSC = new Set<string>(CLAUSES.filter((c) => c.document === "ncsc-cisa").map((c) => c.id));
const UK = new Set<string>(CLAUSES.filter((c) => c.document === "uk-code").map((c) => c.id));

/** The SDK class for a type token (`aws:s3/bucket:Bucket` -> aws.s3.Bucket; `kubernetes:apps/v1:Deployment` -> k8s.apps.v1.Deployment). */
function classForToken(token: string): { __pulumiType?: string } | undefined {
    const [pkg, mod, cls] = token.split(":");
    if (!pkg || !mod || !cls) return undefined;
    let cur: any;
    let path: string[];
    if (pkg === "aws") {
        cur = requireModule("@pulumi/aws");
        path = [mod.split("/")[0]!];
    } else if (pkg === "kubernetes") {
        cur = requireModule("@pulumi/kubernetes");
        const [group, version] = mod.split("/");
        path = [group!.split(".")[0]!, version!];
    } else return undefined;
    for (const p of [...path, cls]) {
        cur = cur?.[p];
        if (cur === undefined) return undefined;
    }
    return cur;
}

describe("rule catalogue", () => {
    it("has rules, with unique names", () => {
        expect(RULES.length).toBeGreaterThan(0);
        const names = RULES.map((r) => r.name);
        expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    });

    describe.each(RULES.map((r) => [r.name, r] as const))("%s", (_name, rule) => {
        it("has a name of the form <provider>-<service>-<resource>-<verb>-<noun>", () => expect(rule.name).toMatch(NAME));
        it("has a description of full sentences", () => {
            expect(rule.description.trim()).toMatch(/^[A-Z].{20,}\.$/s);
        });
        it("cites known clauses from both documents", () => {
            expect(rule.clauses.length).toBeGreaterThan(0);
            for (const c of rule.clauses) expect(CLAUSE_IDS.has(c), c).toBe(true);
            expect(rule.clauses.some((c) => NCSC.has(c))).toBe(true);
            expect(rule.clauses.some((c) => UK.has(c))).toBe(true);
        });
        it("has remediation steps, an https URL and an unknown-value policy", () => {
            expect(rule.remediationSteps.trim().length).toBeGreaterThan(20);
            expect(new URL(rule.url).protocol).toBe("https:");
            expect(rule.onUnknown.trim().length).toBeGreaterThan(20);
        });
        it("has a valid severity and default enforcement level", () => {
            expect(["low", "medium", "high", "critical"]).toContain(rule.severity);
            expect(["advisory", "mandatory", "disabled", "remediate"]).toContain(rule.enforcementLevel);
        });
        it("reads only settings that have a schema", () => {
            for (const s of rule.settings ?? []) expect(SETTING_SCHEMAS[s], s).toBeDefined();
        });
        if (rule.kind === "resource") {
            it("applies to resource types that exist in the provider SDKs, taken from the classes it declares", () => {
                expect(rule.resourceTypes.length).toBeGreaterThan(0);
                expect(rule.resourceTypes).toEqual(rule.classes.map(typeToken));
                for (const token of rule.resourceTypes) expect(classForToken(token)?.__pulumiType, token).toBe(token);
            });
        } else {
            it("declares what it judges: SDK classes or a whole provider", () => {
                const j = rule.judges;
                if ("provider" in j) expect(["aws", "kubernetes"]).toContain(j.provider);
                else {
                    expect(j.length).toBeGreaterThan(0);
                    for (const token of j.map(typeToken)) expect(classForToken(token)?.__pulumiType, token).toBe(token);
                }
            });
        }
    });
});

describe("the pod rules' classes", () => {
    it("are exactly the shared workload table's kinds (the webhook's too)", () => {
        expect(WORKLOAD_CLASSES.map(typeToken)).toEqual(WORKLOAD_TYPES);
    });
});
