/** Redshift clusters must not be publicly accessible. */
import * as aws from "@pulumi/aws";
import { stackRule } from "../../../framework/rule";
import { FLAGS_ON_UNKNOWN, judgeEach, publicFlagFindings, STORE_SETTINGS } from "../datastores/stores";

export const redshiftClusterDisallowPublicAccess = stackRule({
    judges: [aws.redshift.Cluster],
    name: "aws-redshift-cluster-disallow-public-access",
    description:
        "Redshift clusters in scope must not set `publiclyAccessible: true`, which gives the warehouse an internet-facing endpoint; query it from inside the VPC instead.",
    clauses: ["DP-1", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Remove `publiclyAccessible` (the default is false) or set it to false, and use a cluster subnet group of private subnets.",
    url: "https://docs.aws.amazon.com/redshift/latest/mgmt/managing-clusters-vpc.html",
    settings: STORE_SETTINGS,
    onUnknown: FLAGS_ON_UNKNOWN,
    check: (resources, { settings }) =>
        judgeEach(resources, settings, aws.redshift.Cluster, (r) => publicFlagFindings(r.props.publiclyAccessible, `Redshift cluster "${r.name}"`, "publiclyAccessible")),
});
