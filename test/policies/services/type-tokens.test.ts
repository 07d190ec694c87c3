/** Every type token the service rules match on (including stack rules') is a real SDK resource type. */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { describe, expect, it } from "vitest";
import * as backup from "../../../policies/rules/aws/backup/scope";
import * as bedrock from "../../../policies/rules/aws/bedrock/types";
import * as ecr from "../../../policies/rules/aws/ecr/types";
import * as eks from "../../../policies/rules/aws/eks/types";
import * as sagemaker from "../../../policies/rules/aws/sagemaker/images";
import { ECS_SERVICE_TYPE, ENDPOINT_CONFIG_TYPE_FOR_TOPICS, INSTANCE_TYPE, RP, SECRET_TYPE, TASK_DEFINITION_TYPE } from "./fixtures-aws";
import { NAMESPACE_TYPE } from "../../../policies/rules/kubernetes/model-workloads";
import { NETWORK_POLICY_TYPE } from "../../../policies/rules/kubernetes/networking/networkpolicy-missing-default-deny";
import { VALIDATING_WEBHOOK_TYPE } from "../../../policies/rules/kubernetes/admissionregistration/validatingwebhookconfiguration-missing-image-admission";
import { WORKLOAD_TYPES } from "../../../policies/rules/kubernetes/pod-spec";
import { CUSTOMER_KEY_TYPES } from "../../../policies/rules/aws/kms/customer-key";
import { SECURITY_POLICY_TYPE } from "../../../policies/rules/aws/opensearch/serverless-policies";
import { T as STORES } from "./fixtures-stores";

const classes: { __pulumiType?: string }[] = [];
const collect = (mod: unknown, depth: number) => {
    if (!mod || typeof mod !== "object" || depth > 2) return;
    for (const key of Object.keys(mod)) {
        let v: unknown;
        try {
            v = (mod as Record<string, unknown>)[key];
        } catch {
            continue;
        }
        if (typeof v === "function" && typeof (v as { __pulumiType?: unknown }).__pulumiType === "string") classes.push(v as unknown as { __pulumiType: string });
        else if (v && typeof v === "object") collect(v, depth + 1);
    }
};
collect({ sagemaker: aws.sagemaker, bedrock: aws.bedrock, bedrockmodel: aws.bedrockmodel, ecr: aws.ecr, eks: aws.eks, backup: aws.backup, s3: aws.s3, cloudwatch: aws.cloudwatch }, 0);
collect({ ecs: aws.ecs, ec2: aws.ec2, sns: aws.sns, sqs: aws.sqs, opensearch: aws.opensearch, secretsmanager: aws.secretsmanager, kms: aws.kms, rds: aws.rds, redshift: aws.redshift, redshiftserverless: aws.redshiftserverless, elasticache: aws.elasticache, efs: aws.efs, fsx: aws.fsx, kendra: aws.kendra }, 0);
collect({ core: k8s.core, apps: k8s.apps, batch: k8s.batch, networking: k8s.networking, admissionregistration: k8s.admissionregistration }, 0);
const known = new Set(classes.map((c) => c.__pulumiType));

const tokens = [
    ...[sagemaker.NOTEBOOK_TYPE, sagemaker.MODEL_TYPE, sagemaker.ENDPOINT_CONFIG_TYPE, sagemaker.DOMAIN_TYPE, sagemaker.TRAINING_JOB_TYPE],
    ...[bedrock.GUARDRAIL_TYPE, bedrock.CUSTOM_MODEL_TYPE, bedrock.AGENT_TYPE, bedrock.INVOCATION_LOGGING_TYPE, bedrock.LOG_GROUP_TYPE, ...bedrock.BUCKET_TYPES, ...bedrock.BUCKET_SSE_TYPES],
    ...[ecr.REPOSITORY_TYPE, ecr.REGISTRY_SCANNING_TYPE, eks.CLUSTER_TYPE],
    ...[backup.VAULT_TYPE, backup.AIR_GAPPED_VAULT_TYPE, backup.VAULT_LOCK_TYPE, backup.PLAN_TYPE, backup.SELECTION_TYPE, ...backup.BUCKET_TYPES],
    ...WORKLOAD_TYPES,
    NAMESPACE_TYPE,
    NETWORK_POLICY_TYPE,
    VALIDATING_WEBHOOK_TYPE,
    // The test fixtures of the resource-policy, host and secret rules name real types too.
    ...Object.values(RP), INSTANCE_TYPE, SECRET_TYPE, ENDPOINT_CONFIG_TYPE_FOR_TOPICS, TASK_DEFINITION_TYPE, ECS_SERVICE_TYPE,
    ...CUSTOMER_KEY_TYPES,
    SECURITY_POLICY_TYPE,
    ...Object.values(STORES),
];

describe("service rule type tokens", () => {
    it.each(tokens)("%s exists in the SDK", (token) => expect(known.has(token)).toBe(true));
    it("the lookup is not vacuous", () => {
        expect(known.size).toBeGreaterThan(100);
        expect(known.has("aws:sagemaker/notebook:Notebook")).toBe(false);
    });
});
