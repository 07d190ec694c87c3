import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../../policies/framework/rule";
import { UNKNOWN_STRING } from "../../../policies/framework/values";
import { DOMAIN_TYPE, ENDPOINT_CONFIG_TYPE, MODEL_TYPE, NOTEBOOK_TYPE, TRAINING_JOB_TYPE } from "../../../policies/rules/aws/sagemaker/images";
import { sagemakerDomainMissingKmsKey } from "../../../policies/rules/aws/sagemaker/domain-missing-kms-key";
import { sagemakerDomainDisallowRootAccess } from "../../../policies/rules/aws/sagemaker/domain-disallow-root-access";
import { sagemakerDomainMissingSecurityGroups } from "../../../policies/rules/aws/sagemaker/domain-missing-security-groups";
import { sagemakerDomainEnforceVpcOnly } from "../../../policies/rules/aws/sagemaker/domain-enforce-vpc-only";
import { sagemakerEndpointConfigEnableDataCapture } from "../../../policies/rules/aws/sagemaker/endpointconfiguration-enable-data-capture";
import { sagemakerEndpointConfigMissingKmsKey } from "../../../policies/rules/aws/sagemaker/endpointconfiguration-missing-kms-key";
import { sagemakerModelEnforceImageDigest } from "../../../policies/rules/aws/sagemaker/model-enforce-image-digest";
import { sagemakerModelDisallowUnapprovedRegistry } from "../../../policies/rules/aws/sagemaker/model-disallow-unapproved-registry";
import { sagemakerModelEnableNetworkIsolation } from "../../../policies/rules/aws/sagemaker/model-enable-network-isolation";
import { sagemakerModelMissingVpcConfig } from "../../../policies/rules/aws/sagemaker/model-missing-vpc-config";
import { sagemakerNotebookDisableDirectInternetAccess } from "../../../policies/rules/aws/sagemaker/notebookinstance-disable-direct-internet-access";
import { sagemakerNotebookMissingKmsKey } from "../../../policies/rules/aws/sagemaker/notebookinstance-missing-kms-key";
import { sagemakerNotebookDisableRootAccess } from "../../../policies/rules/aws/sagemaker/notebookinstance-disable-root-access";
import { sagemakerNotebookMissingSubnet } from "../../../policies/rules/aws/sagemaker/notebookinstance-missing-subnet";
import { sagemakerNotebookEnforceImdsV2 } from "../../../policies/rules/aws/sagemaker/notebookinstance-enforce-imdsv2";
import { sagemakerTrainingJobEnforceImageDigest } from "../../../policies/rules/aws/sagemaker/trainingjob-enforce-image-digest";
import { sagemakerTrainingJobDisallowUnapprovedRegistry } from "../../../policies/rules/aws/sagemaker/trainingjob-disallow-unapproved-registry";
import { sagemakerTrainingJobEnableInterContainerEncryption } from "../../../policies/rules/aws/sagemaker/trainingjob-enable-inter-container-encryption";
import { sagemakerTrainingJobMissingKmsKey } from "../../../policies/rules/aws/sagemaker/trainingjob-missing-kms-key";
import { sagemakerTrainingJobEnableNetworkIsolation } from "../../../policies/rules/aws/sagemaker/trainingjob-enable-network-isolation";
import { sagemakerTrainingJobMissingVpcConfig } from "../../../policies/rules/aws/sagemaker/trainingjob-missing-vpc-config";
import type { Rule } from "../../../policies/framework/rule";
import { domain, endpointConfig, model, notebook, trainingJob } from "./fixtures-aws";
import { DIGEST, ECR, expectOne, runResource, withField } from "../support";

/** [rule, type, factory, field path, new value, expected message substring] */
type Case = [Rule, string, () => Record<string, unknown>, string, unknown, string];

