/** SageMaker model container images must come from an allowed registry. */
import { imageRegistryRule } from "./image-rules";
import { MODEL_TYPE } from "./images";

export const sagemakerModelDisallowUnapprovedRegistry = imageRegistryRule({ type: MODEL_TYPE, slug: "model", noun: "SageMaker models (`primaryContainer` and every entry of `containers`)" });
