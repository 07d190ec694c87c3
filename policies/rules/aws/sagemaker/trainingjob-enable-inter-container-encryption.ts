/** Distributed SageMaker training traffic must be encrypted. */
import * as aws from "@pulumi/aws";
import { UNKNOWN, resourceRule } from "../../../framework/rule";
import { skipsWhenUnknown } from "../../../framework/values";

export const sagemakerTrainingJobEnableInterContainerEncryption = resourceRule({
    name: "aws-sagemaker-trainingjob-enable-inter-container-encryption",
    description:
        "SageMaker training jobs must set `enableInterContainerTrafficEncryption: true`, so gradients and weights exchanged between instances of a distributed job are encrypted in transit. It costs some training time, hence the advisory default.",
    clauses: ["DV-2", "DP-1", "P5", "P6"],
    severity: "medium",
    enforcementLevel: "advisory",
    classes: [aws.sagemaker.TrainingJob],
    remediationSteps: "Set `enableInterContainerTrafficEncryption: true` on the training job.",
    url: "https://docs.aws.amazon.com/sagemaker/latest/dg/train-encrypt.html",
    onUnknown: skipsWhenUnknown("`enableInterContainerTrafficEncryption`"),
    check({ props }) {
        const v = props.enableInterContainerTrafficEncryption;
        if (v === true || v === UNKNOWN) return [];
        return [{ message: "enableInterContainerTrafficEncryption is not true; traffic between training instances is not encrypted" }];
    },
});
