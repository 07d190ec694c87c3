/**
 * End to end: what ImageAdmissionWebhook renders, run for real. The component is recorded offline;
 * its ConfigMap data and TLS Secret layout are mounted the way the kubelet mounts them, and the real
 * webhook CLI (admission-webhook/cli.ts, a child process) is started with exactly the container args
 * of the rendered Deployment (mount paths mapped to the temp dirs, port 0). A real docker-registry on
 * 127.0.0.1 holds a signed and an unsigned image; the Kubernetes API (namespace labels, service
 * accounts) is the fake API server of the admission tests. Real AdmissionReviews for Deployments in
 * a model-serving namespace are then admitted (signed, digest-pinned) or denied (unsigned, by tag).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OciPusher } from "../../../fixtures/admission/oci";
import { startRegistry, type RegistryFixture } from "../../../fixtures/admission/registry";
import { generateTestKey, signLegacy } from "../../../fixtures/admission/sign";
import { makeCa } from "../../../fixtures/admission/certs";
import { kubectl, startFakeApiServer, type FakeApiServer, type Json } from "../../admission/server/support/fake-apiserver";
import { call } from "../../../fixtures/admission/https";
import { KubeletMount } from "../../admission/server/support/mount";
import { podSpec, review, workload } from "../../../fixtures/admission/reviews";
import { eventually } from "../../admission/server/support/server";
import { record } from "../../harness";
import { trustPolicy, webhook } from "./fixtures";

const CLI = join(__dirname, "../../../admission-webhook/cli.ts");

let reg: RegistryFixture;
let oci: OciPusher;
let api: FakeApiServer;
let child: ChildProcess;
let port: number;
let caPem: Buffer;
let log = "";
let renderedArgs: string[];
let signed: string;
let unsignedImage: string;

beforeAll(async () => {
    reg = await startRegistry();
    oci = new OciPusher(reg);
    const key = generateTestKey();
    const img = await oci.pushImage("ml/llm");
    await signLegacy(oci, reg.host, "ml/llm", img.digest, key);
    signed = img.reference;
    unsignedImage = (await oci.pushImage("ml/unsigned")).reference;

    // What the component renders, for a trust policy naming this registry and key.
    const rec = await record(() => webhook({ trustPolicy: trustPolicy(key.publicPem, [`${reg.host}/ml/**`]) }));
    const configMap = rec.inputs("kubernetes:core/v1:ConfigMap", "mx-admission-policy");
    const deployment = rec.inputs("kubernetes:apps/v1:Deployment", "mx-admission-deployment");
    const container = deployment.spec.template.spec.containers[0];
    renderedArgs = container.args;
    const mountOf = (volume: string) => container.volumeMounts.find((m: { name: string }) => m.name === volume).mountPath as string;

    const ca = makeCa();
    caPem = ca.ca;
    const tls = ca.issue("aiguard-admission");
    const policyMount = new KubeletMount(configMap.data);
    const tlsMount = new KubeletMount({ "tls.crt": readFileSync(tls.certFile), "tls.key": readFileSync(tls.keyFile), "ca.crt": ca.ca });

    api = await startFakeApiServer(ca);
    const ns = kubectl("namespace", "models");
    (ns["metadata"] as Json)["labels"] = { "aiguard.io/model-serving": "true", "kubernetes.io/metadata.name": "models" };
    api.objects.set("/api/v1/namespaces/models", ns);
    api.objects.set("/api/v1/namespaces/models/serviceaccounts/default", kubectl("serviceaccount", "default", "-n", "models"));
    const dir = mkdtempSync(join(tmpdir(), "aiguard-k8s-e2e-"));
    const kubeconfig = join(dir, "kubeconfig");
    writeFileSync(kubeconfig, api.kubeConfig.exportConfig());

    // The rendered args, with the pod's mount paths replaced by the local mounts and a free port.
    const args = renderedArgs.map((a) => a
        .replace(mountOf("policy"), policyMount.dir)
        .replace(mountOf("tls"), tlsMount.dir));
    args[args.indexOf("--port") + 1] = "0";
    child = spawn(process.execPath, ["--import", "tsx", CLI, ...args, "--host", "127.0.0.1", "--kubeconfig", kubeconfig, "--insecure-registry", reg.host], {
        stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (c: Buffer) => (log += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (log += c.toString()));
    await eventually(() => /"port":\d+/.test(log), 30_000);
    port = Number(/"port":(\d+)/.exec(log)![1]);
    await eventually(async () => (await call(port, caPem, "/readyz")).status === 200, 10_000);
}, 90_000);

afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await api?.close();
    await oci?.close();
    await reg?.stop();
});

async function validate(image: string, uid: string): Promise<{ uid: string; allowed: boolean; status?: { code: number; message: string } }> {
    const r = await call(port, caPem, "/validate", { body: JSON.stringify(review("Deployment", workload("Deployment", podSpec({ containers: [image] })), { uid })) });
    expect(r.status).toBe(200);
    return (JSON.parse(r.body) as { response: Awaited<ReturnType<typeof validate>> }).response;
}

describe("the webhook started from the component's rendered ConfigMap and Deployment args", () => {
    it("runs with the rendered policy mount, TLS mount and decision deadline", () => {
        expect(renderedArgs.slice(0, 3)).toEqual(["serve", "--policy", "/etc/aiguard/policy"]);
        expect(log).toContain("policy.yaml sha256:");
    });

    it("admits a Deployment whose image is digest-pinned and signed by the policy's key", async () => {
        expect(await validate(signed, "signed")).toEqual({ uid: "signed", allowed: true, status: { code: 200, message: "every image verified by policy models" } });
    });

    it("rejects a Deployment whose image is not signed", async () => {
        const r = await validate(unsignedImage, "unsigned");
        expect(r.allowed).toBe(false);
        expect(r.status?.code).toBe(403);
        expect(r.status?.message).toContain(`spec.template.spec.containers[0].image: ${unsignedImage}: `);
        // The decision log line is written asynchronously (pino): wait for it.
        await eventually(() => log.includes('"uid":"unsigned"'), 5_000);
        const decisions = log.split("\n").filter((l) => l.includes('"admission decision"')).map((l) => JSON.parse(l) as Json);
        expect(decisions.find((d) => d["uid"] === "unsigned")).toMatchObject({ allowed: false, reason: "no-signature" });
    });

    it("rejects a Deployment that names its image by tag only", async () => {
        const r = await validate(`${reg.host}/ml/llm:v1`, "tagged");
        expect(r.allowed).toBe(false);
        expect(r.status?.message).toContain("@sha256:");
    });

    it("stops cleanly on SIGTERM (after the rendered shutdown delay)", async () => {
        const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
        child.kill("SIGTERM");
        expect(await exited).toBe(0);
    }, 40_000);
});
