import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../../policies/framework/rule";
import { UNKNOWN_STRING } from "../../../policies/framework/values";
import { ecsServiceDisallowPublicIp } from "../../../policies/rules/aws/ecs/service-disallow-public-ip";
import { ecsTaskDefinitionDisallowPlaintextSecrets, looksLikeSecret } from "../../../policies/rules/aws/ecs/taskdefinition-disallow-plaintext-secrets";
import { ecsTaskDefinitionDisallowUnapprovedRegistry } from "../../../policies/rules/aws/ecs/taskdefinition-disallow-unapproved-registry";
import { ecsTaskDefinitionEnforceImageDigest } from "../../../policies/rules/aws/ecs/taskdefinition-enforce-image-digest";
import { containers, ECS_SERVICE_TYPE, ecsService, TASK_DEFINITION_TYPE, taskDefinition } from "./fixtures-aws";
import { ECR, expectOne, runResource, withField } from "../support";

/** A task definition whose containers are `containers()` with one field changed. */
const withContainer = (path: string, value: unknown) => ({ ...taskDefinition(), containerDefinitions: JSON.stringify(edited(path, value)) });
/** `containers()` with the value at `[i].path` replaced. */
const edited = (path: string, value: unknown, base: unknown[] = containers()) => withField({ c: base }, `c${path}`, value).c;
const TASK_RULES = [ecsTaskDefinitionEnforceImageDigest, ecsTaskDefinitionDisallowUnapprovedRegistry, ecsTaskDefinitionDisallowPlaintextSecrets];

describe("ECS task definition rules", () => {
    it.each(TASK_RULES.map((r) => [r.name, r] as const))("%s: passes the compliant task definition", (_n, rule) => {
        expect(runResource(rule, TASK_DEFINITION_TYPE, taskDefinition())).toEqual([]);
    });
    it.each([
        [ecsTaskDefinitionEnforceImageDigest, "[0].image", `${ECR}/models/llm:v1`, 'containerDefinitions[0] ("llm"): image "', "is not pinned by digest"],
        [ecsTaskDefinitionEnforceImageDigest, "[1].image", "nginx:latest", 'containerDefinitions[1] ("sidecar")', "not pinned by digest"],
        [ecsTaskDefinitionDisallowUnapprovedRegistry, "[0].image", `docker.io/vllm/vllm-openai@sha256:${"b".repeat(64)}`, 'containerDefinitions[0] ("llm")', "matches none of the allowed registries"],
        [ecsTaskDefinitionDisallowUnapprovedRegistry, "[1].image", `${ECR}.evil.example/x@sha256:${"b".repeat(64)}`, "containerDefinitions[1]", "matches none"],
        [ecsTaskDefinitionDisallowPlaintextSecrets, "[0].environment[0]", { name: "OPENAI_API_KEY", value: "sk-live-123" }, 'environment[0] "OPENAI_API_KEY" holds a plaintext credential', "secrets"],
        [ecsTaskDefinitionDisallowPlaintextSecrets, "[1].environment[0].value", "hunter2", 'containerDefinitions[1] ("sidecar"): environment[0] "API_KEY"', "plaintext"],
        [ecsTaskDefinitionDisallowPlaintextSecrets, "[0].environment[0]", { name: "db_password", value: "x" }, '"db_password"', "plaintext"],
    ] as const)("%s: %s = %j", (rule, path, value, m1, m2) => {
        expectOne(runResource(rule, TASK_DEFINITION_TYPE, withContainer(path, value)), [m1, m2]);
    });
    it("the secret-name test: credentials yes, references to them no", () => {
        for (const n of ["PASSWORD", "DB_PASSWORD", "HF_TOKEN", "AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY", "PRIVATE_KEY", "api-key", "CONNECTION_STRING"]) expect(looksLikeSecret(n), n).toBe(true);
        for (const n of ["MODEL_ID", "DB_PASSWORD_ARN", "TOKEN_URL", "SECRET_NAME", "HF_TOKEN_PATH", "LOG_LEVEL"]) expect(looksLikeSecret(n), n).toBe(false);
    });
    it.each(TASK_RULES.map((r) => [r.name, r] as const))("%s: unknown or unreadable containerDefinitions", (_n, rule) => {
        const unknown = runResource(rule, TASK_DEFINITION_TYPE, { ...taskDefinition(), containerDefinitions: UNKNOWN });
        expect(unknown).toEqual([{ undecided: true, message: "containerDefinitions are not known yet" }]);
        expectOne(runResource(rule, TASK_DEFINITION_TYPE, { ...taskDefinition(), containerDefinitions: "[{" }), ["containerDefinitions cannot be read: not valid JSON"]);
    });
    it("judges the known containers of a document built from outputs", () => {
        const doc = JSON.stringify(edited("[1].image", "nginx:latest", edited("[0].image", `${UNKNOWN_STRING}@sha256:${"c".repeat(64)}`)));
        expectOne(runResource(ecsTaskDefinitionEnforceImageDigest, TASK_DEFINITION_TYPE, { ...taskDefinition(), containerDefinitions: doc }), ['containerDefinitions[1] ("sidecar")']);
        expectOne(runResource(ecsTaskDefinitionDisallowUnapprovedRegistry, TASK_DEFINITION_TYPE, { ...taskDefinition(), containerDefinitions: doc }), ['containerDefinitions[1] ("sidecar")']);
        const secret = JSON.stringify(edited("[0].environment[0]", { name: "DB_PASSWORD", value: UNKNOWN_STRING }));
        const found = runResource(ecsTaskDefinitionDisallowPlaintextSecrets, TASK_DEFINITION_TYPE, { ...taskDefinition(), containerDefinitions: secret });
        expect(found).toHaveLength(1);
        expect(found[0]).toMatchObject({ undecided: true });
    });
});

describe("aws-ecs-service-disallow-public-ip", () => {
    const run = (props: Record<string, unknown>) => runResource(ecsServiceDisallowPublicIp, ECS_SERVICE_TYPE, props);
    it("passes assignPublicIp false or absent", () => {
        expect(run(ecsService())).toEqual([]);
        expect(run(withField(ecsService(), "networkConfiguration.assignPublicIp", undefined))).toEqual([]);
        expect(run(withField(ecsService(), "networkConfiguration", undefined))).toEqual([]);
    });
    it("flags assignPublicIp true", () => expectOne(run(withField(ecsService(), "networkConfiguration.assignPublicIp", true)), ["assignPublicIp is true"]));
    it("unknown → no finding", () => expect(run(withField(ecsService(), "networkConfiguration.assignPublicIp", UNKNOWN))).toEqual([]));
});
