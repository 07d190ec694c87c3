/** ECS services must not give their tasks public IP addresses. */
import * as aws from "@pulumi/aws";
import { resourceRule, type Finding } from "../../../framework/rule";
import { get, skipsWhenUnknown } from "../../../framework/values";

export const ecsServiceDisallowPublicIp = resourceRule({
    name: "aws-ecs-service-disallow-public-ip",
    description:
        "ECS services must not assign public IP addresses to their tasks (`networkConfiguration.assignPublicIp`). A task with a public address is reachable from the internet whatever the load balancer in front of it enforces, and model servers and pipeline workers need none: they reach AWS APIs through VPC endpoints or a NAT gateway.",
    clauses: ["DP-1", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    classes: [aws.ecs.Service],
    remediationSteps: "Set `networkConfiguration: { subnets: <private subnet IDs>, securityGroups: [...], assignPublicIp: false }` and serve traffic through a load balancer; reach ECR, S3 and other AWS APIs through VPC endpoints or a NAT gateway.",
    url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html",
    onUnknown: skipsWhenUnknown("`networkConfiguration.assignPublicIp`"),
    check({ props }): Finding[] {
        return get(props, "networkConfiguration", "assignPublicIp") === true ? [{ message: "networkConfiguration.assignPublicIp is true: every task gets a public IP address; set it to false and run the tasks in private subnets" }] : [];
    },
});
