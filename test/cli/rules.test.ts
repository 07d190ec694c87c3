/**
 * `aiguard rules` and `aiguard explain`, run as a subprocess, checked against the rule catalogue the
 * pack runs (policies/catalogue.ts): every rule listed with its own metadata, filters that narrow by
 * clause, service and severity, and an explanation drawn from the rule, the clause list and the
 * settings schema; unknown names and filter values answered with the nearest known one.
 */
import { describe, expect, it } from "vitest";
import { CLAUSES } from "../../common/clauses";
import { DEFAULT_SETTINGS, SETTING_SCHEMAS } from "../../common/settings";
import { RULES, ruleByName } from "../../policies/catalogue";
import { aiguard, STACK_TRACE } from "./support";

interface ListedRule {
    name: string;
    severity: string;
    enforcementLevel: string;
    clauses: string[];
    description: string;
    remediationSteps: string;
    settings: string[];
    services: { provider: string; service: string }[];
}

async function listed(...args: string[]): Promise<ListedRule[]> {
    const r = await aiguard(["rules", "--format", "json", ...args]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    return (JSON.parse(r.stdout) as { rules: ListedRule[] }).rules;
}

describe("aiguard rules", () => {
    it("lists every rule of the catalogue with its own metadata", async () => {
        const rules = await listed();
        expect(rules.map((r) => r.name)).toEqual(RULES.map((r) => r.name));
        for (const r of rules) {
            const source = ruleByName(r.name)!;
            expect([r.severity, r.enforcementLevel, r.clauses, r.description, r.remediationSteps, r.settings]).toEqual([
                source.severity,
                source.enforcementLevel,
                [...source.clauses],
                source.description,
                source.remediationSteps,
                [...(source.settings ?? [])],
            ]);
        }
    });

    it("prints a table in text: one row per rule with severity, level, service and clauses", async () => {
        const r = await aiguard(["rules"]);
        expect(r.code).toBe(0);
        const kms = ruleByName("aws-kms-key-enable-rotation")!;
        expect(r.stdout).toMatch(new RegExp(`^aws-kms-key-enable-rotation +${kms.severity} +${kms.enforcementLevel} +aws/kms +${kms.clauses.join(", ")}$`, "m"));
        expect(r.stdout).toContain(`${RULES.length} of ${RULES.length} rules.`);
    });

    it("filters by clause, severity and service (AWS service, Kubernetes API group, provider)", async () => {
        const dp2 = await listed("--clause", "DP-2");
        expect(dp2.map((r) => r.name)).toEqual(RULES.filter((r) => (r.clauses as readonly string[]).includes("DP-2")).map((r) => r.name));
        expect(dp2.length).toBeGreaterThan(0);

        const severe = await listed("--severity", "high,critical");
        expect(severe.map((r) => r.name)).toEqual(RULES.filter((r) => r.severity === "high" || r.severity === "critical").map((r) => r.name));
        expect(new Set(severe.map((r) => r.severity))).toEqual(new Set(["high", "critical"]));

        const sagemaker = await listed("--service", "sagemaker");
        const ownTypes = sagemaker.filter((r) => r.services.some((s) => s.service === "sagemaker"));
        expect(ownTypes.length).toBeGreaterThan(5);
        // The provider-wide tag rule judges SageMaker resources too; nothing else is listed.
        for (const r of sagemaker) expect(r.services.some((s) => s.service === "sagemaker" || (s.provider === "aws" && s.service === "*"))).toBe(true);
        expect(sagemaker.map((r) => r.name)).toContain("aws-tags-resource-missing-required-tags");

        const apps = await listed("--service", "core", "--severity", "critical");
        for (const r of apps) expect([r.severity, r.services.some((s) => s.provider === "kubernetes" && s.service === "core")]).toEqual(["critical", true]);

        const kubernetes = await listed("--service", "kubernetes");
        expect(kubernetes.map((r) => r.name)).toEqual(RULES.filter((r) => r.name.startsWith("kubernetes-")).map((r) => r.name));
    });

    it("answers an unknown clause, service or severity with exit 2 and the nearest value", async () => {
        const [clause, service, severity] = await Promise.all([
            aiguard(["rules", "--clause", "DP-9"]),
            aiguard(["rules", "--service", "sagemkr"]),
            aiguard(["rules", "--severity", "critcal"]),
        ]);
        expect(clause.stderr).toContain('aiguard: error: --clause DP-9 is not a clause of either document (did you mean "DP-1"?)');
        expect(service.stderr).toContain('aiguard: error: --service sagemkr is not a service any rule judges (did you mean "sagemaker"?)');
        expect(severity.stderr).toContain('aiguard: error: --severity critcal is not a severity (did you mean "critical"?)');
        for (const r of [clause, service, severity]) {
            expect(r.code).toBe(2);
            expect(r.stderr).toMatch(/^ {2}fix: /m);
            expect(r.stderr).not.toMatch(STACK_TRACE);
        }
    });
});

describe("aiguard explain", () => {
    it("explains a rule: description, clauses with titles, severity, level, types, fix, settings with defaults, exemption", async () => {
        const name = "aws-cloudwatch-loggroup-configure-retention";
        const rule = ruleByName(name)!;
        const r = await aiguard(["explain", name]);
        expect(r.code).toBe(0);
        const text = r.stdout.replace(/\s+/g, " ");
        expect(text).toContain(rule.description);
        for (const id of rule.clauses) expect(text).toContain(`${id} ${CLAUSES.find((c) => c.id === id)!.title}`);
        expect(text).toContain(`${rule.severity}, ${rule.enforcementLevel} by default`);
        expect(text).toContain("aws:cloudwatch/logGroup:LogGroup");
        expect(text).toContain(rule.remediationSteps);
        expect(text).toContain(`minimumLogRetentionDays (default ${DEFAULT_SETTINGS.minimumLogRetentionDays})`);
        expect(text).toContain((SETTING_SCHEMAS.minimumLogRetentionDays as { description: string }).description);
        expect(text).toContain(`"${name}": { "exemptions": [`);
        expect(text).toContain(`--skip-rule ${name}`);
        expect(text).toContain(`aiguard explain ${name} --examples`);
    });

    it("gives the same in JSON", async () => {
        const r = await aiguard(["explain", "aws-kms-key-enable-rotation", "--format", "json"]);
        expect(r.code).toBe(0);
        const e = JSON.parse(r.stdout) as { name: string; clauses: { id: string; title: string }[]; judges: string[]; settings: { name: string; default: unknown }[] };
        const rule = ruleByName("aws-kms-key-enable-rotation")!;
        expect(e.clauses.map((c) => c.id)).toEqual([...rule.clauses]);
        expect(e.clauses.every((c) => c.title === CLAUSES.find((x) => x.id === c.id)!.title)).toBe(true);
        expect(e.judges).toEqual(["aws:kms/key:Key"]);
        expect(e.settings.map((s) => s.name)).toEqual([...(rule.settings ?? [])]);
    });

    it("--examples shows the insecure demo's violating resource and a compliant one from the example platform", async () => {
        const r = await aiguard(["explain", "aws-cloudwatch-loggroup-configure-retention", "--examples", "--format", "json"]);
        expect(r.code).toBe(0);
        const e = JSON.parse(r.stdout) as { examples: { violating: { name: string; type: string; message: string; inputs: { retentionInDays?: number } }[]; compliant: { name: string; inputs: { retentionInDays?: number } }[] } };
        expect(e.examples.violating[0]).toMatchObject({ name: "training-logs", type: "aws:cloudwatch/logGroup:LogGroup", inputs: { retentionInDays: 7 } });
        expect(e.examples.violating[0]!.message).toContain("keeps logs for 7 days; the minimum is 365");
        expect(e.examples.compliant.length).toBeGreaterThan(0);
        for (const c of e.examples.compliant) expect(c.inputs.retentionInDays === undefined || c.inputs.retentionInDays >= 365).toBe(true);
    });

    it("answers an unknown rule with exit 2 and the nearest rule name", async () => {
        const r = await aiguard(["explain", "aws-kms-key-enable-rotaton"]);
        expect(r.code).toBe(2);
        expect(r.stderr).toBe('aiguard: error: no rule named "aws-kms-key-enable-rotaton" (did you mean "aws-kms-key-enable-rotation"?)\n  fix: list the rules with `aiguard rules`\n');
    });
});