const cases: Case[] = [
    [sagemakerNotebookDisableDirectInternetAccess, NOTEBOOK_TYPE, notebook, "directInternetAccess", undefined, "not set (the default is Enabled)"],
    [sagemakerNotebookDisableDirectInternetAccess, NOTEBOOK_TYPE, notebook, "directInternetAccess", "Enabled", 'directInternetAccess is "Enabled"'],
    [sagemakerNotebookDisableRootAccess, NOTEBOOK_TYPE, notebook, "rootAccess", undefined, "rootAccess is not set"],
    [sagemakerNotebookDisableRootAccess, NOTEBOOK_TYPE, notebook, "rootAccess", "Enabled", 'rootAccess is "Enabled"'],
    [sagemakerNotebookMissingKmsKey, NOTEBOOK_TYPE, notebook, "kmsKeyId", undefined, "kmsKeyId is not set"],
    [sagemakerNotebookMissingKmsKey, NOTEBOOK_TYPE, notebook, "kmsKeyId", " ", "kmsKeyId is not set"],
    [sagemakerNotebookMissingSubnet, NOTEBOOK_TYPE, notebook, "subnetId", undefined, "subnetId is not set"],
    [sagemakerNotebookEnforceImdsV2, NOTEBOOK_TYPE, notebook, "instanceMetadataServiceConfiguration", undefined, "minimumInstanceMetadataServiceVersion is not set (the default is 1"],
    [sagemakerNotebookEnforceImdsV2, NOTEBOOK_TYPE, notebook, "instanceMetadataServiceConfiguration.minimumInstanceMetadataServiceVersion", "1", 'minimumInstanceMetadataServiceVersion is "1"; set it to 2'],
    [sagemakerModelEnableNetworkIsolation, MODEL_TYPE, model, "enableNetworkIsolation", undefined, "not set (the default is false)"],
    [sagemakerModelEnableNetworkIsolation, MODEL_TYPE, model, "enableNetworkIsolation", false, "enableNetworkIsolation is false"],
    [sagemakerModelMissingVpcConfig, MODEL_TYPE, model, "vpcConfig", undefined, "vpcConfig is not set"],
    [sagemakerModelMissingVpcConfig, MODEL_TYPE, model, "vpcConfig.subnets", [], "vpcConfig.subnets is empty"],
    [sagemakerModelMissingVpcConfig, MODEL_TYPE, model, "vpcConfig.securityGroupIds", [], "vpcConfig.securityGroupIds is empty"],
    [sagemakerModelEnforceImageDigest, MODEL_TYPE, model, "primaryContainer.image", `${ECR}/models/llm:latest`, "primaryContainer.image: image"],
    [sagemakerModelEnforceImageDigest, MODEL_TYPE, model, "containers[1].image", `${ECR}/sidecar:v1`, "containers[1].image: image"],
    [sagemakerModelEnforceImageDigest, MODEL_TYPE, model, "containers[0].image", `${ECR}/x@sha256:abc`, "cannot be verified as pinned"],
    [sagemakerModelDisallowUnapprovedRegistry, MODEL_TYPE, model, "primaryContainer.image", `evil.com/${ECR}/models/llm@${DIGEST}`, 'primaryContainer.image: image "evil.com/'],
    [sagemakerModelDisallowUnapprovedRegistry, MODEL_TYPE, model, "containers[1].image", `docker.io/library/python@${DIGEST}`, "containers[1].image"],
    [sagemakerEndpointConfigMissingKmsKey, ENDPOINT_CONFIG_TYPE, endpointConfig, "kmsKeyArn", undefined, "kmsKeyArn is not set"],
    [sagemakerEndpointConfigEnableDataCapture, ENDPOINT_CONFIG_TYPE, endpointConfig, "dataCaptureConfig", undefined, "dataCaptureConfig is not set"],
    [sagemakerEndpointConfigEnableDataCapture, ENDPOINT_CONFIG_TYPE, endpointConfig, "dataCaptureConfig.enableCapture", undefined, "enableCapture is not true"],
    [sagemakerEndpointConfigEnableDataCapture, ENDPOINT_CONFIG_TYPE, endpointConfig, "dataCaptureConfig.enableCapture", false, "enableCapture is not true"],
    [sagemakerEndpointConfigEnableDataCapture, ENDPOINT_CONFIG_TYPE, endpointConfig, "dataCaptureConfig.captureOptions", [{ captureMode: "Output" }], "does not capture Input"],
    [sagemakerEndpointConfigEnableDataCapture, ENDPOINT_CONFIG_TYPE, endpointConfig, "dataCaptureConfig.initialSamplingPercentage", 0, "initialSamplingPercentage is 0"],
    [sagemakerEndpointConfigEnableDataCapture, ENDPOINT_CONFIG_TYPE, endpointConfig, "dataCaptureConfig.kmsKeyId", undefined, "dataCaptureConfig.kmsKeyId is not set"],
    [sagemakerDomainEnforceVpcOnly, DOMAIN_TYPE, domain, "appNetworkAccessType", undefined, "default is PublicInternetOnly"],
    [sagemakerDomainEnforceVpcOnly, DOMAIN_TYPE, domain, "appNetworkAccessType", "PublicInternetOnly", 'appNetworkAccessType is "PublicInternetOnly"'],
    [sagemakerDomainMissingKmsKey, DOMAIN_TYPE, domain, "kmsKeyId", undefined, "kmsKeyId is not set"],
    [sagemakerDomainMissingSecurityGroups, DOMAIN_TYPE, domain, "defaultUserSettings.securityGroups", undefined, "securityGroups is empty"],
    [sagemakerDomainMissingSecurityGroups, DOMAIN_TYPE, domain, "defaultUserSettings.securityGroups", [], "securityGroups is empty"],
    [sagemakerDomainDisallowRootAccess, DOMAIN_TYPE, domain, "domainSettings.dockerSettings.enableDockerAccess", "ENABLED", "enableDockerAccess is ENABLED"],
    [sagemakerDomainDisallowRootAccess, DOMAIN_TYPE, domain, "defaultUserSettings.customPosixUserConfig.uid", 0, "customPosixUserConfig.uid is 0"],
    [sagemakerDomainDisallowRootAccess, DOMAIN_TYPE, domain, "defaultUserSettings.customPosixUserConfig.gid", 0, "customPosixUserConfig.gid is 0"],
    [sagemakerTrainingJobEnableNetworkIsolation, TRAINING_JOB_TYPE, trainingJob, "enableNetworkIsolation", false, "enableNetworkIsolation is false"],
    [sagemakerTrainingJobMissingVpcConfig, TRAINING_JOB_TYPE, trainingJob, "vpcConfig", undefined, "vpcConfig is not set"],
    [sagemakerTrainingJobMissingKmsKey, TRAINING_JOB_TYPE, trainingJob, "outputDataConfig.kmsKeyId", undefined, "outputDataConfig.kmsKeyId is not set"],
    [sagemakerTrainingJobMissingKmsKey, TRAINING_JOB_TYPE, trainingJob, "resourceConfig.volumeKmsKeyId", undefined, "resourceConfig.volumeKmsKeyId is not set"],
    [sagemakerTrainingJobEnableInterContainerEncryption, TRAINING_JOB_TYPE, trainingJob, "enableInterContainerTrafficEncryption", undefined, "is not true"],
    [sagemakerTrainingJobEnforceImageDigest, TRAINING_JOB_TYPE, trainingJob, "algorithmSpecification.trainingImage", `${ECR}/train:v3`, "algorithmSpecification.trainingImage: image"],
    [sagemakerTrainingJobDisallowUnapprovedRegistry, TRAINING_JOB_TYPE, trainingJob, "algorithmSpecification.trainingImage", `ghcr.io/x/train@${DIGEST}`, "matches none of the allowed registries"],
];

