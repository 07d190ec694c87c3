/**
 * Kubernetes label-selector semantics (`matchLabels` AND `matchExpressions`, operators In, NotIn,
 * Exists, DoesNotExist). An empty selector `{}` matches every namespace.
 */

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

/** Whether `labels` satisfy the selector. */
export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
    for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
        if (!Object.hasOwn(labels, key) || labels[key] !== value) return false;
    }
    for (const req of selector.matchExpressions ?? []) {
        const has = Object.hasOwn(labels, req.key);
        const value = has ? labels[req.key] : undefined;
        switch (req.operator) {
            case "In":
                if (!has || !(req.values ?? []).includes(value!)) return false;
                break;
            case "NotIn":
                if (has && (req.values ?? []).includes(value!)) return false;
                break;
            case "Exists":
                if (!has) return false;
                break;
            case "DoesNotExist":
                if (has) return false;
                break;
        }
    }
    return true;
}
