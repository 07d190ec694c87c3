/**
 * The Kubernetes objects ModelNamespace and ImageAdmissionWebhook render, against a real
 * kube-apiserver (test/engines/kube-fixture: etcd + kube-apiserver + controller manager, no kubelet):
 *  - every object passes `kubectl apply --dry-run=server` (schema, defaults, admission);
 *  - the rendered ValidatingWebhookConfiguration (rules, namespaceSelector, failurePolicy, timeout as
 *    rendered; only clientConfig pointed at the local server, since there is no service routing
 *    here) makes the API server call the real webhook, started with the rendered args, which
 *    rejects an unsigned model Pod and admits a signed one.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OciPusher } from "../../../fixtures/admission/oci";
import { startRegistry, type RegistryFixture } from "../../../fixtures/admission/registry";
import { generateTestKey, signLegacy } from "../../../fixtures/admission/sign";
import { makeCa } from "../../../fixtures/admission/certs";
import { call } from "../../../fixtures/admission/https";
import { KubeletMount } from "../../admission/server/support/mount";
import { eventually } from "../../admission/server/support/server";
import { startKubeCluster, type KubeCluster } from "../../../fixtures/engines/kube-fixture";
import { kubectl, kubectlOk } from "../../../fixtures/engines/kubectl";
import { waitUntil } from "../../../fixtures/engines/tools";
import { record, type RecordedResource } from "../../harness";
import { modelNamespace, trustPolicy, webhook } from "./fixtures";

const CLI = join(__dirname, "../../../admission-webhook/cli.ts");
let cluster: KubeCluster;
let reg: RegistryFixture;
let oci: OciPusher;
let child: ChildProcess | undefined;
let objects: Record<string, unknown>[];
let signed: string;
let unsignedImage: string;
let log = "";

const kc = () => cluster.kubeconfigPath;
const apply = (obj: unknown, ...extra: string[]) => kubectl(kc(), ["apply", ...extra, "-f", "-"], { input: JSON.stringify(obj) });

beforeAll(async () => {
    [cluster, reg] = await Promise.all([startKubeCluster(), startRegistry()]);
    oci = new OciPusher(reg);
    const key = generateTestKey();
    const img = await oci.pushImage("ml/llm");
    await signLegacy(oci, reg.host, "ml/llm", img.digest, key);
    signed = img.reference;
    unsignedImage = (await oci.pushImage("ml/unsigned")).reference;
    const rec = await record(() => {
        modelNamespace();
        webhook({ trustPolicy: trustPolicy(key.publicPem, [`${reg.host}/ml/**`]) });
    });
    objects = rec.resources.filter((r: RecordedResource) => r.custom && r.type.startsWith("kubernetes:")).map((r) => r.inputs);
}, 180_000);

afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await oci?.close();
    await reg?.stop();
    await cluster?.stop();
});

const kindOf = (o: Record<string, unknown>) => String(o["kind"]);
const nameOf = (o: Record<string, unknown>) => String((o["metadata"] as Record<string, unknown>)["name"]);

describe("rendered objects on a real API server", () => {
    it("every object passes kubectl apply --dry-run=server", async () => {
        expect(objects.map(kindOf).sort()).toEqual([
            "ClusterRole", "ClusterRoleBinding", "ConfigMap", "Deployment", "LimitRange", "Namespace", "Namespace", "NetworkPolicy", "NetworkPolicy",
            "NetworkPolicy", "NetworkPolicy", "PodDisruptionBudget", "ResourceQuota", "Secret", "Service", "ServiceAccount", "ServiceAccount",
            "ValidatingWebhookConfiguration",
        ]);
        // Namespaced objects need their namespace to exist, even for a server-side dry run.
        for (const ns of objects.filter((o) => kindOf(o) === "Namespace")) expect((await apply(ns)).stderr).toBe("");
        const failures: string[] = [];
        for (const o of objects) {
            const r = await apply(o, "--dry-run=server");
            if (r.code !== 0) failures.push(`${kindOf(o)} ${nameOf(o)}: ${r.stderr.trim()}`);
        }
        expect(failures).toEqual([]);
    });

    it("the rendered webhook configuration makes the API server call the webhook: unsigned model Pod rejected, signed admitted", async () => {
        // Everything but the Deployment (no kubelet here: the server runs locally with the rendered args instead).
        for (const o of objects.filter((x) => !["Deployment", "ValidatingWebhookConfiguration"].includes(kindOf(x)))) {
            const r = await apply(o);
            expect(r.code, `${kindOf(o)} ${nameOf(o)}: ${r.stderr}`).toBe(0);
        }
        const ca = makeCa();
        const tls = ca.issue("aiguard-admission");
        const configMap = objects.find((o) => kindOf(o) === "ConfigMap")!;
        const deployment = objects.find((o) => kindOf(o) === "Deployment")! as any;
        const container = deployment.spec.template.spec.containers[0];
        const mountOf = (v: string) => container.volumeMounts.find((m: { name: string }) => m.name === v).mountPath as string;
        const policyMount = new KubeletMount((configMap as any).data);
        const tlsMount = new KubeletMount({ "tls.crt": readFileSync(tls.certFile), "tls.key": readFileSync(tls.keyFile) });
        const args: string[] = container.args.map((a: string) => a.replace(mountOf("policy"), policyMount.dir).replace(mountOf("tls"), tlsMount.dir));
        args[args.indexOf("--port") + 1] = "0";
        child = spawn(process.execPath, ["--import", "tsx", CLI, ...args, "--host", "127.0.0.1", "--kubeconfig", kc(), "--insecure-registry", reg.host], { stdio: ["ignore", "pipe", "pipe"] });
        child.stdout!.on("data", (c: Buffer) => (log += c.toString()));
        child.stderr!.on("data", (c: Buffer) => (log += c.toString()));
        await eventually(() => /"port":\d+/.test(log), 30_000);
        const port = Number(/"port":(\d+)/.exec(log)![1]);
        await eventually(async () => (await call(port, ca.ca, "/readyz")).status === 200, 10_000);

        const vwc = structuredClone(objects.find((o) => kindOf(o) === "ValidatingWebhookConfiguration")!) as any;
        const hook = vwc.webhooks[0];
        expect(hook.clientConfig.service).toEqual({ name: "aiguard-admission", namespace: "aiguard-system", path: "/validate", port: 443 });
        hook.clientConfig = { url: `https://127.0.0.1:${port}/validate`, caBundle: ca.ca.toString("base64") };
        expect((await apply(vwc)).code).toBe(0);

        await waitUntil(async () => (await kubectl(kc(), ["get", "serviceaccount", "model-server", "-n", "models"])).code === 0, { timeoutMs: 30_000, describe: () => "no model-server service account" });
        const pod = (name: string, image: string) => ({
            apiVersion: "v1",
            kind: "Pod",
            metadata: { name, namespace: "models" },
            spec: {
                serviceAccountName: "model-server",
                automountServiceAccountToken: false,
                securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } },
                containers: [{ name: "server", image, securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } } }],
            },
        });
        // The webhook registration takes effect within a moment of the apply.
        let denied = { code: 0, stdout: "", stderr: "" };
        await waitUntil(async () => {
            denied = await kubectl(kc(), ["create", "-f", "-"], { input: JSON.stringify(pod("unsigned", unsignedImage)) });
            if (denied.code === 0) await kubectl(kc(), ["delete", "pod", "unsigned", "-n", "models", "--wait=false"]);
            return denied.code !== 0;
        }, { timeoutMs: 20_000, describe: () => `unsigned pod was admitted: ${denied.stdout}` });
        expect(denied.stderr).toContain('admission webhook "images.aiguard.io" denied the request');
        expect(denied.stderr).toContain(`spec.containers[0].image: ${unsignedImage}`);
        await kubectlOk(kc(), ["create", "-f", "-"], { input: JSON.stringify(pod("signed", signed)) });
        expect(await kubectlOk(kc(), ["get", "pod", "signed", "-n", "models", "-o", "jsonpath={.spec.containers[0].image}"])).toBe(signed);
        // A namespace without the model-serving label is never sent to the webhook.
        await kubectlOk(kc(), ["create", "namespace", "sandbox"]);
        await waitUntil(async () => (await kubectl(kc(), ["get", "serviceaccount", "default", "-n", "sandbox"])).code === 0, { timeoutMs: 30_000, describe: () => "no default service account in sandbox" });
        const before = (log.match(/"admission decision"/g) ?? []).length;
        await kubectlOk(kc(), ["run", "free", "-n", "sandbox", `--image=${unsignedImage}`]);
        await new Promise((r) => setTimeout(r, 500)); // decision log lines are written asynchronously
        expect((log.match(/"admission decision"/g) ?? []).length).toBe(before);
    }, 120_000);
});

