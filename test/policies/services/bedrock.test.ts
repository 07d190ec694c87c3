import { describe, expect, it } from "vitest";
import { UNKNOWN, type Rule } from "../../../policies/framework/rule";
import { bedrockAgentMissingGuardrail } from "../../../policies/rules/aws/bedrock/agentagent-missing-guardrail";
import { bedrockAgentMissingKmsKey } from "../../../policies/rules/aws/bedrock/agentagent-missing-kms-key";
import { bedrockCustomModelMissingKmsKey } from "../../../policies/rules/aws/bedrock/custommodel-missing-kms-key";
import { bedrockGuardrailMissingKmsKey } from "../../../policies/rules/aws/bedrock/guardrail-missing-kms-key";
import { bedrockInvocationLoggingEnableDataDelivery } from "../../../policies/rules/aws/bedrockmodel/invocationloggingconfiguration-enable-data-delivery";
import { bedrockInvocationLoggingMissingEncryptedDestination } from "../../../policies/rules/aws/bedrockmodel/invocationloggingconfiguration-missing-encrypted-destination";
import { AGENT_TYPE, CUSTOM_MODEL_TYPE, GUARDRAIL_TYPE, INVOCATION_LOGGING_TYPE } from "../../../policies/rules/aws/bedrock/types";
import { agent, customModel, guardrail, bedrockLoggingStack, logging } from "./fixtures-aws";
import { expectOne, runResource, runStack, urnOf, withField } from "../support";

type Case = [Rule, string, () => Record<string, unknown>, string, unknown, string];
const cases: Case[] = [
    [bedrockGuardrailMissingKmsKey, GUARDRAIL_TYPE, guardrail, "kmsKeyArn", undefined, "kmsKeyArn is not set"],
    [bedrockCustomModelMissingKmsKey, CUSTOM_MODEL_TYPE, customModel, "customModelKmsKeyId", undefined, "customModelKmsKeyId is not set"],
    [bedrockCustomModelMissingKmsKey, CUSTOM_MODEL_TYPE, customModel, "customModelKmsKeyId", "", "customModelKmsKeyId is not set"],
    [bedrockAgentMissingKmsKey, AGENT_TYPE, agent, "customerEncryptionKeyArn", undefined, "customerEncryptionKeyArn is not set"],
    [bedrockAgentMissingGuardrail, AGENT_TYPE, agent, "guardrailConfigurations", undefined, "runs without a guardrail"],
    [bedrockAgentMissingGuardrail, AGENT_TYPE, agent, "guardrailConfigurations[0].guardrailVersion", undefined, "runs without a guardrail"],
    [bedrockInvocationLoggingEnableDataDelivery, INVOCATION_LOGGING_TYPE, logging, "loggingConfig.textDataDeliveryEnabled", false, "textDataDeliveryEnabled is false"],
    [bedrockInvocationLoggingEnableDataDelivery, INVOCATION_LOGGING_TYPE, logging, "loggingConfig.imageDataDeliveryEnabled", false, "imageDataDeliveryEnabled is false"],
];

describe("Bedrock resource rules", () => {
    it.each(cases.map(([r, t, f]) => [r.name, r, t, f] as const))("%s passes a compliant resource", (_n, rule, type, factory) => {
        expect(runResource(rule, type, factory())).toEqual([]);
    });
    it.each(cases.map(([r, t, f, p, v, m]) => [r.name, p, String(v), r, t, f, v, m] as const))("%s: %s = %s", (_n, path, _s, rule, type, factory, value, msg) => {
        expectOne(runResource(rule, type, withField(factory(), path, value)), [msg]);
    });
    it.each(cases.map(([r, t, f, p]) => [r.name, p, r, t, f] as const))("%s: %s unknown → no finding", (_n, path, rule, type, factory) => {
        expect(runResource(rule, type, withField(factory(), path, UNKNOWN))).toEqual([]);
    });
    it("invocation logging without any destination is reported; defaults (flags unset) are fine", () => {
        const none = { loggingConfig: {} };
        expectOne(runResource(bedrockInvocationLoggingEnableDataDelivery, INVOCATION_LOGGING_TYPE, none), ["has no destination"]);
        expect(runResource(bedrockInvocationLoggingEnableDataDelivery, INVOCATION_LOGGING_TYPE, { loggingConfig: { s3Config: { bucketName: "b" } } })).toEqual([]);
        expect(runResource(bedrockInvocationLoggingEnableDataDelivery, INVOCATION_LOGGING_TYPE, { loggingConfig: UNKNOWN })).toEqual([]);
    });
});

describe("aws-bedrockmodel-invocationloggingconfiguration-missing-encrypted-destination", () => {
    const rule = bedrockInvocationLoggingMissingEncryptedDestination;
    const stack = bedrockLoggingStack;
    const loggingUrn = urnOf(INVOCATION_LOGGING_TYPE, "logging");
    const edit = (i: number, path: string, value: unknown) => stack().map((r, j) => (j === i ? { ...r, props: withField(r.props, path, value) } : r));

    it("passes when both destinations use customer-managed keys", () => {
        expect(runStack(rule, stack())).toEqual([]);
    });
    it.each([
        ["log group without kmsKeyId", 1, "kmsKeyId", undefined, 'log group "/bedrock/invocations" receives invocation logs but has no kmsKeyId'],
        ["bucket SSE-S3 only", 3, "rules[0].applyServerSideEncryptionByDefault.sseAlgorithm", "AES256", 'bucket "invocations" receives invocation logs'],
        ["bucket SSE-KMS without key", 3, "rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId", undefined, "defaulting to aws:kms with a kmsMasterKeyId"],
    ])("%s", (_n, i, path, value, msg) => {
        expectOne(runStack(rule, edit(i, path, value)), [msg], loggingUrn);
    });
    it("a bucket in the stack with no SSE configuration is reported; destinations outside the stack are not", () => {
        expectOne(runStack(rule, stack().slice(0, 3)), ['bucket "invocations"'], loggingUrn);
        expect(runStack(rule, stack().slice(0, 1))).toEqual([]);
    });
    it("unknown key, rules or destination names produce no violation (at most a decided-at-update notice)", () => {
        expect(runStack(rule, edit(1, "kmsKeyId", UNKNOWN)).filter((f) => !f.undecided)).toEqual([]);
        expect(runStack(rule, edit(3, "rules", UNKNOWN)).filter((f) => !f.undecided)).toEqual([]);
        expect(runStack(rule, edit(0, "loggingConfig", UNKNOWN)).filter((f) => !f.undecided)).toEqual([]);
        expect(runStack(rule, edit(1, "name", UNKNOWN).filter((_r, i) => i !== 3))).toHaveLength(1);
    });
});
