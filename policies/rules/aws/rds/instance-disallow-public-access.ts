/** RDS instances (including Aurora cluster instances) must not be publicly accessible. */
import * as aws from "@pulumi/aws";
import { isOf, stackRule } from "../../../framework/rule";
import { eachInScope } from "../ai-assets";
import { FLAGS_ON_UNKNOWN, publicFlagFindings, STORE_SETTINGS } from "../datastores/stores";

export const rdsInstanceDisallowPublicAccess = stackRule({
    judges: [aws.rds.Instance, aws.rds.ClusterInstance],
    name: "aws-rds-instance-disallow-public-access",
    description:
        "RDS DB instances and Aurora cluster instances in scope must not set `publiclyAccessible: true`: a publicly accessible database gets an internet-facing address, one security-group mistake away from exposing application and training data to the internet. Reach databases from inside the VPC (private subnets, VPC endpoints, a bastion or Session Manager).",
    clauses: ["DP-1", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Remove `publiclyAccessible` (the default is false) or set it to false, and place the instance in a DB subnet group of private subnets.",
    url: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Hiding",
    settings: STORE_SETTINGS,
    onUnknown: FLAGS_ON_UNKNOWN,
    check: (resources, { settings }) =>
        eachInScope(resources, settings, [aws.rds.Instance, aws.rds.ClusterInstance], (r) => {
            const flag = isOf(r, aws.rds.Instance) || isOf(r, aws.rds.ClusterInstance) ? r.props.publiclyAccessible : undefined;
            return publicFlagFindings(flag, `${isOf(r, aws.rds.ClusterInstance) ? "Aurora cluster instance" : "RDS instance"} "${r.name}"`, "publiclyAccessible");
        }),
});
