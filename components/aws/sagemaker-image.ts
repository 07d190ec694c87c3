/**
 * Container image references for SageMaker models: only digest-pinned images are accepted
 * (DP-2, DV-1, P7): a tag can be moved to another image after review, a digest cannot. Parsing and
 * the digest policy are aiguard's one shared implementation; this file adds SageMaker's messages.
 */
import * as pulumi from "@pulumi/pulumi";
import { isValidDigest, parseReferenceResult } from "../../common/image-reference";

/** An image given as a repository (which may be computed, e.g. an ECR repository URL) plus a digest. */
export interface PinnedImage {
    /** Repository without tag or digest, e.g. `123456789012.dkr.ecr.eu-west-2.amazonaws.com/models/llm`. */
    readonly repository: pulumi.Input<string>;
    /** Manifest digest, `sha256:<64 lowercase hex>` (or `sha512:<128 lowercase hex>`). */
    readonly digest: string;
}

/**
 * Splits `repo[:tag][@digest]` into its parts (the tag is only looked for after the last `/`), also
 * for invalid references, so messages can quote their parts.
 */
export function splitImageReference(ref: string): { repository: string; tag: string | undefined; digest: string | undefined } {
    const at = ref.indexOf("@");
    const name = at === -1 ? ref : ref.slice(0, at);
    const digest = at === -1 ? undefined : ref.slice(at + 1);
    const slash = name.lastIndexOf("/");
    const colon = name.indexOf(":", slash + 1);
    return colon === -1 ? { repository: name, tag: undefined, digest } : { repository: name.slice(0, colon), tag: name.slice(colon + 1), digest };
}

/**
 * Why `ref` is not an acceptable pinned image for SageMaker, or `undefined` when it is
 * `<repository>@<digest>` under aiguard's one digest policy (`common/image-reference.ts`).
 */
export function imageReferenceProblem(ref: string): string | undefined {
    if (typeof ref !== "string" || ref.trim() === "") {
        return "image is required: give <repository>@sha256:<64 hex digest>";
    }
    const parsed = parseReferenceResult(ref);
    const { repository, tag, digest } = splitImageReference(ref);
    const pinned = `${repository}@sha256:<64 hex digest>`;
    if (digest === undefined) {
        const what = tag === undefined ? "has no tag or digest (it means :latest)" : `uses the tag "${tag}"`;
        return `image "${ref}" ${what}, which can be moved to another image after review (DP-2). Pin it by digest: "${pinned}" (find the digest with \`crane digest ${ref}\` or \`aws ecr describe-images\`)`;
    }
    if (!isValidDigest(digest)) {
        return `image "${ref}" has a malformed digest "${digest}": expected sha256: followed by 64 lowercase hex characters (or sha512: and 128), as in "${pinned}"`;
    }
    if (tag !== undefined) {
        return `image "${ref}" names both a tag and a digest; SageMaker accepts one of them. Drop the tag: "${repository}@${digest}"`;
    }
    if (!parsed.ok) {
        return `image "${ref}" has a malformed repository "${repository}" (${parsed.error}): expected e.g. 123456789012.dkr.ecr.eu-west-2.amazonaws.com/models/llm`;
    }
    return undefined;
}

/**
 * Why a {@link PinnedImage} is not acceptable, or `undefined`. The digest is always checked; a
 * computed repository (an output) cannot be checked before deployment, a plain one is.
 */
export function pinnedImageProblem(image: PinnedImage): string | undefined {
    if (!isValidDigest(image.digest)) {
        return `image.digest must be sha256: followed by 64 lowercase hex characters (or sha512: and 128); got ${JSON.stringify(image.digest)}`;
    }
    if (typeof image.repository === "string") {
        const { tag, digest } = splitImageReference(image.repository);
        if (tag !== undefined || digest !== undefined) {
            return `image.repository must not carry a tag or digest (the digest goes in image.digest); got ${JSON.stringify(image.repository)}`;
        }
        return imageReferenceProblem(`${image.repository}@${image.digest}`);
    }
    return undefined;
}

/** The image reference SageMaker receives: `<repository>@<digest>`. */
export function imageReference(image: string | PinnedImage): pulumi.Input<string> {
    return typeof image === "string" ? image : pulumi.interpolate`${image.repository}@${image.digest}`;
}
