/** Builders for the SageMaker network rules (network isolation, VPC placement), shared by Model and TrainingJob. */
import { resourceRule, UNKNOWN, type Finding, type ResourceRule } from "../../../framework/rule";
import { get } from "../../../framework/values";
import { skipsWhenUnknown } from "../../../framework/values";
import type { ImageRuleTarget } from "./images";

/** `enableNetworkIsolation` must be true. */
export function networkIsolationRule(t: ImageRuleTarget, why: string): ResourceRule<ImageRuleTarget["cls"]> {
    return resourceRule({
        name: `aws-sagemaker-${t.slug}-enable-network-isolation`,
        description: `${t.noun} must set \`enableNetworkIsolation: true\` (the default is false). ${why}`,
        clauses: ["DP-1", "P6"],
        severity: "high",
        enforcementLevel: "mandatory",
        classes: [t.cls],
        remediationSteps: "Set `enableNetworkIsolation: true`; SageMaker still stages model artifacts and data from S3 for the container, but the container itself gets no network.",
        url: "https://docs.aws.amazon.com/sagemaker/latest/dg/mkt-algo-model-internet-free.html",
        onUnknown: skipsWhenUnknown("`enableNetworkIsolation`"),
        check({ props }): Finding[] {
            const v = props.enableNetworkIsolation;
            if (v === true || v === UNKNOWN) return [];
            return [{ message: v === false ? "enableNetworkIsolation is false; set it to true" : "enableNetworkIsolation is not set (the default is false); set it to true" }];
        },
    });
}

/** `vpcConfig` must be present with subnets and security groups. */
export function vpcConfigRule(t: ImageRuleTarget): ResourceRule<ImageRuleTarget["cls"]> {
    return resourceRule({
        name: `aws-sagemaker-${t.slug}-missing-vpc-config`,
        description: `${t.noun} must set \`vpcConfig\` with at least one subnet and one security group, so their containers run in the owner's segregated network (training and inference kept apart) rather than in a SageMaker-managed one.`,
        clauses: ["DP-1", "P6"],
        severity: "high",
        enforcementLevel: "mandatory",
        classes: [t.cls],
        remediationSteps: "Set `vpcConfig: { subnets: [<private subnet ids>], securityGroupIds: [<sg id>] }` using the network that matches the workload (training or inference).",
        url: "https://docs.aws.amazon.com/sagemaker/latest/dg/host-vpc.html",
        onUnknown: skipsWhenUnknown("`vpcConfig` (or its subnet or security group list)"),
        check({ props }): Finding[] {
            const vpc = props.vpcConfig;
            if (vpc === UNKNOWN) return [];
            if (vpc === undefined || vpc === null) return [{ message: "vpcConfig is not set; the containers do not run in your VPC" }];
            const findings: Finding[] = [];
            for (const field of ["subnets", "securityGroupIds"] as const) {
                const list = get(vpc, field);
                if (list === UNKNOWN) continue;
                if (!Array.isArray(list) || list.length === 0) findings.push({ message: `vpcConfig.${field} is empty` });
            }
            return findings;
        },
    });
}
