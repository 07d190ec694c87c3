/** RDS and Aurora clusters must let the service manage the master password in Secrets Manager. */
import * as aws from "@pulumi/aws";
import { stackRule } from "../../../framework/rule";
import { judgeEach, masterPasswordFindings, PASSWORD_ON_UNKNOWN, STORE_SETTINGS } from "../datastores/stores";

export const rdsClusterDisallowPlaintextPassword = stackRule({
    judges: [aws.rds.Cluster],
    name: "aws-rds-cluster-disallow-plaintext-password",
    description:
        "RDS and Aurora clusters in scope must not take their master password from the program (`masterPassword`, `masterPasswordWo`): set `manageMasterUserPassword: true` so the service generates it, keeps it in Secrets Manager under a KMS key and rotates it. A password in the program ends up in source control, CI logs and the Pulumi state, and the pack cannot tell a Pulumi secret from a plaintext literal (policies see secrets unwrapped).",
    clauses: ["DV-2", "DP-1", "P5", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Remove `masterPassword`/`masterPasswordWo` and set `manageMasterUserPassword: true` (optionally a customer-managed key for the secret); applications read the credentials from the generated secret or use IAM database authentication.",
    url: "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-secrets-manager.html",
    settings: STORE_SETTINGS,
    onUnknown: PASSWORD_ON_UNKNOWN,
    check: (resources, { settings }) =>
        judgeEach(resources, settings, aws.rds.Cluster, (r) =>
            masterPasswordFindings(`RDS cluster "${r.name}"`, { field: "manageMasterUserPassword", value: r.props.manageMasterUserPassword }, [
                { field: "masterPassword", value: r.props.masterPassword },
                { field: "masterPasswordWo", value: r.props.masterPasswordWo },
            ])),
});
