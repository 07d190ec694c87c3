/** ECR repositories must have immutable tags. */
import * as aws from "@pulumi/aws";
import { UNKNOWN, resourceRule } from "../../../framework/rule";
import { skipsWhenUnknown } from "../../../framework/values";

export const ecrRepositoryEnforceImmutableTags = resourceRule({
    name: "aws-ecr-repository-enforce-immutable-tags",
    description:
        "ECR repositories must set `imageTagMutability` to `IMMUTABLE`. With `MUTABLE` (the default) a pushed tag can be silently re-pointed to another image; `IMMUTABLE_WITH_EXCLUSION` is rejected too, because every excluded tag pattern is again mutable. Immutable tags keep a released model image's tag bound to the digest that was reviewed and signed.",
    clauses: ["DP-2", "DV-3", "DV-1", "P7", "P8"],
    severity: "high",
    enforcementLevel: "mandatory",
    classes: [aws.ecr.Repository],
    remediationSteps: 'Set `imageTagMutability: "IMMUTABLE"` and remove `imageTagMutabilityExclusionFilters`; publish new versions under new tags and deploy by digest.',
    url: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html",
    onUnknown: skipsWhenUnknown("`imageTagMutability`"),
    check({ props }) {
        const v = props.imageTagMutability;
        if (v === "IMMUTABLE" || v === UNKNOWN) return [];
        return [{ message: v === undefined ? "imageTagMutability is not set (the default is MUTABLE); set it to IMMUTABLE" : `imageTagMutability is "${String(v)}"; set it to IMMUTABLE` }];
    },
});
