/** SageMaker model container images must be pinned by digest. */
import { imageDigestRule } from "./image-rules";
import { MODEL_TYPE } from "./images";

export const sagemakerModelEnforceImageDigest = imageDigestRule({ type: MODEL_TYPE, slug: "model", noun: "SageMaker models (`primaryContainer` and every entry of `containers`)" });
