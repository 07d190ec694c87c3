/** Redshift clusters must let the service manage the master password in Secrets Manager. */
import * as aws from "@pulumi/aws";
import { stackRule } from "../../../framework/rule";
import { judgeEach, masterPasswordFindings, PASSWORD_ON_UNKNOWN, STORE_SETTINGS } from "../datastores/stores";

export const redshiftClusterDisallowPlaintextPassword = stackRule({
    judges: [aws.redshift.Cluster],
    name: "aws-redshift-cluster-disallow-plaintext-password",
    description:
        "Redshift clusters in scope must not take their master password from the program (`masterPassword`, `masterPasswordWo`): set `manageMasterPassword: true` so the service generates it, keeps it in Secrets Manager under a KMS key and rotates it. A password in the program ends up in source control, CI logs and the Pulumi state, and the pack cannot tell a Pulumi secret from a plaintext literal (policies see secrets unwrapped).",
    clauses: ["DV-2", "DP-1", "P5", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Remove `masterPassword`/`masterPasswordWo` and set `manageMasterPassword: true` (optionally a customer-managed key for the secret); applications read the credentials from the generated secret or use IAM database authentication.",
    url: "https://docs.aws.amazon.com/redshift/latest/mgmt/redshift-secrets-manager-integration.html",
    settings: STORE_SETTINGS,
    onUnknown: PASSWORD_ON_UNKNOWN,
    check: (resources, { settings }) =>
        judgeEach(resources, settings, aws.redshift.Cluster, (r) =>
            masterPasswordFindings(`Redshift cluster "${r.name}"`, { field: "manageMasterPassword", value: r.props.manageMasterPassword }, [
                { field: "masterPassword", value: r.props.masterPassword },
                { field: "masterPasswordWo", value: r.props.masterPasswordWo },
            ])),
});
