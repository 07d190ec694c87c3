/**
 * The model-image admission webhook, deployed (DP-2, DV-1, DV-3, DP-4 / P7, P8, P9): the server from
 * admission-webhook/ admits a workload in a model-serving namespace only when every image is pinned
 * by digest and signed by an authority of the trust policy.
 *
 * Secure defaults (each relaxation is a named option):
 *  - its own namespace (Pod Security `restricted`, not a model namespace, never sent to itself);
 *  - a service account without token automount, bound to a ClusterRole that may only `get`
 *    namespaces, serviceaccounts and secrets (namespace labels and pull credentials);
 *  - the trust policy from typed args, rendered to a ConfigMap and checked by the webhook's own
 *    loader before anything is created;
 *  - TLS from a private CA made with @pulumi/tls (or cert-manager with `certManager`), the CA wired
 *    into `caBundle`;
 *  - a Deployment of >= 2 replicas (fewer only with `allowSingleReplica`) on different nodes, a
 *    PodDisruptionBudget (minAvailable 1), non-root uid 65532, read-only root filesystem, all
 *    capabilities dropped, seccomp RuntimeDefault, requests and limits, HTTPS probes; the webhook's
 *    image must be pinned by digest;
 *  - a ValidatingWebhookConfiguration: failurePolicy Fail, sideEffects None, admission v1, matchPolicy
 *    Equivalent, timeout 10 s (the server's deadline is 2 s shorter), CREATE and UPDATE of pods,
 *    pods/ephemeralcontainers and every workload kind, for namespaces with the model-serving label
 *    except kube-system and the webhook's own namespace;
 *  - no AWS calls (`--ecr-credentials off`) unless `ecrAccess` is set: then an IAM role for EKS Pod
 *    Identity, trusted only for this cluster and the webhook's service account, that may read the
 *    listed ECR repositories only (see webhook-ecr-access.ts), and `--ecr-credentials auto`.
 *
 * Kubernetes resources use the provider from `opts` (`provider`/`providers`); AWS resources
 * (`ecrAccess`) use the AWS provider from `opts.providers`, or the default one.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { imageAdmissionWebhookArgsProblem } from "./image-admission-webhook-args";
import { type LabelMatch, MODEL_SERVING_LABEL, podSecurityRestricted } from "./labels";
import { renderTrustPolicy, TRUST_POLICY_FILE, type TrustPolicyArgs } from "./trust-policy";
import { admissionNamespaceSelector, admissionRules, DEFAULT_RESOURCES, type ResourceSpec, webhookPodSpec } from "./webhook-specs";
import { buildWebhookEcrAccess, type WebhookEcrAccess, type WebhookEcrAccessArgs } from "./webhook-ecr-access";
import { buildWebhookTls, type CertManagerArgs } from "./webhook-tls";
import { webhookRbacRules } from "./webhook-rbac";

export { imageAdmissionWebhookArgsProblem } from "./image-admission-webhook-args";
export type { CertManagerArgs, CertManagerIssuerRef } from "./webhook-tls";
export type { WebhookEcrAccessArgs } from "./webhook-ecr-access";

export interface ImageAdmissionWebhookArgs {
    /** The webhook's own image, pinned by digest (`<registry>/<repo>@sha256:<64 hex>`). Required; tags are rejected. */
    readonly image: string;
    /** The trust policy: which namespaces and images, whose signatures. Required. */
    readonly trustPolicy: TrustPolicyArgs;
    /** Namespace the webhook runs in (created here). Default `aiguard-system`. */
    readonly namespace?: string;
    /** Name of the Deployment, Service, ServiceAccount, ConfigMap... Default `aiguard-admission`. */
    readonly appName?: string;
    /** Webhook name in the configuration (a DNS name with at least three labels). Default `images.aiguard.io`. */
    readonly webhookName?: string;
    /** Replicas. Default 2; below 2 only with `allowSingleReplica` (with failurePolicy Fail, one pod down means no new model pods). */
    readonly replicas?: number;
    /** Relaxation: permit `replicas: 1` (test clusters). Default false. */
    readonly allowSingleReplica?: boolean;
    /** API-server call timeout, 3-30 s. Default 10. The server decides within this minus 2 s. */
    readonly timeoutSeconds?: number;
    /** Label of the namespaces sent to the webhook. Default `aiguard.io/model-serving: "true"` (the pack's setting). */
    readonly namespaceLabel?: LabelMatch;
    /** More namespaces never sent to the webhook (kube-system and the webhook's own always are). */
    readonly excludedNamespaces?: readonly string[];
    /** Issue the serving certificate with cert-manager instead of @pulumi/tls. Default: @pulumi/tls. */
    readonly certManager?: CertManagerArgs;
    /** Lifetime of the @pulumi/tls serving certificate in hours, 720-17520. Default 8760 (re-issued 30 days before expiry on `pulumi up`). */
    readonly certificateValidityHours?: number;
    /** Container resources. Default requests 100m/128Mi, limits 1 CPU/256Mi. */
    readonly resources?: ResourceSpec;
    /** Server log level. Default `info`. */
    readonly logLevel?: "debug" | "info" | "warn" | "error";
    /**
     * On EKS: read model images and signatures from Amazon ECR with an IAM role of the webhook's
     * own (EKS Pod Identity; the cluster needs the `eks-pod-identity-agent` add-on), since EKS pods
     * pull through the node role and carry no pull secrets. Default: none (no AWS calls; ECR images
     * need imagePullSecrets to be verified).
     */
    readonly ecrAccess?: WebhookEcrAccessArgs;
}

