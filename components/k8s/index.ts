/** aiguard's hardened Kubernetes components (@pulumi/kubernetes): model-serving namespaces and the model-image admission webhook. */
export * from "./labels";
export * from "./trust-policy";
export * from "./model-namespace";
export * from "./image-admission-webhook";
export { admissionRules, admissionNamespaceSelector, deadlineMs, imageError, serverArgs, webhookPodSpec, DEFAULT_RESOURCES, type ResourceSpec } from "./webhook-specs";
export { serviceDnsNames } from "./webhook-tls";
export { podIdentityTrustPolicy, ecrReadPolicy, repositoryArnError, ecrRepositoryArnForGlob, ECR_READ_ACTIONS, POD_IDENTITY_PRINCIPAL, type PodIdentityContext, type WebhookEcrAccess } from "./webhook-ecr-access";
