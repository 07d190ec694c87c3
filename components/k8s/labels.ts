/**
 * Labels shared by aiguard's Kubernetes components and its policy pack: the model-serving label
 * (the pack's `modelNamespaceLabel` setting and the admission webhook's namespace selector) and
 * the Pod Security Admission labels.
 */
import { Labels } from "../../common/conventions";

/** A label key and value. */
export interface LabelMatch {
    readonly key: string;
    readonly value: string;
}

/** The label that puts a namespace under model-image admission and the pack's Kubernetes rules. */
export const MODEL_SERVING_LABEL: LabelMatch = { key: Labels.modelServing, value: "true" };

/** The label every namespace carries automatically (Kubernetes >= 1.22): its own name. */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/** Labels that never belong to callers: aiguard sets them. */
export const RESERVED_LABEL_PREFIXES = ["pod-security.kubernetes.io/", "aiguard.io/", "kubernetes.io/"] as const;

/** Pod Security Admission `restricted` for enforce, audit and warn (DP-1, SD-3, DP-5 / P2, P6). */
export function podSecurityRestricted(version: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const mode of ["enforce", "audit", "warn"] as const) {
        out[`pod-security.kubernetes.io/${mode}`] = "restricted";
        out[`pod-security.kubernetes.io/${mode}-version`] = version;
    }
    return out;
}

/** Rejects caller labels that would override or fake aiguard's; returns an error message or `undefined`. */
export function reservedLabelError(labels: Readonly<Record<string, string>>, argName: string): string | undefined {
    for (const key of Object.keys(labels)) {
        if (RESERVED_LABEL_PREFIXES.some((p) => key.startsWith(p))) {
            return `${argName} must not set "${key}": labels under ${RESERVED_LABEL_PREFIXES.join(", ")} are set by the component`;
        }
    }
    return undefined;
}

/** A DNS-1123 label (namespace and most object names). */
export function dnsLabelError(value: string, argName: string): string | undefined {
    return /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value) && value.length <= 63
        ? undefined
        : `${argName} "${value}" must be a DNS-1123 label: at most 63 lowercase letters, digits or "-", starting and ending with a letter or digit`;
}
