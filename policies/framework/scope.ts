/**
 * Scope: which resources the rules judge. By default every resource of a type a rule governs is
 * judged (`scope: "all"`); `scope: "ai-assets"` narrows the pack to resources recognised as AI
 * assets (by tag or from use), and says so in every run. A resource leaves scope only by an
 * explicit declaration with a justification: the `aiguard:scope=excluded` tag (Kubernetes: the
 * `aiguard.io/scope=excluded` label) plus its justification, or an exemption in the config.
 */
import { Annotations, Labels, MIN_JUSTIFICATION_LENGTH, SCOPE_EXCLUDED, TagKeys } from "../../common/conventions";
import type { ScopeSetting } from "../../common/settings";
import type { RuleResource } from "./rule";
import { get } from "./values";

/** How a resource was recognised as an AI asset. */
export interface Recognition {
    /** The asset kind (`model-store`, `role`, ...). */
    readonly kind: string;
    readonly how: "tag" | "use";
    /** What said so: the tag, or the resource and property that use it. */
    readonly via: string;
}

/** The scope facts of one request. */
export interface ScopeFacts {
    readonly scope: ScopeSetting;
    /** AI assets by URN. */
    readonly assets: ReadonlyMap<string, Recognition>;
    /** Resources taken out of scope by their own tags or labels, by URN, with the justification. */
    readonly excluded: ReadonlyMap<string, string>;
    /** Whether rules judge this resource. */
    inScope(r: RuleResource): boolean;
}

/** The problem with a scope declaration on a resource, if it has one that does not count (no or a short justification). */
export function scopeDeclarationProblem(props: Readonly<Record<string, unknown>>): string | undefined {
    const { value, justification } = declaration(props);
    if (value === undefined) return undefined;
    if (value !== SCOPE_EXCLUDED) return `its scope tag is ${JSON.stringify(value)}; the only value is "${SCOPE_EXCLUDED}"`;
    if (typeof justification !== "string" || justification.trim().length < MIN_JUSTIFICATION_LENGTH) {
        return `it is tagged ${SCOPE_EXCLUDED} without a justification of at least ${MIN_JUSTIFICATION_LENGTH} characters (${TagKeys.scopeJustification} / annotation ${Annotations.scopeJustification}), so it stays in scope`;
    }
    return undefined;
}

/** The justification when the resource is validly declared out of scope, else undefined. */
export function scopeExclusion(props: Readonly<Record<string, unknown>>): string | undefined {
    const { value, justification } = declaration(props);
    if (value !== SCOPE_EXCLUDED || scopeDeclarationProblem(props) !== undefined) return undefined;
    return (justification as string).trim();
}

function declaration(props: Readonly<Record<string, unknown>>): { value: unknown; justification: unknown } {
    const tags = (props.tags ?? props.tagsAll) as Record<string, unknown> | undefined;
    const fromTags = tags && typeof tags === "object" ? tags[TagKeys.scope] : undefined;
    if (fromTags !== undefined) return { value: fromTags, justification: tags![TagKeys.scopeJustification] };
    const label = get(props, "metadata", "labels", Labels.scope);
    return { value: label, justification: get(props, "metadata", "annotations", Annotations.scopeJustification) };
}
