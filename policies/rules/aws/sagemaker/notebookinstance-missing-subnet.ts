/** SageMaker notebook instances must run in a VPC subnet. */
import * as aws from "@pulumi/aws";
import { resourceRule } from "../../../framework/rule";
import { isKnownMissing, skipsWhenUnknown } from "../../../framework/values";

export const sagemakerNotebookMissingSubnet = resourceRule({
    name: "aws-sagemaker-notebookinstance-missing-subnet",
    description:
        "SageMaker notebook instances must set `subnetId` so they run inside the training VPC, where security groups, VPC endpoints and flow logs apply. Without a subnet the notebook runs in a SageMaker-managed network outside the owner's controls.",
    clauses: ["DP-1", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    classes: [aws.sagemaker.NotebookInstance],
    remediationSteps: "Set `subnetId` to a private subnet of the training network and `securityGroups` to a group that allows only the egress the notebook needs.",
    url: "https://docs.aws.amazon.com/sagemaker/latest/dg/appendix-notebook-and-internet-access.html",
    onUnknown: skipsWhenUnknown("`subnetId`"),
    check({ props }) {
        return isKnownMissing(props.subnetId) ? [{ message: "subnetId is not set; the notebook does not run in your VPC" }] : [];
    },
});
