/** SageMaker resource types and where their container images are declared. */
import { UNKNOWN } from "../../../framework/rule";
import { asList, get } from "../../../framework/values";

export const NOTEBOOK_TYPE = "aws:sagemaker/notebookInstance:NotebookInstance";
export const MODEL_TYPE = "aws:sagemaker/model:Model";
export const ENDPOINT_CONFIG_TYPE = "aws:sagemaker/endpointConfiguration:EndpointConfiguration";
export const DOMAIN_TYPE = "aws:sagemaker/domain:Domain";
export const TRAINING_JOB_TYPE = "aws:sagemaker/trainingJob:TrainingJob";

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
export function imagesOf(type: string, props: Readonly<Record<string, unknown>>): ImageAt[] {
    const out: ImageAt[] = [];
    const push = (path: string, image: unknown) => {
        if (image !== undefined && image !== null) out.push({ path, image });
    };
    if (type === MODEL_TYPE) {
        push("primaryContainer.image", get(props, "primaryContainer", "image"));
        const containers = asList(props.containers);
        if (containers !== UNKNOWN) containers.forEach((c, i) => push(`containers[${i}].image`, get(c, "image")));
    } else if (type === TRAINING_JOB_TYPE) {
        push("algorithmSpecification.trainingImage", get(props, "algorithmSpecification", "trainingImage"));
    }
    return out;
}

/** Which resource an image rule checks, for its name and wording. */
export interface ImageRuleTarget {
    readonly type: string;
    /** Resource part of the rule name (`model`, `trainingjob`). */
    readonly slug: string;
    /** Human name (`SageMaker models`). */
    readonly noun: string;
}
