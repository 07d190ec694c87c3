import { describe, expect, it } from "vitest";
import { UNKNOWN, type RuleResource } from "../../../policies/framework/rule";
import { ecrRepositoryEnforceImmutableTags } from "../../../policies/rules/aws/ecr/repository-enforce-immutable-tags";
import { ecrRepositoryMissingKmsKey } from "../../../policies/rules/aws/ecr/repository-missing-kms-key";
import { ecrRepositoryEnableScanOnPush } from "../../../policies/rules/aws/ecr/repository-enable-scan-on-push";
import { REGISTRY_SCANNING_TYPE, REPOSITORY_TYPE } from "../../../policies/rules/aws/ecr/types";
import { repository } from "./fixtures-aws";
import { expectOne, res, runResource, runStack, urnOf, withField } from "../support";

describe("aws-ecr-repository-enforce-immutable-tags", () => {
    const run = (props: Record<string, unknown>) => runResource(ecrRepositoryEnforceImmutableTags, REPOSITORY_TYPE, props);
    it("passes IMMUTABLE", () => expect(run(repository())).toEqual([]));
    it.each([
        [undefined, "not set (the default is MUTABLE)"],
        ["MUTABLE", 'imageTagMutability is "MUTABLE"'],
        ["IMMUTABLE_WITH_EXCLUSION", 'imageTagMutability is "IMMUTABLE_WITH_EXCLUSION"'],
    ])("imageTagMutability = %s", (v, msg) => expectOne(run(withField(repository(), "imageTagMutability", v)), [msg]));
    it("unknown → no finding", () => expect(run(withField(repository(), "imageTagMutability", UNKNOWN))).toEqual([]));
});

describe("aws-ecr-repository-missing-kms-key", () => {
    const run = (props: Record<string, unknown>) => runResource(ecrRepositoryMissingKmsKey, REPOSITORY_TYPE, props);
    it("passes KMS with a key, and KMS_DSSE with a key", () => {
        expect(run(repository())).toEqual([]);
        expect(run(withField(repository(), "encryptionConfigurations[0].encryptionType", "KMS_DSSE"))).toEqual([]);
    });
    it.each([
        ["encryptionConfigurations", undefined, "not set (the default is AES256)"],
        ["encryptionConfigurations[0].encryptionType", "AES256", 'encryptionType is "AES256"'],
        ["encryptionConfigurations[0].kmsKey", undefined, "AWS-managed aws/ecr key"],
    ])("%s = %s", (path, v, msg) => expectOne(run(withField(repository(), path, v)), [msg]));
    it.each(["encryptionConfigurations", "encryptionConfigurations[0].encryptionType", "encryptionConfigurations[0].kmsKey"])("%s unknown → no finding", (path) => {
        expect(run(withField(repository(), path, UNKNOWN))).toEqual([]);
    });
});

describe("aws-ecr-repository-enable-scan-on-push (stack)", () => {
    const rule = ecrRepositoryEnableScanOnPush;
    const repoUrn = urnOf(REPOSITORY_TYPE, "repo");
    const repo = (props: Record<string, unknown> = repository()) => res(REPOSITORY_TYPE, "repo", props);
    const registry = (props: Record<string, unknown>) => res(REGISTRY_SCANNING_TYPE, "scan", props);
    const enhanced = (filter: string, scanFrequency = "CONTINUOUS_SCAN") => registry({ scanType: "ENHANCED", rules: [{ scanFrequency, repositoryFilters: [{ filter, filterType: "WILDCARD" }] }] });

    it("passes scanOnPush, or an ENHANCED rule whose wildcard matches, or a BASIC scan-on-push rule", () => {
        expect(runStack(rule, [repo()])).toEqual([]);
        expect(runStack(rule, [repo(withField(repository(), "imageScanningConfiguration", undefined)), enhanced("models/*")])).toEqual([]);
        expect(runStack(rule, [repo(withField(repository(), "imageScanningConfiguration", undefined)), registry({ scanType: "BASIC", rules: [{ scanFrequency: "SCAN_ON_PUSH", repositoryFilters: [{ filter: "*", filterType: "WILDCARD" }] }] })])).toEqual([]);
    });
    it.each<[string, RuleResource[], string]>([
        ["scanOnPush false", [repo(withField(repository(), "imageScanningConfiguration.scanOnPush", false))], "scanOnPush false"],
        ["no scanning configuration", [repo(withField(repository(), "imageScanningConfiguration", undefined))], "scanOnPush unset"],
        ["ENHANCED rule that does not match (repository scanOnPush is ignored)", [repo(), enhanced("datasets/*")], "not matched by any rule of the ENHANCED"],
        ["ENHANCED rule with MANUAL frequency", [repo(), enhanced("*", "MANUAL")], "not matched by any rule of the ENHANCED"],
        ["BASIC continuous (not a BASIC frequency)", [repo(withField(repository(), "imageScanningConfiguration", undefined)), registry({ scanType: "BASIC", rules: [{ scanFrequency: "CONTINUOUS_SCAN", repositoryFilters: [{ filter: "*", filterType: "WILDCARD" }] }] })], "scanOnPush unset"],
    ])("%s", (_n, stack, msg) => expectOne(runStack(rule, stack), [msg], repoUrn));
    it("unknown name, scanOnPush or registry configuration → no finding", () => {
        const noScan = withField(repository(), "imageScanningConfiguration", undefined);
        expect(runStack(rule, [repo(withField(noScan, "name", UNKNOWN))])).toEqual([]);
        expect(runStack(rule, [repo(withField(repository(), "imageScanningConfiguration.scanOnPush", UNKNOWN))])).toEqual([]);
        expect(runStack(rule, [repo(noScan), registry({ scanType: "ENHANCED", rules: UNKNOWN })])).toEqual([]);
        expect(runStack(rule, [repo(noScan), registry({ scanType: UNKNOWN, rules: [] })])).toEqual([]);
    });
});
