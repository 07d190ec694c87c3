/**
 * Registering validating admission webhooks with a test cluster. The apiserver calls
 * `clientConfig.url` directly (no Service, no DNS), so any HTTPS server on 127.0.0.1 whose
 * certificate has SAN IP 127.0.0.1 and is signed by `caPem` can serve it.
 */
import { randomBytes } from "node:crypto";
import { kubectlOk } from "./kubectl";

/** A Kubernetes label selector. */
export interface LabelSelector {
    readonly matchLabels?: Readonly<Record<string, string>>;
    readonly matchExpressions?: ReadonlyArray<{
        readonly key: string;
        readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
        readonly values?: readonly string[];
    }>;
}

/** One `admissionregistration.k8s.io/v1` RuleWithOperations. */
export interface WebhookRule {
    readonly operations: ReadonlyArray<"CREATE" | "UPDATE" | "DELETE" | "CONNECT" | "*">;
    readonly apiGroups: readonly string[];
    readonly apiVersions: readonly string[];
    readonly resources: readonly string[];
    /** Default `Namespaced`. */
    readonly scope?: "Namespaced" | "Cluster" | "*";
}

/** Options for {@link registerValidatingWebhook}. */
export interface ValidatingWebhookOptions {
    /** `https://127.0.0.1:<port>/<path>` of the webhook server. */
    readonly url: string;
    /** PEM of the CA that signed the webhook server's certificate (becomes `caBundle`). */
    readonly caPem: string;
    /**
     * Which namespaces the webhook sees. Required: a cluster-wide webhook with
     * `failurePolicy: Fail` would also block the control plane's own writes when it is down.
     */
    readonly namespaceSelector: LabelSelector;
    /** `Fail` (default: a webhook that is down or errs rejects the request) or `Ignore`. */
    readonly failurePolicy?: "Fail" | "Ignore";
    readonly rules: readonly WebhookRule[];
    /** Object name of the ValidatingWebhookConfiguration. Default `aiguard-test-<random hex>`. */
    readonly name?: string;
    /** Default 10 (the API's maximum is 30). */
    readonly timeoutSeconds?: number;
}

/** A registered webhook configuration. */
export interface RegisteredWebhook {
    readonly name: string;
    /** The object as sent to the apiserver. */
    readonly manifest: Record<string, unknown>;
    /** Deletes the ValidatingWebhookConfiguration (no error if it is already gone). */
    remove(): Promise<void>;
}

/** Builds the ValidatingWebhookConfiguration object (exported for tests of the manifest itself). */
export function validatingWebhookManifest(name: string, opts: ValidatingWebhookOptions): Record<string, unknown> {
    const url = new URL(opts.url);
    if (url.protocol !== "https:") {
        throw new Error(`webhook url must be https (the apiserver only calls TLS webhooks), got ${opts.url}`);
    }
    if (!opts.caPem.includes("-----BEGIN CERTIFICATE-----")) {
        throw new Error("caPem must be a PEM certificate (the CA that signed the webhook server's certificate)");
    }
    if (opts.rules.length === 0) throw new Error("rules must not be empty: a webhook with no rules is never called");
    return {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "ValidatingWebhookConfiguration",
        metadata: { name },
        webhooks: [
            {
                name: `${name}.aiguard.test`,
                clientConfig: { url: opts.url, caBundle: Buffer.from(opts.caPem).toString("base64") },
                rules: opts.rules.map((r) => ({ scope: "Namespaced", ...r })),
                namespaceSelector: opts.namespaceSelector,
                failurePolicy: opts.failurePolicy ?? "Fail",
                sideEffects: "None",
                admissionReviewVersions: ["v1"],
                timeoutSeconds: opts.timeoutSeconds ?? 10,
            },
        ],
    };
}

/**
 * Registers a ValidatingWebhookConfiguration with the cluster behind `kubeconfigPath`.
 * The apiserver picks new configurations up asynchronously (usually well under a second):
 * callers that need it active should poll with a server-side dry run until it answers.
 */
export async function registerValidatingWebhook(
    kubeconfigPath: string,
    opts: ValidatingWebhookOptions,
): Promise<RegisteredWebhook> {
    const name = opts.name ?? `aiguard-test-${randomBytes(4).toString("hex")}`;
    const manifest = validatingWebhookManifest(name, opts);
    await kubectlOk(kubeconfigPath, ["apply", "-f", "-"], { input: JSON.stringify(manifest) });
    return {
        name,
        manifest,
        async remove() {
            await kubectlOk(kubeconfigPath, ["delete", "validatingwebhookconfiguration", name, "--ignore-not-found"]);
        },
    };
}
