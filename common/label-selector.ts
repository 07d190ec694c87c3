/**
 * Kubernetes label-selector semantics (`matchLabels` AND `matchExpressions`, operators In, NotIn,
 * Exists, DoesNotExist), one implementation for every enforcement point: the webhook's trust-policy
 * `namespaceSelector`, and the pack's namespace rules (webhook `namespaceSelector`, NetworkPolicy
 * `podSelector`), which may meet values unknown at preview. An absent selector and `{}` select
 * everything. An operator Kubernetes does not define selects nothing (the API server rejects such
 * a selector; the webhook's trust-policy loader does too, before this is ever called).
 */
import { containsUnknown, UNKNOWN, type Maybe } from "./unknown";

/** One `matchExpressions` entry. */
export interface LabelSelectorRequirement {
    readonly key: string;
    readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
    readonly values?: readonly string[];
}

/** A Kubernetes `LabelSelector`. */
export interface LabelSelector {
    readonly matchLabels?: Readonly<Record<string, string>>;
    readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** True when the selector selects everything (absent, `{}`, or both parts empty); unknown if it is. */
export function isEmptySelector(selector: unknown): Maybe<boolean> {
    if (selector === UNKNOWN) return UNKNOWN;
    if (selector === undefined || selector === null) return true;
    if (!isRecord(selector)) return false;
    const { matchLabels, matchExpressions } = selector;
    if (matchLabels === UNKNOWN || matchExpressions === UNKNOWN) return UNKNOWN;
    const noLabels = matchLabels === undefined || matchLabels === null || (isRecord(matchLabels) && Object.keys(matchLabels).length === 0);
    const noExpressions = matchExpressions === undefined || matchExpressions === null || (Array.isArray(matchExpressions) && matchExpressions.length === 0);
    return noLabels && noExpressions;
}

/**
 * Whether `selector` selects an object with `labels`. Unknown selector parts give `UNKNOWN`; an
 * operator Kubernetes does not define selects nothing (the API server would reject it).
 */
export function selectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): Maybe<boolean> {
    if (selector === undefined || selector === null) return true;
    if (containsUnknown(selector)) return UNKNOWN;
    if (!isRecord(selector)) return false;
    const { matchLabels, matchExpressions } = selector;
    if (isRecord(matchLabels)) {
        for (const [k, v] of Object.entries(matchLabels)) if (!Object.hasOwn(labels, k) || labels[k] !== v) return false;
    }
    if (Array.isArray(matchExpressions)) {
        for (const e of matchExpressions) {
            if (!isRecord(e) || typeof e.key !== "string") return false;
            const values = Array.isArray(e.values) ? e.values : [];
            const has = Object.hasOwn(labels, e.key);
            const value = has ? labels[e.key] : undefined;
            switch (e.operator) {
                case "In":
                    if (!has || !values.includes(value!)) return false;
                    break;
                case "NotIn":
                    if (has && values.includes(value!)) return false;
                    break;
                case "Exists":
                    if (!has) return false;
                    break;
                case "DoesNotExist":
                    if (has) return false;
                    break;
                default:
                    return false;
            }
        }
    }
    return true;
}