const byRule = new Map<Rule, [string, () => Record<string, unknown>]>(cases.map(([r, t, f]) => [r, [t, f]]));

describe("SageMaker rules: compliant resources pass", () => {
    it.each([...byRule].map(([r, [t, f]]) => [r.name, r, t, f] as const))("%s", (_n, rule, type, factory) => {
        expect(runResource(rule, type, factory())).toEqual([]);
    });
});

describe("SageMaker rules: one changed field, one exact finding", () => {
    it.each(cases.map(([r, t, f, path, value, msg]) => [r.name, path, JSON.stringify(value) ?? "undefined", r, t, f, value, msg] as const))(
        "%s: %s = %s",
        (_n, path, _v, rule, type, factory, value, msg) => {
            expectOne(runResource(rule, type, withField(factory(), path, value)), [msg]);
        },
    );
});

describe("SageMaker rules: unknown values never produce a finding or throw", () => {
    const unknownCases: [Rule, string, () => Record<string, unknown>, string][] = [
        ...cases.map(([r, t, f, path]) => [r, t, f, path] as [Rule, string, () => Record<string, unknown>, string]),
        [sagemakerModelEnforceImageDigest, MODEL_TYPE, model, "containers"],
        [sagemakerModelDisallowUnapprovedRegistry, MODEL_TYPE, model, "containers"],
        [sagemakerEndpointConfigEnableDataCapture, ENDPOINT_CONFIG_TYPE, endpointConfig, "dataCaptureConfig.captureOptions[0].captureMode"],
    ];
    it.each(unknownCases.map(([r, t, f, p]) => [r.name, p, r, t, f] as const))("%s: %s unknown", (_n, path, rule, type, factory) => {
        expect(runResource(rule, type, withField(factory(), path, UNKNOWN))).toEqual([]);
    });
    it("an image interpolating an unknown repository URL is not reported", () => {
        const props = withField(model(), "primaryContainer.image", `${UNKNOWN_STRING}:latest`);
        expect(runResource(sagemakerModelEnforceImageDigest, MODEL_TYPE, props)).toEqual([]);
        expect(runResource(sagemakerModelDisallowUnapprovedRegistry, MODEL_TYPE, props)).toEqual([]);
    });
});

