/** SageMaker notebook instances must not have direct internet access. */
import * as aws from "@pulumi/aws";
import { UNKNOWN, resourceRule } from "../../../framework/rule";
import { skipsWhenUnknown } from "../../../framework/values";

export const sagemakerNotebookDisableDirectInternetAccess = resourceRule({
    name: "aws-sagemaker-notebookinstance-disable-direct-internet-access",
    description:
        "SageMaker notebook instances must set `directInternetAccess` to `Disabled`. The default (`Enabled`) gives the notebook, which holds training data and credentials, a route to the internet that bypasses the VPC's egress controls.",
    clauses: ["DP-1", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    classes: [aws.sagemaker.NotebookInstance],
    remediationSteps: 'Set `directInternetAccess: "Disabled"` and give the notebook a `subnetId` and `securityGroups` in a private subnet; reach AWS APIs through VPC endpoints.',
    url: "https://docs.aws.amazon.com/sagemaker/latest/dg/appendix-notebook-and-internet-access.html",
    onUnknown: skipsWhenUnknown("`directInternetAccess`"),
    check({ props }) {
        const v = props.directInternetAccess;
        if (v === "Disabled" || v === UNKNOWN) return [];
        return [{ message: v === undefined ? "directInternetAccess is not set (the default is Enabled); set it to Disabled" : `directInternetAccess is "${String(v)}"; set it to Disabled` }];
    },
});
