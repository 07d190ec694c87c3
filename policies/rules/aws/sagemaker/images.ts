/** SageMaker resource types and where their container images are declared. */
import * as aws from "@pulumi/aws";
import { isOf, typeToken, UNKNOWN, type RuleResource } from "../../../framework/rule";
import { asList, get } from "../../../framework/values";

export const NOTEBOOK_TYPE = typeToken(aws.sagemaker.NotebookInstance);
export const MODEL_TYPE = typeToken(aws.sagemaker.Model);
export const ENDPOINT_CONFIG_TYPE = typeToken(aws.sagemaker.EndpointConfiguration);
export const DOMAIN_TYPE = typeToken(aws.sagemaker.Domain);
export const TRAINING_JOB_TYPE = typeToken(aws.sagemaker.TrainingJob);

/** An image reference and the input path it was found at. */
export interface ImageAt {
    readonly path: string;
    readonly image: unknown;
}

/**
 * The container images of a Model (`primaryContainer.image`, `containers[i].image`) or a
 * TrainingJob (`algorithmSpecification.trainingImage`). Containers given only by model package
 * (no `image`) are not listed: their images are fixed by the package. Unknown lists are skipped.
 */
export function imagesOf(r: RuleResource<unknown>): ImageAt[] {
    const out: ImageAt[] = [];
    const push = (path: string, image: unknown) => {
        if (image !== undefined && image !== null) out.push({ path, image });
    };
    if (isOf(r, aws.sagemaker.Model)) {
        push("primaryContainer.image", get(r.props, "primaryContainer", "image"));
        const containers = asList(r.props.containers);
        if (containers !== UNKNOWN) containers.forEach((c, i) => push(`containers[${i}].image`, get(c, "image")));
    } else if (isOf(r, aws.sagemaker.TrainingJob)) {
        push("algorithmSpecification.trainingImage", get(r.props, "algorithmSpecification", "trainingImage"));
    }
    return out;
}

/** Which resource an image rule checks, for its name and wording. */
export interface ImageRuleTarget {
    readonly cls: typeof aws.sagemaker.Model | typeof aws.sagemaker.TrainingJob;
    /** Resource part of the rule name (`model`, `trainingjob`). */
    readonly slug: string;
    /** Human name (`SageMaker models`). */
    readonly noun: string;
}
