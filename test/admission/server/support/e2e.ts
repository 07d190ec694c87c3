/**
 * End-to-end environment: the real webhook server with the real engine, a real docker-registry on
 * 127.0.0.1 holding signed images, and the Kubernetes API answered by the fake API server (namespace
 * labels, service accounts, pull secrets) through the real client.
 */
import { stringify } from "yaml";
import type { WebhookServerOptions } from "../../../../admission-webhook/server/http/server";
import { verifierLoader } from "../../../../admission-webhook/server/policy/verifier-loader";
import { KubeClusterFacts } from "../../../../admission-webhook/server/cluster/kube";
import { WebhookMetrics } from "../../../../admission-webhook/server/metrics";
import { OciPusher } from "../../../../fixtures/admission/oci";
import { keyPolicyDoc, MODEL_NAMESPACE, type KeyPolicyDocOptions } from "../../../../fixtures/admission/policy";
import { startRegistry, type RegistryFixture } from "../../../../fixtures/admission/registry";
import { generateTestKey, signLegacy, type TestKey } from "../../../../fixtures/admission/sign";
import { makeCa, type TestCa } from "../../../../fixtures/admission/certs";
import { kubectl, startFakeApiServer, type FakeApiServer, type Json } from "./fake-apiserver";
import { call } from "../../../../fixtures/admission/https";
import { startServer, type Started } from "./server";

export interface E2e {
    readonly ca: TestCa;
    readonly reg: RegistryFixture;
    readonly oci: OciPusher;
    readonly key: TestKey;
    readonly api: FakeApiServer;
    readonly web: Started;
    readonly metrics: WebhookMetrics;
    /** Push a random image to `ml/<repo>` and sign it with `key` (legacy format); returns its pinned reference. */
    signed(repo: string, signer?: TestKey): Promise<{ reference: string; digest: string }>;
    /** POST a review; returns the parsed AdmissionReview response. */
    validate(review: Json): Promise<{ uid: string; allowed: boolean; status?: { code: number; message: string }; warnings?: string[] }>;
    /** The policy document as YAML (for the mount and the CLI). */
    policyYaml(o?: Partial<KeyPolicyDocOptions>): string;
    stop(): Promise<void>;
}

export interface E2eOptions {
    /** More image globs for the policy. */
    readonly images?: (reg: RegistryFixture) => string[];
    /** Other registries; the plain-http ones are passed as insecure registries. */
    readonly extraRegistries?: readonly { readonly host: string; readonly insecure: boolean }[];
    readonly caCertificates?: string[];
    /** The server's decision deadline. Default 8000 ms. */
    readonly deadlineMs?: number;
    /** More server options (limits, logger). */
    readonly server?: Partial<WebhookServerOptions>;
}

export async function startE2e(o: E2eOptions = {}): Promise<E2e> {
    const ca = makeCa();
    const reg = await startRegistry();
    const oci = new OciPusher(reg);
    const key = generateTestKey();
    const api = await startFakeApiServer(ca);
    const models = kubectl("namespace", "models");
    (models["metadata"] as Json)["labels"] = { ...MODEL_NAMESPACE, "kubernetes.io/metadata.name": "models" };
    api.objects.set("/api/v1/namespaces/models", models);
    api.objects.set("/api/v1/namespaces/sandbox", kubectl("namespace", "sandbox"));
    api.objects.set("/api/v1/namespaces/models/serviceaccounts/default", kubectl("serviceaccount", "default", "-n", "models"));
    const images = [`${reg.host}/ml/**`, ...(o.images?.(reg) ?? [])];
    const policyYaml = (p: Partial<KeyPolicyDocOptions> = {}) => stringify(keyPolicyDoc({ images, pems: [key.publicPem], ...p }));
    const metrics = new WebhookMetrics({ defaultMetrics: false });
    const insecure = [reg, ...(o.extraRegistries ?? [])].filter((r) => r.insecure).map((r) => r.host);
    const web = await startServer(ca, { "policy.yaml": policyYaml() }, verifierLoader({ verifier: { insecureRegistries: insecure, caCertificates: o.caCertificates ?? [] }, metrics }), {
        facts: new KubeClusterFacts(api.kubeConfig, { callTimeoutMs: 2_000, watch: false }),
        metrics,
        deadlineMs: o.deadlineMs ?? 8_000,
        ...o.server,
    });
    return {
        ca,
        reg,
        oci,
        key,
        api,
        web,
        metrics,
        policyYaml,
        async signed(repo, signer = key) {
            const img = await oci.pushImage(`ml/${repo}`);
            await signLegacy(oci, reg.host, `ml/${repo}`, img.digest, signer);
            return { reference: img.reference, digest: img.digest };
        },
        async validate(review) {
            const r = await call(web.server.port, ca.ca, "/validate", { body: JSON.stringify(review) });
            if (r.status !== 200) throw new Error(`/validate answered ${r.status}: ${r.body}`);
            return (JSON.parse(r.body) as { response: Awaited<ReturnType<E2e["validate"]>> }).response;
        },
        async stop() {
            await web.server.shutdown();
            await api.close();
            await oci.close();
            await reg.stop();
        },
    };
}
