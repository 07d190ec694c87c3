/** SageMaker model containers must run network-isolated. */
import * as aws from "@pulumi/aws";
import { networkIsolationRule } from "./network-rules";

export const sagemakerModelEnableNetworkIsolation = networkIsolationRule(
    { cls: aws.sagemaker.Model, slug: "model", noun: "SageMaker models" },
    "An isolated inference container cannot make outbound calls, so a compromised or malicious model cannot exfiltrate inputs or fetch code.",
);
