/** SageMaker Studio domains must keep app traffic inside the VPC. */
import * as aws from "@pulumi/aws";
import { UNKNOWN, resourceRule } from "../../../framework/rule";
import { skipsWhenUnknown } from "../../../framework/values";

export const sagemakerDomainEnforceVpcOnly = resourceRule({
    name: "aws-sagemaker-domain-enforce-vpc-only",
    description:
        "SageMaker domains must set `appNetworkAccessType` to `VpcOnly`. The default (`PublicInternetOnly`) sends Studio apps' traffic through a SageMaker-managed internet path, outside the VPC's security groups, endpoints and flow logs.",
    clauses: ["DP-1", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    classes: [aws.sagemaker.Domain],
    remediationSteps: 'Set `appNetworkAccessType: "VpcOnly"` with private `subnetIds`, and provide VPC endpoints (SageMaker API/runtime, S3, STS, CloudWatch Logs) for the apps.',
    url: "https://docs.aws.amazon.com/sagemaker/latest/dg/studio-notebooks-and-internet-access.html",
    onUnknown: skipsWhenUnknown("`appNetworkAccessType`"),
    check({ props }) {
        const v = props.appNetworkAccessType;
        if (v === "VpcOnly" || v === UNKNOWN) return [];
        return [{ message: v === undefined ? "appNetworkAccessType is not set (the default is PublicInternetOnly); set it to VpcOnly" : `appNetworkAccessType is "${String(v)}"; set it to VpcOnly` }];
    },
});
