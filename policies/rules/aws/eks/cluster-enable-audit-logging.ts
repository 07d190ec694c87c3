/** EKS clusters must send control-plane audit, API and authenticator logs to CloudWatch. */
import * as aws from "@pulumi/aws";
import { UNKNOWN, resourceRule } from "../../../framework/rule";
import { skipsWhenUnknown } from "../../../framework/values";

/** Log types required: who called the API (audit), API server activity (api), IAM authentication (authenticator). */
export const REQUIRED_LOG_TYPES = ["api", "audit", "authenticator"] as const;

export const eksClusterEnableAuditLogging = resourceRule({
    name: "aws-eks-cluster-enable-audit-logging",
    description:
        "EKS clusters must list `api`, `audit` and `authenticator` in `enabledClusterLogTypes` (none is on by default), so every request to the Kubernetes API, including who deployed or changed a model workload, is recorded for monitoring and investigation.",
    clauses: ["OM-1", "OM-2", "P12"],
    severity: "high",
    enforcementLevel: "mandatory",
    classes: [aws.eks.Cluster],
    remediationSteps:
        'Set `enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"]` and create the `/aws/eks/<cluster>/cluster` log group yourself with a KMS key and retention before the cluster.',
    url: "https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html",
    onUnknown: skipsWhenUnknown("`enabledClusterLogTypes` (or any entry of it)"),
    check({ props }) {
        const types = props.enabledClusterLogTypes;
        if (types === UNKNOWN || (Array.isArray(types) && types.includes(UNKNOWN))) return [];
        const have = Array.isArray(types) ? types : [];
        const missing = REQUIRED_LOG_TYPES.filter((t) => !have.includes(t));
        return missing.length > 0 ? [{ message: `enabledClusterLogTypes is missing ${missing.join(", ")}` }] : [];
    },
});
