/** ECS task definitions must reference container images by digest. */
import * as aws from "@pulumi/aws";
import { resourceRule, type Finding } from "../../../framework/rule";
import { digestProblem } from "../../../framework/images";
import { containersOf } from "./containers";

export const ecsTaskDefinitionEnforceImageDigest = resourceRule({
    name: "aws-ecs-taskdefinition-enforce-image-digest",
    description:
        "ECS task definitions must reference every container image by SHA-256 digest (`repo@sha256:<64 hex>`). A tag can be moved to a different image after review; only a digest guarantees that the model server or pipeline step that runs is the one that was scanned and signed.",
    clauses: ["DP-2", "DV-3", "P8", "P7"],
    severity: "high",
    enforcementLevel: "mandatory",
    classes: [aws.ecs.TaskDefinition],
    remediationSteps: "Write each container's `image` as `<account>.dkr.ecr.<region>.amazonaws.com/<repo>@sha256:<digest>`, taking the digest from the ECR image (`aws ecr describe-images`) or your build pipeline's push output.",
    url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_image",
    onUnknown: "containerDefinitions that are unknown at preview are reported as undecided; in a document built from outputs an image that is unknown (or interpolates an unknown value) is judged at update, the other containers now.",
    check(r): Finding[] {
        const c = containersOf(r);
        if ("findings" in c) return c.findings;
        return c.containers.flatMap(({ at, def }) => {
            const problem = digestProblem(def.image);
            return problem ? [{ message: `${at}: ${problem}` }] : [];
        });
    },
});