export class ImageAdmissionWebhook extends pulumi.ComponentResource {
    readonly namespace: k8s.core.v1.Namespace;
    readonly serviceAccount: k8s.core.v1.ServiceAccount;
    readonly clusterRole: k8s.rbac.v1.ClusterRole;
    readonly clusterRoleBinding: k8s.rbac.v1.ClusterRoleBinding;
    readonly configMap: k8s.core.v1.ConfigMap;
    readonly deployment: k8s.apps.v1.Deployment;
    readonly service: k8s.core.v1.Service;
    readonly podDisruptionBudget: k8s.policy.v1.PodDisruptionBudget;
    readonly webhookConfiguration: k8s.admissionregistration.v1.ValidatingWebhookConfiguration;
    /** The ECR role, its policy and the Pod Identity association (`ecrAccess`), else undefined. */
    readonly ecrAccess: WebhookEcrAccess | undefined;
    /** The rendered `policy.yaml` (what the ConfigMap holds). */
    readonly trustPolicyYaml: string;
    /** sha256 of the loaded policy (the webhook's own version of it). */
    readonly trustPolicyVersion: string;
    /** Base64 CA bundle wired into the configuration (@pulumi/tls mode), else undefined. */
    readonly caBundle: pulumi.Output<string> | undefined;
    readonly namespaceName: pulumi.Output<string>;
    /** ARN of the webhook's ECR role (`ecrAccess`), else undefined. */
    readonly ecrRoleArn: pulumi.Output<string> | undefined;

    constructor(name: string, args: ImageAdmissionWebhookArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aiguard:k8s:ImageAdmissionWebhook", name, {}, opts);
        const problem = imageAdmissionWebhookArgsProblem(args);
        if (problem !== undefined) throw new pulumi.ResourceError(problem, this);
        const nsName = args.namespace ?? "aiguard-system";
        const app = args.appName ?? "aiguard-admission";
        const webhookName = args.webhookName ?? "images.aiguard.io";
        const replicas = args.replicas ?? 2;
        const timeoutSeconds = args.timeoutSeconds ?? 10;
        const label = args.namespaceLabel ?? MODEL_SERVING_LABEL;
        const excluded = args.excludedNamespaces ?? [];
        const validity = args.certificateValidityHours ?? 8760;
        const rendered = renderTrustPolicy(args.trustPolicy);
        this.trustPolicyYaml = rendered.yaml;
        this.trustPolicyVersion = rendered.policy.version;

        const parent = { parent: this };
        const labels = { "app.kubernetes.io/name": app, "app.kubernetes.io/component": "admission-webhook", "app.kubernetes.io/managed-by": "aiguard" };
        const podLabels = { "app.kubernetes.io/name": app, "app.kubernetes.io/component": "admission-webhook" };
        this.namespace = new k8s.core.v1.Namespace(`${name}-ns`, {
            metadata: { name: nsName, labels: { ...podSecurityRestricted("latest"), "app.kubernetes.io/managed-by": "aiguard" } },
        }, parent);
        const ns = this.namespace.metadata.name;
        const meta = (objectName: string) => ({ name: objectName, namespace: ns, labels });

        this.serviceAccount = new k8s.core.v1.ServiceAccount(`${name}-sa`, { metadata: meta(app), automountServiceAccountToken: false }, parent);
        this.clusterRole = new k8s.rbac.v1.ClusterRole(`${name}-reader`, {
            metadata: { name: app, labels },
            // Namespaces and service accounts watched (labels, pull-secret names); pull secrets read by name only.
            rules: webhookRbacRules(),
        }, parent);
        this.clusterRoleBinding = new k8s.rbac.v1.ClusterRoleBinding(`${name}-reader`, {
            metadata: { name: app, labels },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: this.clusterRole.metadata.name },
            subjects: [{ kind: "ServiceAccount", name: this.serviceAccount.metadata.name, namespace: ns }],
        }, parent);
        this.configMap = new k8s.core.v1.ConfigMap(`${name}-policy`, {
            metadata: meta(`${app}-policy`),
            data: { [TRUST_POLICY_FILE]: this.trustPolicyYaml },
        }, parent);

