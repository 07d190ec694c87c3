/**
 * The serving certificate of {@link ImageAdmissionWebhook}, in one of two ways:
 *  - default: a private CA and a serving certificate made with @pulumi/tls (ECDSA P-256), stored in
 *    a `kubernetes.io/tls` Secret; the CA certificate is the webhook configuration's `caBundle`;
 *  - `certManager`: a cert-manager `Certificate` issued by the caller's issuer into the Secret, and
 *    the `cert-manager.io/inject-ca-from` annotation so cert-manager's CA injector fills `caBundle`
 *    (and rotates it with the certificate).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";

/** A cert-manager issuer reference. */
export interface CertManagerIssuerRef {
    readonly name: string;
    /** `Issuer` (in the webhook's namespace) or `ClusterIssuer`. Default `ClusterIssuer`. */
    readonly kind?: "Issuer" | "ClusterIssuer";
    /** Default `cert-manager.io`. */
    readonly group?: string;
}

/** Issue the serving certificate with cert-manager. The issuer must publish its CA (`ca.crt`), e.g. a CA issuer. */
export interface CertManagerArgs {
    readonly issuerRef: CertManagerIssuerRef;
}

export interface TlsSpec {
    readonly namespace: pulumi.Input<string>;
    readonly namespaceName: string;
    readonly serviceName: string;
    readonly secretName: string;
    readonly labels: Readonly<Record<string, string>>;
    /** Serving certificate lifetime in hours (self-signed mode). */
    readonly validityHours: number;
    readonly certManager?: CertManagerArgs;
}

export interface WebhookTls {
    /** Base64 PEM of the CA, for `clientConfig.caBundle` (self-signed mode only). */
    readonly caBundle: pulumi.Output<string> | undefined;
    /** Annotations for the webhook configuration (cert-manager mode only). */
    readonly annotations: Record<string, string>;
    /** What the Deployment must wait for. */
    readonly secretReady: pulumi.Resource;
    readonly caCertificate: tls.SelfSignedCert | undefined;
    readonly certificate: tls.LocallySignedCert | k8s.apiextensions.CustomResource;
}

/** The DNS names the API server uses to call the service. */
export function serviceDnsNames(service: string, namespace: string): string[] {
    return [`${service}.${namespace}.svc`, `${service}.${namespace}.svc.cluster.local`];
}

export function buildWebhookTls(parent: pulumi.Resource, name: string, spec: TlsSpec): WebhookTls {
    const opts = { parent };
    const dnsNames = serviceDnsNames(spec.serviceName, spec.namespaceName);
    if (spec.certManager !== undefined) {
        const ref = spec.certManager.issuerRef;
        const certificate = new k8s.apiextensions.CustomResource(`${name}-certificate`, {
            apiVersion: "cert-manager.io/v1",
            kind: "Certificate",
            metadata: { name: spec.serviceName, namespace: spec.namespace, labels: { ...spec.labels } },
            spec: {
                secretName: spec.secretName,
                dnsNames,
                issuerRef: { name: ref.name, kind: ref.kind ?? "ClusterIssuer", group: ref.group ?? "cert-manager.io" },
                duration: "2160h",
                renewBefore: "360h",
                privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
                usages: ["server auth", "digital signature"],
            },
        }, opts);
        return {
            caBundle: undefined,
            annotations: { "cert-manager.io/inject-ca-from": `${spec.namespaceName}/${spec.serviceName}` },
            secretReady: certificate,
            caCertificate: undefined,
            certificate,
        };
    }

    const caKey = new tls.PrivateKey(`${name}-ca-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, opts);
    const caCertificate = new tls.SelfSignedCert(`${name}-ca`, {
        privateKeyPem: caKey.privateKeyPem,
        isCaCertificate: true,
        subject: { commonName: `${spec.serviceName} webhook CA`, organization: "aiguard" },
        validityPeriodHours: 5 * 8760,
        allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
    }, opts);
    const serverKey = new tls.PrivateKey(`${name}-server-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, opts);
    const request = new tls.CertRequest(`${name}-server-csr`, {
        privateKeyPem: serverKey.privateKeyPem,
        subject: { commonName: dnsNames[0]! },
        dnsNames,
    }, opts);
    const certificate = new tls.LocallySignedCert(`${name}-server-cert`, {
        certRequestPem: request.certRequestPem,
        caPrivateKeyPem: caKey.privateKeyPem,
        caCertPem: caCertificate.certPem,
        validityPeriodHours: spec.validityHours,
        // Re-issued on the first `pulumi up` in the last 30 days (or a fifth of a short lifetime).
        earlyRenewalHours: Math.min(720, Math.floor(spec.validityHours / 5)),
        allowedUses: ["digital_signature", "key_encipherment", "server_auth"],
    }, opts);
    const secret = new k8s.core.v1.Secret(`${name}-tls`, {
        metadata: { name: spec.secretName, namespace: spec.namespace, labels: { ...spec.labels } },
        type: "kubernetes.io/tls",
        stringData: { "tls.crt": certificate.certPem, "tls.key": serverKey.privateKeyPem, "ca.crt": caCertificate.certPem },
    }, opts);
    return {
        caBundle: caCertificate.certPem.apply((pem) => Buffer.from(pem, "utf8").toString("base64")),
        annotations: {},
        secretReady: secret,
        caCertificate,
        certificate,
    };
}
