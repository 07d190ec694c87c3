/** EC2 instances (GPU training hosts, model servers) must require IMDSv2. */
import * as aws from "@pulumi/aws";
import { resourceRule, type Finding } from "../../../framework/rule";
import { get, skipsWhenUnknown } from "../../../framework/values";
import { imdsProblem } from "./launchtemplate-enforce-imdsv2";

export const ec2InstanceEnforceImdsV2 = resourceRule({
    name: "aws-ec2-instance-enforce-imdsv2",
    description:
        "EC2 instances, such as GPU training hosts and self-managed model servers, must require IMDSv2 session tokens (`metadataOptions.httpTokens: \"required\"`). With IMDSv1 one server-side request forgery in a model server or notebook hands out the instance role's credentials. An instance that leaves its metadata options to a launch template is judged through that template (aws-ec2-launchtemplate-enforce-imdsv2).",
    clauses: ["DP-1", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    classes: [aws.ec2.Instance],
    remediationSteps: "Set `metadataOptions: { httpEndpoint: \"enabled\", httpTokens: \"required\", httpPutResponseHopLimit: 1 }` on the instance, or on the launch template it is started from.",
    url: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html",
    onUnknown: skipsWhenUnknown("`metadataOptions` (or its `httpTokens`/`httpEndpoint`)"),
    check({ props }): Finding[] {
        const options = props.metadataOptions;
        if ((options === undefined || options === null) && get(props, "launchTemplate") !== undefined) return [];
        const problem = imdsProblem(options);
        return problem ? [{ message: problem }] : [];
    },
});
