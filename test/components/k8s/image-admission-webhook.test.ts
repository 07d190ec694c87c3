import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as k8s from "@pulumi/kubernetes";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { loadPolicy } from "../../../admission-webhook/verification";
import { assetTags, AssetKinds } from "../../../components/aws/tags";
import { ImageAdmissionWebhook, type ImageAdmissionWebhookArgs, imageAdmissionWebhookArgsProblem } from "../../../components/k8s/image-admission-webhook";
import { ecrRepositoryArnForGlob, repositoryArnError } from "../../../components/k8s/webhook-ecr-access";
import { policyDoc, record, type Recorded } from "../../harness";
import { TAGS, trustPolicy, webhook, webhookArgs, WEBHOOK_IMAGE } from "./fixtures";

const T = {
    component: "aiguard:k8s:ImageAdmissionWebhook",
    ns: "kubernetes:core/v1:Namespace",
    sa: "kubernetes:core/v1:ServiceAccount",
    role: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
    binding: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
    cm: "kubernetes:core/v1:ConfigMap",
    secret: "kubernetes:core/v1:Secret",
    deployment: "kubernetes:apps/v1:Deployment",
    service: "kubernetes:core/v1:Service",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    vwc: "kubernetes:admissionregistration.k8s.io/v1:ValidatingWebhookConfiguration",
    key: "tls:index/privateKey:PrivateKey",
    ca: "tls:index/selfSignedCert:SelfSignedCert",
    csr: "tls:index/certRequest:CertRequest",
    cert: "tls:index/locallySignedCert:LocallySignedCert",
    certificate: "kubernetes:cert-manager.io/v1:Certificate",
    provider: "pulumi:providers:kubernetes",
};
const LABELS = { "app.kubernetes.io/name": "aiguard-admission", "app.kubernetes.io/component": "admission-webhook", "app.kubernetes.io/managed-by": "aiguard" };
const POD_LABELS = { "app.kubernetes.io/name": "aiguard-admission", "app.kubernetes.io/component": "admission-webhook" };
const META = (name: string) => ({ name, namespace: "aiguard-system", labels: LABELS });

function run(o: Partial<ImageAdmissionWebhookArgs> = {}): Promise<Recorded<ImageAdmissionWebhook>> {
    return record(() => webhook(o));
}

