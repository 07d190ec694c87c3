/** SageMaker notebook instances must not give users root access. */
import * as aws from "@pulumi/aws";
import { UNKNOWN, resourceRule } from "../../../framework/rule";
import { skipsWhenUnknown } from "../../../framework/values";

export const sagemakerNotebookDisableRootAccess = resourceRule({
    name: "aws-sagemaker-notebookinstance-disable-root-access",
    description:
        "SageMaker notebook instances must set `rootAccess` to `Disabled`. With the default (`Enabled`) any notebook user can change the instance's software and security settings and read everything on it.",
    clauses: ["DP-1", "SD-3", "P6", "P2"],
    severity: "high",
    enforcementLevel: "mandatory",
    classes: [aws.sagemaker.NotebookInstance],
    remediationSteps: 'Set `rootAccess: "Disabled"`; install packages through a lifecycle configuration (which still runs as root) instead.',
    url: "https://docs.aws.amazon.com/sagemaker/latest/dg/nbi-root-access.html",
    onUnknown: skipsWhenUnknown("`rootAccess`"),
    check({ props }) {
        const v = props.rootAccess;
        if (v === "Disabled" || v === UNKNOWN) return [];
        return [{ message: v === undefined ? "rootAccess is not set (the default is Enabled); set it to Disabled" : `rootAccess is "${String(v)}"; set it to Disabled` }];
    },
});
