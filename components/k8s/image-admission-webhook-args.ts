/**
 * The argument check of {@link ImageAdmissionWebhook}: a pure function, tested with tables, that
 * the constructor calls first. Returns the first problem, naming the fix, or `undefined`. The
 * trust policy is rendered and loaded with the webhook's own loader, so a policy the webhook would
 * refuse is refused here. `ecrAccess` is checked where its resources are built (`webhook-ecr-access.ts`).
 */
import type { ImageAdmissionWebhookArgs } from "./image-admission-webhook";
import { dnsLabelError } from "./labels";
import { renderTrustPolicy } from "./trust-policy";
import { imageError } from "./webhook-specs";

const FQDN_WITH_THREE_LABELS = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?){2,}$/;

export function imageAdmissionWebhookArgsProblem(args: ImageAdmissionWebhookArgs): string | undefined {
    const nsName = args.namespace ?? "aiguard-system";
    const problem = imageError(args.image) ?? dnsLabelError(nsName, "namespace") ?? dnsLabelError(args.appName ?? "aiguard-admission", "appName");
    if (problem !== undefined) return problem;
    if (["kube-system", "kube-public", "default"].includes(nsName)) return `namespace "${nsName}" is shared; the webhook needs a namespace of its own that it never gates`;
    const webhookName = args.webhookName ?? "images.aiguard.io";
    if (!FQDN_WITH_THREE_LABELS.test(webhookName)) return `webhookName "${webhookName}" must be a fully qualified DNS name with at least three labels, e.g. images.aiguard.io`;
    const replicas = args.replicas ?? 2;
    if (!Number.isInteger(replicas) || replicas < 1) return `replicas must be a whole number of at least 1; got ${replicas}`;
    if (replicas < 2 && args.allowSingleReplica !== true) {
        return `replicas ${replicas} leaves no webhook while its pod restarts, and with failurePolicy Fail no model pod can then start: use at least 2, or set allowSingleReplica: true (test clusters only)`;
    }
    if (args.allowSingleReplica === true && replicas >= 2) return "allowSingleReplica is set but replicas is at least 2; drop allowSingleReplica";
    const timeoutSeconds = args.timeoutSeconds ?? 10;
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 3 || timeoutSeconds > 30) return `timeoutSeconds must be a whole number from 3 to 30 (the API server caps it at 30); got ${timeoutSeconds}`;
    for (const ns of args.excludedNamespaces ?? []) {
        const nsProblem = dnsLabelError(ns, "excludedNamespaces entry");
        if (nsProblem !== undefined) return nsProblem;
    }
    return certificateProblem(args) ?? trustPolicyProblem(args);
}

function certificateProblem(args: ImageAdmissionWebhookArgs): string | undefined {
    if (args.certManager !== undefined && args.certificateValidityHours !== undefined) {
        return "certificateValidityHours applies to the @pulumi/tls certificate; with certManager the issuer and the Certificate decide the lifetime";
    }
    const validity = args.certificateValidityHours ?? 8760;
    if (!Number.isInteger(validity) || validity < 720 || validity > 17520) return `certificateValidityHours must be a whole number from 720 (30 days) to 17520 (2 years); got ${validity}`;
    if (args.certManager !== undefined && args.certManager.issuerRef.name.trim() === "") return "certManager.issuerRef.name must name an Issuer or ClusterIssuer";
    return undefined;
}

function trustPolicyProblem(args: ImageAdmissionWebhookArgs): string | undefined {
    try {
        renderTrustPolicy(args.trustPolicy);
        return undefined;
    } catch (err) {
        return (err as Error).message;
    }
}