        const secretName = `${app}-tls`;
        const tlsMaterial = buildWebhookTls(this, name, {
            namespace: ns, namespaceName: nsName, serviceName: app, secretName, labels, validityHours: validity, certManager: args.certManager,
        });
        this.caBundle = tlsMaterial.caBundle;
        // Pod Identity injects credentials when a pod is created: the association must exist before the pods.
        this.ecrAccess = args.ecrAccess === undefined
            ? undefined
            : buildWebhookEcrAccess(this, name, args.ecrAccess, { namespace: nsName, serviceAccount: this.serviceAccount.metadata.name }, [this.serviceAccount]);

        this.deployment = new k8s.apps.v1.Deployment(`${name}-deployment`, {
            metadata: meta(app),
            spec: {
                replicas,
                selector: { matchLabels: podLabels },
                strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
                template: {
                    metadata: {
                        labels: podLabels,
                        // A new policy or certificate is picked up without restart; this records which policy the pods were started with.
                        annotations: { "aiguard.io/trust-policy-version": this.trustPolicyVersion },
                    },
                    spec: webhookPodSpec({
                        image: args.image,
                        serviceAccountName: app,
                        configMapName: `${app}-policy`,
                        tlsSecretName: secretName,
                        podLabels,
                        timeoutSeconds,
                        logLevel: args.logLevel ?? "info",
                        resources: args.resources ?? DEFAULT_RESOURCES,
                        ecrCredentials: this.ecrAccess !== undefined,
                    }),
                },
            },
        }, { parent: this, dependsOn: [this.serviceAccount, this.configMap, this.clusterRoleBinding, tlsMaterial.secretReady, ...(this.ecrAccess !== undefined ? [this.ecrAccess.association] : [])] });
        this.podDisruptionBudget = new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, {
            metadata: meta(app),
            spec: { minAvailable: 1, selector: { matchLabels: podLabels } },
        }, parent);
        this.service = new k8s.core.v1.Service(`${name}-service`, {
            metadata: meta(app),
            spec: { type: "ClusterIP", selector: podLabels, ports: [{ name: "https", port: 443, targetPort: "https", protocol: "TCP" }] },
        }, parent);

        this.webhookConfiguration = new k8s.admissionregistration.v1.ValidatingWebhookConfiguration(`${name}-config`, {
            metadata: { name: app, labels, annotations: tlsMaterial.annotations },
            webhooks: [{
                name: webhookName,
                admissionReviewVersions: ["v1"],
                sideEffects: "None",
                failurePolicy: "Fail",
                matchPolicy: "Equivalent",
                timeoutSeconds,
                clientConfig: {
                    service: { name: this.service.metadata.name, namespace: ns, path: "/validate", port: 443 },
                    ...(tlsMaterial.caBundle !== undefined ? { caBundle: tlsMaterial.caBundle } : {}),
                },
                namespaceSelector: admissionNamespaceSelector(label, [nsName, ...excluded]),
                rules: admissionRules(),
            }],
        // Registered only once the server is ready: before that, failurePolicy Fail would block every model pod.
        }, { parent: this, dependsOn: [this.deployment, this.service, this.podDisruptionBudget] });

        this.namespaceName = ns;
        this.ecrRoleArn = this.ecrAccess?.role.arn;
        this.registerOutputs({ namespaceName: this.namespaceName, caBundle: this.caBundle, trustPolicyVersion: this.trustPolicyVersion, ecrRoleArn: this.ecrRoleArn });
    }
}