describe("ImageAdmissionWebhook defaults", () => {
    let rec: Recorded<ImageAdmissionWebhook>;
    beforeAll(async () => {
        rec = await run();
    });
    const inputs = (type: string, name: string) => rec.inputs(type, name);

    it("registers exactly the hardened set, every child parented to the component", async () => {
        expect(rec.countByType()).toEqual({
            [T.component]: 1, [T.ns]: 1, [T.sa]: 1, [T.role]: 1, [T.binding]: 1, [T.cm]: 1, [T.secret]: 1, [T.deployment]: 1,
            [T.service]: 1, [T.pdb]: 1, [T.vwc]: 1, [T.key]: 2, [T.ca]: 1, [T.csr]: 1, [T.cert]: 1,
        });
        const top = rec.get(T.component, "mx-admission");
        for (const r of rec.resources) if (r !== top) expect(r.parent, r.name).toBe(top.urn);
        expect(rec.run.calls).toEqual([]);
    });

    it("its own namespace is PSA restricted and never a model namespace", () => {
        const labels = inputs(T.ns, "mx-admission-ns").metadata.labels;
        expect(labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/audit": "restricted", "pod-security.kubernetes.io/warn": "restricted" });
        expect(labels["aiguard.io/model-serving"]).toBeUndefined();
        expect(inputs(T.ns, "mx-admission-ns").metadata.name).toBe("aiguard-system");
    });

    it("RBAC: watch namespaces and serviceaccounts, get secrets only (never list/watch them); bound to the token-less service account", () => {
        expect(inputs(T.sa, "mx-admission-sa")).toMatchObject({ metadata: META("aiguard-admission"), automountServiceAccountToken: false });
        expect(inputs(T.role, "mx-admission-reader").rules).toEqual([
            { apiGroups: [""], resources: ["namespaces", "serviceaccounts"], verbs: ["get", "list", "watch"] },
            { apiGroups: [""], resources: ["secrets"], verbs: ["get"] },
        ]);
        expect(inputs(T.binding, "mx-admission-reader")).toMatchObject({
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "aiguard-admission" },
            subjects: [{ kind: "ServiceAccount", name: "aiguard-admission", namespace: "aiguard-system" }],
        });
    });

    it("RBAC: the rules are the ClusterRole of the operator guide (admission-webhook/README.md)", () => {
        const readme = readFileSync(path.join(__dirname, "../../../admission-webhook/README.md"), "utf8");
        const block = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => /^kind: ClusterRole$/m.test(b));
        expect((parse(block ?? "") as { rules?: unknown } | null)?.rules).toEqual(inputs(T.role, "mx-admission-reader").rules);
    });

    it("ConfigMap holds the rendered policy, accepted by the webhook's loader, with the version the pods record", () => {
        const data = inputs(T.cm, "mx-admission-policy").data;
        expect(Object.keys(data)).toEqual(["policy.yaml"]);
        const loaded = loadPolicy(data["policy.yaml"]);
        expect(loaded.policies.map((p) => p.name)).toEqual(["models"]);
        expect(inputs(T.deployment, "mx-admission-deployment").spec.template.metadata.annotations).toEqual({ "aiguard.io/trust-policy-version": loaded.version });
        expect(rec.result.trustPolicyYaml).toBe(data["policy.yaml"]);
    });

    it("TLS: a private ECDSA CA signs a server certificate for the service names, stored as a kubernetes.io/tls Secret", () => {
        expect(inputs(T.key, "mx-admission-ca-key")).toEqual({ algorithm: "ECDSA", ecdsaCurve: "P256" });
        expect(inputs(T.key, "mx-admission-server-key")).toEqual({ algorithm: "ECDSA", ecdsaCurve: "P256" });
        expect(inputs(T.ca, "mx-admission-ca")).toMatchObject({ isCaCertificate: true, allowedUses: ["cert_signing", "crl_signing", "digital_signature"], privateKeyPem: rec.get(T.key, "mx-admission-ca-key").outputs.privateKeyPem });
        expect(inputs(T.csr, "mx-admission-server-csr").dnsNames).toEqual(["aiguard-admission.aiguard-system.svc", "aiguard-admission.aiguard-system.svc.cluster.local"]);
        expect(inputs(T.cert, "mx-admission-server-cert")).toMatchObject({
            allowedUses: ["digital_signature", "key_encipherment", "server_auth"],
            validityPeriodHours: 8760,
            earlyRenewalHours: 720,
            caCertPem: rec.get(T.ca, "mx-admission-ca").outputs.certPem,
            certRequestPem: rec.get(T.csr, "mx-admission-server-csr").outputs.certRequestPem,
        });
        const secret = inputs(T.secret, "mx-admission-tls");
        expect(secret.type).toBe("kubernetes.io/tls");
        expect(secret.metadata).toEqual(META("aiguard-admission-tls"));
        expect(secret.stringData).toEqual({
            "tls.crt": rec.get(T.cert, "mx-admission-server-cert").outputs.certPem,
            "tls.key": rec.get(T.key, "mx-admission-server-key").outputs.privateKeyPem,
            "ca.crt": rec.get(T.ca, "mx-admission-ca").outputs.certPem,
        });
    });

    it("Deployment: 2 replicas on different nodes, restricted security context, probes, mounts and server args", () => {
        const d = inputs(T.deployment, "mx-admission-deployment");
        expect(d.metadata).toEqual(META("aiguard-admission"));
        expect(d.spec).toMatchObject({ replicas: 2, selector: { matchLabels: POD_LABELS }, strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } });
        const pod = d.spec.template.spec;
        expect(pod).toMatchObject({
            serviceAccountName: "aiguard-admission",
            automountServiceAccountToken: true,
            securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: "RuntimeDefault" } },
            affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: POD_LABELS }, topologyKey: "kubernetes.io/hostname" }] } },
            terminationGracePeriodSeconds: 30,
        });
        expect(pod.containers).toHaveLength(1);
        const c = pod.containers[0];
        expect(c.image).toBe(WEBHOOK_IMAGE);
        expect(c.securityContext).toEqual({
            runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" },
        });
        expect(c.resources).toEqual({ requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "256Mi" } });
        expect(c.ports).toEqual([{ name: "https", containerPort: 8443, protocol: "TCP" }]);
        expect(c.livenessProbe).toMatchObject({ httpGet: { path: "/healthz", port: "https", scheme: "HTTPS" } });
        expect(c.readinessProbe).toMatchObject({ httpGet: { path: "/readyz", port: "https", scheme: "HTTPS" } });
        expect(c.args).toEqual([
            "serve", "--policy", "/etc/aiguard/policy", "--tls-cert", "/etc/aiguard/tls/tls.crt", "--tls-key", "/etc/aiguard/tls/tls.key",
            "--port", "8443", "--deadline-ms", "8000", "--shutdown-delay-ms", "5000", "--shutdown-grace-ms", "20000",
            // Without ecrAccess the webhook makes no AWS calls (ECR images need pull secrets).
            "--ecr-credentials", "off", "--log-level", "info",
        ]);
        expect(c.volumeMounts).toEqual([
            { name: "policy", mountPath: "/etc/aiguard/policy", readOnly: true },
            { name: "tls", mountPath: "/etc/aiguard/tls", readOnly: true },
            { name: "tmp", mountPath: "/tmp" },
        ]);
        expect(pod.volumes).toEqual([
            { name: "policy", configMap: { name: "aiguard-admission-policy" } },
            { name: "tls", secret: { secretName: "aiguard-admission-tls", defaultMode: 0o440 } },
            { name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "16Mi" } },
        ]);
        const deps = rec.get(T.deployment, "mx-admission-deployment").dependencies;
        for (const [type, name] of [[T.secret, "mx-admission-tls"], [T.cm, "mx-admission-policy"], [T.binding, "mx-admission-reader"]] as const) {
            expect(deps).toContain(rec.get(type, name).urn);
        }
    });

    it("Service 443 -> https (8443) and a PDB keeping one replica", () => {
        expect(inputs(T.service, "mx-admission-service").spec).toEqual({ type: "ClusterIP", selector: POD_LABELS, ports: [{ name: "https", port: 443, targetPort: "https", protocol: "TCP" }] });
        expect(inputs(T.pdb, "mx-admission-pdb").spec).toEqual({ minAvailable: 1, selector: { matchLabels: POD_LABELS } });
    });

    it("ValidatingWebhookConfiguration: fail closed, every workload kind, model namespaces minus kube-system and its own, CA bundle from the TLS CA", () => {
        const cfg = inputs(T.vwc, "mx-admission-config");
        expect(cfg.metadata).toEqual({ name: "aiguard-admission", labels: LABELS, annotations: {} });
        const caPem = String(rec.get(T.ca, "mx-admission-ca").outputs.certPem);
        expect(caPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
        expect(cfg.webhooks).toEqual([{
            name: "images.aiguard.io",
            admissionReviewVersions: ["v1"],
            sideEffects: "None",
            failurePolicy: "Fail",
            matchPolicy: "Equivalent",
            timeoutSeconds: 10,
            clientConfig: {
                service: { name: "aiguard-admission", namespace: "aiguard-system", path: "/validate", port: 443 },
                caBundle: Buffer.from(caPem, "utf8").toString("base64"),
            },
            namespaceSelector: {
                matchLabels: { "aiguard.io/model-serving": "true" },
                matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "NotIn", values: ["kube-system", "aiguard-system"] }],
            },
            rules: [
                { apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods", "pods/ephemeralcontainers", "replicationcontrollers"], scope: "Namespaced" },
                { apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["deployments", "replicasets", "statefulsets", "daemonsets"], scope: "Namespaced" },
                { apiGroups: ["batch"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["jobs", "cronjobs"], scope: "Namespaced" },
            ],
        }]);
        expect(cfg.webhooks[0].objectSelector).toBeUndefined();
        // Registered only after the server it calls is deployed.
        expect(rec.get(T.vwc, "mx-admission-config").dependencies).toContain(rec.get(T.deployment, "mx-admission-deployment").urn);
    });
});