describe("SageMaker image rules", () => {
    it("report every bad container with its path", () => {
        const props = withField(withField(model(), "primaryContainer.image", "nginx:latest"), "containers[1].image", "python:3");
        const findings = runResource(sagemakerModelEnforceImageDigest, MODEL_TYPE, props);
        expect(findings.map((f) => f.message.split(":")[0])).toEqual(["primaryContainer.image", "containers[1].image"]);
    });
    it("honour a configured allowedRegistries list", () => {
        const props = withField(withField(model(), "containers", [{ image: `ghcr.io/acme/llm@${DIGEST}` }]), "primaryContainer", {
            modelPackageName: "arn:aws:sagemaker:eu-west-2:123456789012:model-package/p/1",
        });
        expect(runResource(sagemakerModelDisallowUnapprovedRegistry, MODEL_TYPE, props, { allowedRegistries: ["ghcr.io/acme"] })).toEqual([]);
        expectOne(runResource(sagemakerModelDisallowUnapprovedRegistry, MODEL_TYPE, props), ['containers[0].image: image "ghcr.io/acme/llm@']);
    });
});

describe("AWS-managed keys are not customer-managed keys", () => {
    it.each(["alias/aws/sagemaker", "arn:aws:kms:eu-west-2:123456789012:alias/aws/sagemaker"])("%s in a KMS key field is reported like a missing key", (key) => {
        expectOne(runResource(sagemakerNotebookMissingKmsKey, NOTEBOOK_TYPE, withField(notebook(), "kmsKeyId", key)), ["kmsKeyId is not set to a customer-managed key"]);
        expectOne(runResource(sagemakerTrainingJobMissingKmsKey, TRAINING_JOB_TYPE, withField(trainingJob(), "outputDataConfig.kmsKeyId", key)), ["outputDataConfig.kmsKeyId is not set to a customer-managed key"]);
    });
    it("a customer key alias is a customer-managed key", () => {
        expect(runResource(sagemakerNotebookMissingKmsKey, NOTEBOOK_TYPE, withField(notebook(), "kmsKeyId", "alias/ml-notebooks"))).toEqual([]);
    });
});
