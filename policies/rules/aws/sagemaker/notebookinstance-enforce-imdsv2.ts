/** SageMaker notebook instances must accept only IMDSv2 (session-token) metadata requests. */
import * as aws from "@pulumi/aws";
import { UNKNOWN, resourceRule } from "../../../framework/rule";
import { get } from "../../../framework/values";
import { skipsWhenUnknown } from "../../../framework/values";

export const sagemakerNotebookEnforceImdsV2 = resourceRule({
    name: "aws-sagemaker-notebookinstance-enforce-imdsv2",
    description:
        "SageMaker notebook instances must set `instanceMetadataServiceConfiguration.minimumInstanceMetadataServiceVersion` to `2`. Left unset, or set to `1`, the instance also answers IMDSv1, so one server-side request forgery in notebook code or a library hands out the execution role's credentials, and with them the training data and models it can reach.",
    clauses: ["DP-1", "SD-3", "P6", "P2"],
    severity: "high",
    enforcementLevel: "mandatory",
    classes: [aws.sagemaker.NotebookInstance],
    remediationSteps: 'Set `instanceMetadataServiceConfiguration: { minimumInstanceMetadataServiceVersion: "2" }` on the notebook instance (the AWS default when it is omitted is `1`); update any code that calls the metadata service without a session token.',
    url: "https://docs.aws.amazon.com/sagemaker/latest/dg/nbi-imds.html",
    onUnknown: skipsWhenUnknown("`instanceMetadataServiceConfiguration.minimumInstanceMetadataServiceVersion`"),
    check({ props }) {
        const v = get(props, "instanceMetadataServiceConfiguration", "minimumInstanceMetadataServiceVersion");
        if (v === "2" || v === UNKNOWN) return [];
        return [{
            message: v === undefined || v === null
                ? "instanceMetadataServiceConfiguration.minimumInstanceMetadataServiceVersion is not set (the default is 1, which allows IMDSv1); set it to 2"
                : `instanceMetadataServiceConfiguration.minimumInstanceMetadataServiceVersion is "${String(v)}"; set it to 2 so only IMDSv2 is answered`,
        }];
    },
});