describe("ImageAdmissionWebhook options", () => {
    it("certManager: a Certificate from the issuer, the inject-ca-from annotation, no @pulumi/tls material and no caBundle", async () => {
        const rec = await run({ certManager: { issuerRef: { name: "internal-ca" } } });
        for (const t of [T.key, T.ca, T.csr, T.cert, T.secret]) expect(rec.ofType(t)).toEqual([]);
        expect(rec.inputs(T.certificate, "mx-admission-certificate")).toMatchObject({
            apiVersion: "cert-manager.io/v1",
            kind: "Certificate",
            metadata: { name: "aiguard-admission", namespace: "aiguard-system" },
            spec: {
                secretName: "aiguard-admission-tls",
                dnsNames: ["aiguard-admission.aiguard-system.svc", "aiguard-admission.aiguard-system.svc.cluster.local"],
                issuerRef: { name: "internal-ca", kind: "ClusterIssuer", group: "cert-manager.io" },
                privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
            },
        });
        const cfg = rec.inputs(T.vwc, "mx-admission-config");
        expect(cfg.metadata.annotations).toEqual({ "cert-manager.io/inject-ca-from": "aiguard-system/aiguard-admission" });
        expect(cfg.webhooks[0].clientConfig.caBundle).toBeUndefined();
        expect(rec.get(T.deployment, "mx-admission-deployment").dependencies).toContain(rec.get(T.certificate, "mx-admission-certificate").urn);
    });

    it("names, timeout, exclusions, replicas and label reach the children; deadline = timeout - 2 s", async () => {
        const rec = await run({
            namespace: "admission", appName: "verifier", timeoutSeconds: 15, replicas: 3, excludedNamespaces: ["istio-system"],
            namespaceLabel: { key: "acme.io/models", value: "yes" }, logLevel: "warn",
        });
        const cfg = rec.inputs(T.vwc, "mx-admission-config").webhooks[0];
        expect(cfg.timeoutSeconds).toBe(15);
        expect(cfg.namespaceSelector).toEqual({
            matchLabels: { "acme.io/models": "yes" },
            matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "NotIn", values: ["kube-system", "admission", "istio-system"] }],
        });
        expect(cfg.clientConfig.service).toEqual({ name: "verifier", namespace: "admission", path: "/validate", port: 443 });
        const d = rec.inputs(T.deployment, "mx-admission-deployment");
        expect(d.spec.replicas).toBe(3);
        const args: string[] = d.spec.template.spec.containers[0].args;
        expect(args[args.indexOf("--deadline-ms") + 1]).toBe("13000");
        expect(args.slice(-2)).toEqual(["--log-level", "warn"]);
        expect(rec.inputs(T.csr, "mx-admission-server-csr").dnsNames).toEqual(["verifier.admission.svc", "verifier.admission.svc.cluster.local"]);
    });

    it("allowSingleReplica permits one replica", async () => {
        const rec = await run({ replicas: 1, allowSingleReplica: true });
        expect(rec.inputs(T.deployment, "mx-admission-deployment").spec.replicas).toBe(1);
    });

    it("uses the Kubernetes provider passed in opts for every Kubernetes child", async () => {
        const rec = await record(() => {
            const provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
            const w = webhook({});
            const other = new ImageAdmissionWebhook("pw", { image: WEBHOOK_IMAGE, trustPolicy: trustPolicy(), namespace: "pw-system", appName: "pw" }, { providers: [provider] });
            const children = [other.namespace, other.serviceAccount, other.clusterRole, other.clusterRoleBinding, other.configMap, other.deployment, other.service, other.podDisruptionBudget, other.webhookConfiguration];
            return {
                withProvider: children.map((c) => c.getProvider("kubernetes:core/v1:Namespace") === provider),
                defaultOnes: w.deployment.getProvider("kubernetes:apps/v1:Deployment") === provider,
            };
        });
        expect(rec.result.withProvider).toEqual(Array(9).fill(true));
        expect(rec.result.defaultOnes).toBe(false);
    });

    it.each<[string, Partial<ImageAdmissionWebhookArgs>, RegExp]>([
        ["a tag-only image", { image: "123456789012.dkr.ecr.eu-west-2.amazonaws.com/aiguard/admission:1.0" }, /must be pinned by digest.*crane digest/],
        ["an image without registry host", { image: `aiguard/admission@sha256:${"a".repeat(64)}` }, /must name its registry host/],
        ["an invalid image", { image: "not an image" }, /not a valid image reference/],
        ["one replica without the relaxation", { replicas: 1 }, /use at least 2, or set allowSingleReplica: true/],
        ["the relaxation with two replicas", { replicas: 2, allowSingleReplica: true }, /drop allowSingleReplica/],
        ["a timeout above the API server's cap", { timeoutSeconds: 31 }, /from 3 to 30/],
        ["a timeout leaving no decision time", { timeoutSeconds: 2 }, /from 3 to 30/],
        ["kube-system as its namespace", { namespace: "kube-system" }, /needs a namespace of its own/],
        ["a webhook name that is not a qualified DNS name", { webhookName: "images" }, /fully qualified DNS name/],
        ["cert-manager with a validity", { certManager: { issuerRef: { name: "ca" } }, certificateValidityHours: 1000 }, /with certManager the issuer/],
        ["a validity below 30 days", { certificateValidityHours: 24 }, /from 720/],
        ["a trust policy the webhook rejects", { trustPolicy: { policies: [{ name: "m", images: ["registry.example.com/**"], authorities: [{ name: "k", key: { pem: "nope", ignoreTlog: true } }] }] } }, /not accepted by the admission webhook: policies\[0\]\.authorities\[0\]/],
    ])("rejects %s", async (_what, o, message) => {
        expect(imageAdmissionWebhookArgsProblem(webhookArgs(o))).toMatch(message);
        await expect(run(o)).rejects.toThrow(message);
    });

    it("imageAdmissionWebhookArgsProblem passes the fixture's arguments", () => {
        expect(imageAdmissionWebhookArgsProblem(webhookArgs())).toBeUndefined();
        expect(imageAdmissionWebhookArgsProblem(webhookArgs({ replicas: 1, allowSingleReplica: true }))).toBeUndefined();
    });
});

