/** ECS task definitions may only use images from allowed registries. */
import * as aws from "@pulumi/aws";
import { resourceRule, type Finding } from "../../../framework/rule";
import { registryProblem } from "../../../framework/images";
import { containersOf } from "./containers";

export const ecsTaskDefinitionDisallowUnapprovedRegistry = resourceRule({
    name: "aws-ecs-taskdefinition-disallow-unapproved-registry",
    description:
        "ECS task definitions may only use container images from registries listed in `allowedRegistries` (default: private ECR, `*.dkr.ecr.*.amazonaws.com`). Matching is anchored and `*` never crosses a `.` in the host or a `/` in the path, so look-alike hosts are rejected.",
    clauses: ["DV-1", "P7"],
    severity: "high",
    enforcementLevel: "mandatory",
    settings: ["allowedRegistries"],
    classes: [aws.ecs.TaskDefinition],
    remediationSteps: "Copy the image into your private ECR registry (scanned on push, immutable tags) and reference it there, or add a vetted registry to the rule's `allowedRegistries`.",
    url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_image",
    onUnknown: "containerDefinitions that are unknown at preview are reported as undecided; in a document built from outputs an image that is unknown (or interpolates an unknown value) is judged at update, the other containers now.",
    check(r, { settings }): Finding[] {
        const c = containersOf(r);
        if ("findings" in c) return c.findings;
        return c.containers.flatMap(({ at, def }) => {
            const problem = registryProblem(def.image, settings.allowedRegistries);
            return problem ? [{ message: `${at}: ${problem}` }] : [];
        });
    },
});
