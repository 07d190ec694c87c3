/** Launch templates (GPU training hosts, EKS nodes) must require IMDSv2. */
import * as aws from "@pulumi/aws";
import { resourceRule, UNKNOWN, type Finding } from "../../../framework/rule";
import { get, skipsWhenUnknown } from "../../../framework/values";

export const ec2LaunchTemplateEnforceImdsV2 = resourceRule({
    name: "aws-ec2-launchtemplate-enforce-imdsv2",
    description:
        "EC2 launch templates, which start training hosts and EKS nodes, must require IMDSv2 session tokens (`metadataOptions.httpTokens: \"required\"`). With IMDSv1 one server-side request forgery in a model server or notebook hands out the instance role's credentials.",
    clauses: ["DP-1", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    classes: [aws.ec2.LaunchTemplate],
    remediationSteps: "Set `metadataOptions: { httpEndpoint: \"enabled\", httpTokens: \"required\", httpPutResponseHopLimit: 1 }` on the launch template (hop limit 1 keeps pods from reaching the node's credentials).",
    url: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html",
    onUnknown: skipsWhenUnknown("`metadataOptions.httpTokens` or `metadataOptions.httpEndpoint`"),
    check({ props }): Finding[] {
        const problem = imdsProblem(props.metadataOptions);
        return problem ? [{ message: problem }] : [];
    },
});

/** What is wrong with `metadataOptions` (of a launch template or an instance), or undefined when IMDSv2 is required, IMDS is off, or a deciding value is unknown. */
export function imdsProblem(options: unknown): string | undefined {
    if (options === UNKNOWN) return undefined;
    const endpoint = get(options, "httpEndpoint");
    const tokens = get(options, "httpTokens");
    if (endpoint === UNKNOWN || tokens === UNKNOWN || endpoint === "disabled" || tokens === "required") return undefined;
    return tokens === undefined ? 'metadataOptions.httpTokens is not set (the default allows IMDSv1); set it to "required"' : `metadataOptions.httpTokens is ${JSON.stringify(tokens)}; set it to "required"`;
}
