/**
 * The admission webhook's trust policy as typed component arguments, rendered to the
 * `ImageTrustPolicy` YAML the webhook loads (format: admission-webhook/POLICY.md; DP-2, DV-1, DV-3,
 * P7, P8). Rendering then validates the text with the webhook's own loader (`loadPolicy` from
 * admission-webhook/verification), so a policy the webhook would reject fails at `pulumi preview`, not
 * at pod start.
 *
 * The policy is mounted from a ConfigMap as a directory holding exactly one policy file, so a
 * sigstore trust root (needed for keyless authorities or transparency-log checks) is given inline,
 * never as a path.
 */
import { stringify } from "yaml";
import { API_VERSION, KIND, loadPolicy, type TrustPolicy } from "../../admission-webhook/verification";
import { MODEL_SERVING_LABEL } from "./labels";
import type { LabelSelectorArgs } from "./model-namespace-policies";

/** A public key that signs images (cosign `--key`). */
export interface KeyAuthorityArgs {
    readonly name: string;
    readonly key: {
        /** SPKI PEM: ECDSA P-256 (cosign default), P-384 or Ed25519. */
        readonly pem: string;
        /**
         * Relaxation: accept signatures without a transparency-log entry (cosign
         * `--insecure-ignore-tlog`), e.g. a private signing key whose signatures are not uploaded to
         * a public log. Default false: a Rekor entry is required (then `trustedRoot` is needed).
         */
        readonly ignoreTlog?: boolean;
    };
}

/** Keyless signing (Fulcio certificate): the OIDC issuer and subject that must have signed. */
export interface KeylessAuthorityArgs {
    readonly name: string;
    readonly keyless: {
        /** Exactly one of `issuer` / `issuerRegExp` (anchored `^...$`). */
        readonly issuer?: string;
        readonly issuerRegExp?: string;
        /** Exactly one of `subject` / `subjectRegExp` (anchored `^...$`). */
        readonly subject?: string;
        readonly subjectRegExp?: string;
        /** Relaxation: no transparency-log entry (a TSA timestamp is then required). Default false. */
        readonly ignoreTlog?: boolean;
        /** Relaxation: no certificate-transparency SCT. Default false. */
        readonly ignoreSct?: boolean;
    };
}

export type TrustAuthorityArgs = KeyAuthorityArgs | KeylessAuthorityArgs;

/** One policy: which namespaces, which images, whose signatures. */
export interface TrustPolicyRuleArgs {
    /** DNS label, unique. */
    readonly name: string;
    /** Relaxation `warn`: admit and return warnings. Default `enforce` (deny). */
    readonly mode?: "enforce" | "warn";
    /** Namespaces the rule applies to. Default: the model-serving label (`aiguard.io/model-serving: "true"`). */
    readonly namespaceSelector?: LabelSelectorArgs;
    /** Anchored globs over `registry/repository` (`*` within a segment, `**` across). At least one. */
    readonly images: readonly string[];
    /** Trusted signers; one valid signature from any of them suffices. At least one. */
    readonly authorities: readonly TrustAuthorityArgs[];
    /** Sigstore `trusted_root.json` content (JSON text or object), inline. Needed for keyless or tlog checks. */
    readonly trustedRoot?: string | Readonly<Record<string, unknown>>;
    /** Signature formats tried, in order. Default both: `legacy` (cosign `.sig`) and `bundle` (sigstore bundle referrer). */
    readonly signatureFormats?: readonly ("legacy" | "bundle")[];
}

export interface TrustPolicyArgs {
    /** Images in an in-scope namespace that match no rule: `deny` (default) or the relaxation `allow`. */
    readonly noMatch?: "deny" | "allow";
    /** At least one rule. */
    readonly policies: readonly TrustPolicyRuleArgs[];
}

/** Thrown when the trust policy arguments do not make a policy the webhook accepts. */
export class TrustPolicyError extends Error {
    constructor(message: string, options?: { cause?: unknown }) {
        super(message, options);
        this.name = "TrustPolicyError";
    }
}

/** The policy document (plain object) for the arguments, defaults filled in. */
export function trustPolicyDocument(args: TrustPolicyArgs): Record<string, unknown> {
    return {
        apiVersion: API_VERSION,
        kind: KIND,
        noMatch: args.noMatch ?? "deny",
        policies: args.policies.map((p) => ({
            name: p.name,
            mode: p.mode ?? "enforce",
            namespaceSelector: p.namespaceSelector ?? { matchLabels: { [MODEL_SERVING_LABEL.key]: MODEL_SERVING_LABEL.value } },
            images: [...p.images],
            authorities: p.authorities.map((a) => ("key" in a
                ? { name: a.name, key: { pem: a.key.pem, ignoreTlog: a.key.ignoreTlog ?? false } }
                : { name: a.name, keyless: { ...a.keyless, ignoreTlog: a.keyless.ignoreTlog ?? false, ignoreSct: a.keyless.ignoreSct ?? false } })),
            ...(p.trustedRoot !== undefined ? { trustedRoot: typeof p.trustedRoot === "string" ? parseInlineRoot(p.trustedRoot, p.name) : p.trustedRoot } : {}),
            signatureFormats: [...(p.signatureFormats ?? ["legacy", "bundle"])],
        })),
    };
}

function parseInlineRoot(text: string, rule: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        throw new TrustPolicyError(`policies "${rule}": trustedRoot must be the trusted_root.json content (JSON), not a path: the ConfigMap mount holds only the policy file`);
    }
}

/** The file name of the policy inside the ConfigMap (the webhook accepts one *.yaml in its policy directory). */
export const TRUST_POLICY_FILE = "policy.yaml";

/**
 * Renders the trust policy to YAML and checks it with the webhook's loader; returns the YAML and
 * the loaded policy (its `version` names the content). Throws {@link TrustPolicyError} with the
 * loader's message (field path and fix) when the webhook would reject it.
 */
export function renderTrustPolicy(args: TrustPolicyArgs): { yaml: string; policy: TrustPolicy } {
    if (args.policies.length === 0) throw new TrustPolicyError("trustPolicy.policies must contain at least one rule: an empty policy admits nothing or everything");
    const doc = trustPolicyDocument(args);
    const yaml = `# aiguard ImageTrustPolicy, rendered by ImageAdmissionWebhook (see admission-webhook/POLICY.md).\n${stringify(doc, { lineWidth: 0 })}`;
    let policy: TrustPolicy;
    try {
        policy = loadPolicy(yaml);
    } catch (err) {
        throw new TrustPolicyError(`trustPolicy is not accepted by the admission webhook: ${(err as Error).message}`, { cause: err });
    }
    return { yaml, policy };
}