describe("ImageAdmissionWebhook ecrAccess (EKS Pod Identity)", () => {
    const MODELS = "arn:aws:ecr:eu-west-2:123456789012:repository/models/*";
    const ecrAccess = { clusterName: "inference-eks", repositoryArns: [MODELS], assetTags: TAGS };
    const IAM = { role: "aws:iam/role:Role", policy: "aws:iam/rolePolicy:RolePolicy", association: "aws:eks/podIdentityAssociation:PodIdentityAssociation" };
    let rec: Recorded<ImageAdmissionWebhook>;
    beforeAll(async () => {
        rec = await run({ ecrAccess });
    });

    it("adds exactly a role, its policy and the Pod Identity association, parented to the component", async () => {
        expect(rec.countByType()).toEqual({
            [T.component]: 1, [T.ns]: 1, [T.sa]: 1, [T.role]: 1, [T.binding]: 1, [T.cm]: 1, [T.secret]: 1, [T.deployment]: 1,
            [T.service]: 1, [T.pdb]: 1, [T.vwc]: 1, [T.key]: 2, [T.ca]: 1, [T.csr]: 1, [T.cert]: 1,
            [IAM.role]: 1, [IAM.policy]: 1, [IAM.association]: 1,
        });
        // Account, region and partition for the trust conditions come from the mocked AWS functions.
        expect(rec.run.calls.map((c) => c.token).sort()).toEqual(["aws:index/getCallerIdentity:getCallerIdentity", "aws:index/getPartition:getPartition", "aws:index/getRegion:getRegion"]);
        const top = rec.get(T.component, "mx-admission");
        for (const [type, name] of [[IAM.role, "mx-admission-ecr-role"], [IAM.policy, "mx-admission-ecr-read"], [IAM.association, "mx-admission-pod-identity"]] as const) {
            expect(rec.get(type, name).parent).toBe(top.urn);
        }
    });

    it("the role trusts only EKS Pod Identity, for this account, cluster, namespace and service account", () => {
        const role = rec.inputs(IAM.role, "mx-admission-ecr-role");
        expect(policyDoc(role.assumeRolePolicy)).toEqual({
            Version: "2012-10-17",
            Statement: [{
                Sid: "EksPodIdentityForTheAdmissionWebhook",
                Effect: "Allow",
                Principal: { Service: "pods.eks.amazonaws.com" },
                Action: ["sts:AssumeRole", "sts:TagSession"],
                Condition: {
                    StringEquals: { "aws:SourceAccount": "123456789012", "aws:RequestTag/kubernetes-namespace": "aiguard-system", "aws:RequestTag/kubernetes-service-account": "aiguard-admission" },
                    ArnEquals: { "aws:SourceArn": "arn:aws:eks:eu-west-2:123456789012:cluster/inference-eks" },
                },
            }],
        });
        expect(role.tags).toEqual(assetTags(TAGS, AssetKinds.role));
        expect(role.maxSessionDuration).toBe(3600);
    });

    it("may get a registry token and read the listed repositories, nothing else", () => {
        const policy = rec.inputs(IAM.policy, "mx-admission-ecr-read");
        expect(policy.role).toBe(rec.get(IAM.role, "mx-admission-ecr-role").outputs.id);
        expect(policyDoc(policy.policy)).toEqual({
            Version: "2012-10-17",
            Statement: [
                { Sid: "RegistryToken", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
                { Sid: "ReadModelRepositories", Effect: "Allow", Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"], Resource: [MODELS] },
            ],
        });
    });

    it("binds the role to the webhook's service account before the pods start, and turns ECR credentials on", () => {
        const association = rec.get(IAM.association, "mx-admission-pod-identity");
        expect(association.inputs).toEqual({
            clusterName: "inference-eks", namespace: "aiguard-system", serviceAccount: "aiguard-admission",
            roleArn: rec.get(IAM.role, "mx-admission-ecr-role").outputs.arn, tags: assetTags(TAGS, AssetKinds.role),
        });
        expect(association.dependencies).toContain(rec.get(IAM.policy, "mx-admission-ecr-read").urn);
        const deployment = rec.get(T.deployment, "mx-admission-deployment");
        expect(deployment.dependencies).toContain(association.urn);
        const args: string[] = (deployment.inputs as any).spec.template.spec.containers[0].args;
        expect(args.slice(args.indexOf("--ecr-credentials"), args.indexOf("--ecr-credentials") + 2)).toEqual(["--ecr-credentials", "auto"]);
        expect(rec.result.ecrAccess?.role).toBeDefined();
    });

    it.each([
        ["arn:aws:ecr:eu-west-2:123456789012:repository/models/sentiment", undefined],
        ["arn:aws:ecr:eu-west-2:123456789012:repository/models/*", undefined],
        ["arn:aws-cn:ecr:cn-north-1:123456789012:repository/models", undefined],
        ["arn:aws:ecr:eu-west-2:123456789012:repository/*", /not an ECR repository ARN/],
        ["*", /not an ECR repository ARN/],
        ["arn:aws:ecr:*:*:repository/models", /not an ECR repository ARN/],
        ["arn:aws:s3:::models", /not an ECR repository ARN/],
        ["arn:aws:ecr:eu-west-2:123456789012:repository/Models", /not an ECR repository ARN/],
    ])("repository ARN %s", (arn, error) => {
        const found = repositoryArnError(arn);
        if (error === undefined) expect(found).toBeUndefined();
        else expect(found).toMatch(error);
    });

    it.each([
        ["123456789012.dkr.ecr.eu-west-2.amazonaws.com/models/**", "arn:aws:ecr:eu-west-2:123456789012:repository/models/*"],
        ["123456789012.dkr.ecr.eu-west-2.amazonaws.com/models/sentiment", "arn:aws:ecr:eu-west-2:123456789012:repository/models/sentiment"],
        ["123456789012.dkr.ecr.eu-west-2.amazonaws.com/models/llm-?", "arn:aws:ecr:eu-west-2:123456789012:repository/models/llm-*"],
        ["123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/models/*", "arn:aws-cn:ecr:cn-north-1:123456789012:repository/models/*"],
        ["123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/m/*", "arn:aws-us-gov:ecr:us-gov-west-1:123456789012:repository/m/*"],
        ["ghcr.io/acme/models/**", undefined],
        ["123456789012.dkr.ecr.eu-west-2.amazonaws.com.evil.com/models/**", undefined],
    ])("the repository ARN of image glob %s", (glob, arn) => {
        expect(ecrRepositoryArnForGlob(glob)).toBe(arn);
    });

    it("refuses a glob that covers every repository of the account", () => {
        expect(() => ecrRepositoryArnForGlob("123456789012.dkr.ecr.eu-west-2.amazonaws.com/**")).toThrow(/covers every ECR repository of account 123456789012: start it with a repository prefix/);
    });

    it.each<[string, Partial<ImageAdmissionWebhookArgs>, RegExp]>([
        ["no repositories", { ecrAccess: { ...ecrAccess, repositoryArns: [] } }, /repositoryArns is empty/],
        ["every repository of the account", { ecrAccess: { ...ecrAccess, repositoryArns: ["arn:aws:ecr:eu-west-2:123456789012:repository/*"] } }, /is not an ECR repository ARN.*repository\/models\/\*/],
        ["a role without an owner", { ecrAccess: { ...ecrAccess, assetTags: { ...TAGS, owner: "" } } }, /assetTags.owner is required/],
    ])("rejects %s", async (_what, o, message) => {
        await expect(run(o)).rejects.toThrow(message);
    });
});
