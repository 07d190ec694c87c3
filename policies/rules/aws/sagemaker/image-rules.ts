/** Builders for the SageMaker image rules (digest pinning, allowed registries), shared by Model and TrainingJob. */
import { resourceRule, type Finding, type ResourceRule } from "../../../framework/rule";
import { digestProblem, registryProblem } from "../../../framework/images";
import { imagesOf, type ImageRuleTarget } from "./images";

const ON_UNKNOWN =
    "Reports nothing for an image that is unknown at preview or interpolates an unknown value (e.g. a repository URL not created yet), and skips an unknown container list; the rule runs again at update with the resolved references.";

/** Images must be pinned by SHA-256 digest. */
export function imageDigestRule(t: ImageRuleTarget): ResourceRule<ImageRuleTarget["cls"]> {
    return resourceRule({
        name: `aws-sagemaker-${t.slug}-enforce-image-digest`,
        description: `${t.noun} must reference every container image by SHA-256 digest (\`repo@sha256:<64 hex>\`). A tag can be moved to a different image after review; only a digest guarantees that the model code that runs is the one that was scanned and signed.`,
        clauses: ["DP-2", "DV-3", "P8", "P7"],
        severity: "high",
        enforcementLevel: "mandatory",
        classes: [t.cls],
        remediationSteps: "Reference images as `<account>.dkr.ecr.<region>.amazonaws.com/<repo>@sha256:<digest>`; take the digest from the ECR image (`aws ecr describe-images`) or your build pipeline's push output.",
        url: "https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-containers-inference-private.html",
        onUnknown: ON_UNKNOWN,
        check(r): Finding[] {
            return imagesOf(r).flatMap(({ path, image }) => {
                const problem = digestProblem(image);
                return problem ? [{ message: `${path}: ${problem}` }] : [];
            });
        },
    });
}

/** Images must come from an allowed registry. */
export function imageRegistryRule(t: ImageRuleTarget): ResourceRule<ImageRuleTarget["cls"]> {
    return resourceRule({
        name: `aws-sagemaker-${t.slug}-disallow-unapproved-registry`,
        description: `${t.noun} may only use container images from registries listed in \`allowedRegistries\` (default: private ECR, \`*.dkr.ecr.*.amazonaws.com\`). Matching is anchored and \`*\` never crosses a \`.\` in the host or a \`/\` in the path, so look-alike hosts are rejected.`,
        clauses: ["DV-1", "P7"],
        severity: "high",
        enforcementLevel: "mandatory",
        settings: ["allowedRegistries"],
        classes: [t.cls],
        remediationSteps: "Copy the image into your private ECR registry (scanned on push, immutable tags) and reference it there, or add a vetted registry to the rule's `allowedRegistries`.",
        url: "https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-containers-inference-private.html",
        onUnknown: ON_UNKNOWN,
        check(r, { settings }): Finding[] {
            return imagesOf(r).flatMap(({ path, image }) => {
                const problem = registryProblem(image, settings.allowedRegistries);
                return problem ? [{ message: `${path}: ${problem}` }] : [];
            });
        },
    });
}
