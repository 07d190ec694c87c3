/**
 * "Never a false violation or a crash on unknowns", checked exhaustively: for every service rule,
 * take its compliant fixture and replace each value in it (every leaf, object and array, one at a
 * time, then random sets of them) with UNKNOWN. The rule must not throw and must report nothing.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UNKNOWN, type Rule, type RuleResource } from "../../../policies/framework/rule";
import { SERVICE_RULES } from "../../../policies/rules/services";
import { DATA_STORE_RULES } from "../../../policies/rules/data-stores";
import { storesStack } from "./fixtures-stores";
import { REPOSITORY_TYPE } from "../../../policies/rules/aws/ecr/types";
import { CLUSTER_TYPE } from "../../../policies/rules/aws/eks/types";
import { AGENT_TYPE, CUSTOM_MODEL_TYPE, GUARDRAIL_TYPE, INVOCATION_LOGGING_TYPE } from "../../../policies/rules/aws/bedrock/types";
import { DOMAIN_TYPE, ENDPOINT_CONFIG_TYPE, MODEL_TYPE, NOTEBOOK_TYPE, TRAINING_JOB_TYPE } from "../../../policies/rules/aws/sagemaker/images";
import { agent, backupStack, bedrockLoggingStack, cluster, customModel, domain, endpointConfig, guardrail, logging, model, notebook, repository, trainingJob, LAUNCH_TEMPLATE_TYPE, NODE_GROUP_TYPE, launchTemplate, nodeGroup, INSTANCE_TYPE, SECRET_TYPE, instance, secret, resourcePolicyStacks, TASK_DEFINITION_TYPE, ECS_SERVICE_TYPE, taskDefinition, ecsService } from "./fixtures-aws";
import { ctx, res, withField } from "../support";
import { k8sStack } from "./k8s-fixtures";

const RESOURCE_FIXTURES: Record<string, () => Record<string, unknown>> = {
    [NOTEBOOK_TYPE]: notebook,
    [MODEL_TYPE]: model,
    [ENDPOINT_CONFIG_TYPE]: endpointConfig,
    [DOMAIN_TYPE]: domain,
    [TRAINING_JOB_TYPE]: trainingJob,
    [GUARDRAIL_TYPE]: guardrail,
    [CUSTOM_MODEL_TYPE]: customModel,
    [AGENT_TYPE]: agent,
    [INVOCATION_LOGGING_TYPE]: logging,
    [REPOSITORY_TYPE]: repository,
    [CLUSTER_TYPE]: cluster,
    [NODE_GROUP_TYPE]: nodeGroup,
    [LAUNCH_TEMPLATE_TYPE]: launchTemplate,
    [INSTANCE_TYPE]: instance,
    [SECRET_TYPE]: secret,
    [TASK_DEFINITION_TYPE]: taskDefinition,
    [ECS_SERVICE_TYPE]: ecsService,
};

/** The compliant stack for each stack rule, by name prefix. */
function stackFor(rule: Rule): RuleResource[] | undefined {
    if (rule.name.startsWith("aws-backup-")) return backupStack();
    if (rule.name.startsWith("aws-bedrockmodel-")) return bedrockLoggingStack();
    for (const [prefix, stack] of Object.entries(resourcePolicyStacks)) if (rule.name.startsWith(prefix)) return stack();
    if (rule.name.startsWith("kubernetes-")) return k8sStack();
    if (DATA_STORE_RULES.includes(rule)) return storesStack();
    return undefined;
}

/** Every path (`a.b[0].c`) inside a value, objects and arrays included. */
function paths(v: unknown, prefix = ""): string[] {
    const out: string[] = [];
    if (Array.isArray(v)) v.forEach((x, i) => out.push(`${prefix}[${i}]`, ...paths(x, `${prefix}[${i}]`)));
    else if (v && typeof v === "object") {
        for (const [k, x] of Object.entries(v)) {
            if (k.includes(".")) continue; // label keys with dots are reached through their parent map
            const p = prefix ? `${prefix}.${k}` : k;
            out.push(p, ...paths(x, p));
        }
    }
    return out;
}

/** Sets `path` to UNKNOWN; a path under a value that is already unknown is left as it is. */
function setUnknown(props: Record<string, unknown>, path: string): Record<string, unknown> {
    const keys = path.replace(/\[(\d+)\]/g, ".$1").split(".");
    let cur: unknown = props;
    for (const k of keys.slice(0, -1)) {
        cur = (cur as Record<string, unknown>)[k];
        if (cur === null || typeof cur !== "object") return props;
    }
    return withField(props, path, UNKNOWN);
}

/** A rule, its compliant input, and a function applying a set of (resource index, path) replacements. */
interface Subject {
    readonly rule: Rule;
    readonly targets: readonly (readonly [number, string])[];
    run(edits: readonly (readonly [number, string])[]): unknown;
}

function subject(rule: Rule): Subject | undefined {
    if (rule.kind === "resource") {
        const type = rule.resourceTypes[0];
        const factory = RESOURCE_FIXTURES[type];
        if (!factory) return undefined;
        return {
            rule,
            targets: paths(factory()).map((p) => [0, p] as const),
            run: (edits) => rule.check(res(type, "subject", edits.reduce((props, [, p]) => setUnknown(props, p), factory())), ctx()),
        };
    }
    const base = stackFor(rule);
    if (!base) return undefined;
    return {
        rule,
        targets: base.flatMap((r, i) => paths(r.props).map((p) => [i, p] as const)),
        run: (edits) => {
            const stack = stackFor(rule)!;
            for (const [i, p] of edits) stack[i] = { ...stack[i], props: setUnknown(stack[i].props as Record<string, unknown>, p) };
            return rule.check(stack, ctx());
        },
    };
}

const subjects = [...SERVICE_RULES, ...DATA_STORE_RULES].map((r) => [r.name, r, subject(r)] as const);

describe("every service rule has a compliant fixture", () => {
    it.each(subjects)("%s", (_n, _r, s) => {
        expect(s).toBeDefined();
        expect(s!.run([])).toEqual([]);
    });
});

describe("unknown anywhere in a compliant input → no finding, no throw", () => {
    it.each(subjects)("%s: each value replaced by UNKNOWN, one at a time", (_n, _r, s) => {
        for (const t of s!.targets) expect(violations(s!.run([t])), `${t[0]}:${t[1]}`).toEqual([]);
    });
    it.each(subjects)("%s: random sets of values replaced by UNKNOWN", (_n, _r, s) => {
        fc.assert(
            fc.property(fc.subarray([...s!.targets], { maxLength: Math.min(6, s!.targets.length) }), (edits) => {
                expect(violations(s!.run(edits))).toEqual([]);
            }),
            { numRuns: 150 },
        );
    });
});

/** Findings that are violations: an unknown may leave a check undecided (reported as such), never violated. */
function violations(findings: unknown): readonly unknown[] {
    return (findings as readonly { undecided?: boolean }[]).filter((f) => !f.undecided);
}
