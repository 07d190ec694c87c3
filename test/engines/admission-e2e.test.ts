/**
 * The real aiguard admission webhook (`admission-webhook/cli.ts serve`, a child process) behind a
 * real kube-apiserver + kube-controller-manager (scripts/build-engines.sh), registered through a
 * real ValidatingWebhookConfiguration, verifying real images in Debian's docker-registry, and
 * reading namespace labels, service accounts and pull secrets from the real API server through
 * `--kubeconfig`. Everything is driven with `kubectl`, as a user would (DP-2, DV-1, P7).
 */
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHostileRegistry, type HostileRegistry } from "../admission/fixtures/hostile";
import { OciPusher } from "../../fixtures/admission/oci";
import { keyPolicyDoc } from "../../fixtures/admission/policy";
import { startRegistry, type RegistryFixture } from "../../fixtures/admission/registry";
import { generateTestKey, signLegacy } from "../../fixtures/admission/sign";
import { startAiguardWebhook, type AiguardWebhook, type DecisionLog } from "./aiguard-webhook";
import { startKubeCluster, type KubeCluster } from "../../fixtures/engines/kube-fixture";
import { getJson, kubectl, kubectlOk } from "../../fixtures/engines/kubectl";
import { waitUntil } from "../../fixtures/engines/tools";
import { registerValidatingWebhook, type RegisteredWebhook, type WebhookRule } from "../../fixtures/engines/webhook";
import {
    deploymentJson,
    exists,
    namespaceJson,
    podJson,
    waitForDefaultServiceAccount,
    WORKLOAD_KINDS,
    workloadJson,
    type WorkloadKind,
} from "../../fixtures/engines/workloads";

/** The label the policy pack's `modelNamespaceLabel` setting and this trust policy both use. */
const MODEL_LABEL = { "aiguard.io/model-serving": "true" } as const;
const MODELS = "models";
const SANDBOX = "sandbox";
const CREATE_UPDATE = ["CREATE", "UPDATE"] as const;
/** The webhook's decision budget: below the API server's 10 s webhook timeout (`/validate?timeout=10s`). */
const DEADLINE_MS = 4000;

/** The rules of admission-webhook/README.md's registration. */
const RULES: readonly WebhookRule[] = [
    { operations: CREATE_UPDATE, apiGroups: [""], apiVersions: ["v1"], resources: ["pods", "pods/ephemeralcontainers", "replicationcontrollers"] },
    { operations: CREATE_UPDATE, apiGroups: ["apps"], apiVersions: ["v1"], resources: ["deployments", "replicasets", "statefulsets", "daemonsets"] },
    { operations: CREATE_UPDATE, apiGroups: ["batch"], apiVersions: ["v1"], resources: ["jobs", "cronjobs"] },
];

let cluster: KubeCluster;
let kc: string;
let dir: string;
let reg: RegistryFixture;
let privateReg: RegistryFixture;
let stalling: HostileRegistry;
let webhook: AiguardWebhook;
let registration: RegisteredWebhook;
const pushers: OciPusher[] = [];
const key = generateTestKey();
let signed: string;
let unsigned: string;
let signedDebug: string;
/** Signed images in the private registry, one per test: verified digests are cached, so reusing one would skip the credential path. */
const privateImages: Record<"anon" | "podSecret" | "saSecret" | "missing", string> = { anon: "", podSecret: "", saSecret: "", missing: "" };

async function pushSigned(r: RegistryFixture, oci: OciPusher, repo: string): Promise<string> {
    const img = await oci.pushImage(repo);
    await signLegacy(oci, r.host, repo, img.digest, key);
    return img.reference;
}

const apply = (json: string) => kubectl(kc, ["apply", "-f", "-"], { input: json });

/** The prefix the API server puts before the webhook's own message. */
const denied = () => `admission webhook "${registration.name}.aiguard.test" denied the request: `;

const decisionsFor = (match: Partial<DecisionLog>): Promise<DecisionLog[]> => webhook.decisionsMatching(match);

beforeAll(async () => {
    const t0 = Date.now();
    dir = mkdtempSync(path.join(os.tmpdir(), "aiguard-admission-e2e-"));
    // All settle before a failure is thrown, so afterAll stops every one that did start.
    const started = await Promise.allSettled([
        startKubeCluster().then((c) => (cluster = c)),
        startRegistry().then((r) => (reg = r)),
        startRegistry({ tls: true, auth: { username: "puller", password: "s3cret-pull" } }).then((r) => (privateReg = r)),
        startHostileRegistry("stall").then((r) => (stalling = r)),
    ]);
    for (const s of started) if (s.status === "rejected") throw s.reason;
    kc = cluster.kubeconfigPath;
    const oci = new OciPusher(reg);
    const privateOci = new OciPusher(privateReg);
    pushers.push(oci, privateOci);
    signed = await pushSigned(reg, oci, "ml/llm");
    signedDebug = await pushSigned(reg, oci, "ml/debug-tools");
    unsigned = (await oci.pushImage("ml/unsigned")).reference;
    for (const k of Object.keys(privateImages) as Array<keyof typeof privateImages>) {
        privateImages[k] = await pushSigned(privateReg, privateOci, `ml/private-${k.toLowerCase()}`);
    }

    webhook = await startAiguardWebhook({
        dir,
        kubeconfigPath: kc,
        policy: keyPolicyDoc({
            images: [`${reg.host}/ml/**`, `${privateReg.host}/ml/**`, `${stalling.host}/ml/**`],
            pems: [key.publicPem],
            namespaceSelector: { matchLabels: MODEL_LABEL },
        }),
        insecureRegistries: [reg.host, stalling.host],
        registryCaFiles: [path.join(privateReg.dir, "tls.crt")],
        extraArgs: ["--deadline-ms", String(DEADLINE_MS)],
    });
    for (const [ns, labels] of [[MODELS, MODEL_LABEL], [SANDBOX, {}]] as const) {
        await kubectlOk(kc, ["apply", "-f", "-"], { input: namespaceJson(ns, labels) });
        await waitForDefaultServiceAccount(kc, ns);
    }
    // The README's registration: every namespace but the control plane's reaches the webhook; the
    // trust policy's namespaceSelector (read from the API server) decides which are verified.
    registration = await registerValidatingWebhook(kc, {
        url: webhook.url,
        caPem: webhook.caPem,
        failurePolicy: "Fail",
        namespaceSelector: {
            matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "NotIn", values: ["kube-system", "kube-public", "kube-node-lease"] }],
        },
        rules: RULES,
    });
    // The apiserver loads webhook configurations asynchronously: wait until a dry run reaches aiguard.
    await waitUntil(async () => (await kubectl(kc, ["apply", "--dry-run=server", "-f", "-"], { input: podJson("probe", MODELS, unsigned) })).stderr.includes("aiguard denied"), {
        timeoutMs: 30_000,
        intervalMs: 250,
        describe: () => `the API server never called the aiguard webhook (decisions: ${webhook.decisions().length})`,
    });
    console.log(`admission e2e ready in ${Date.now() - t0} ms (kube fixture ${cluster.startupMs} ms, webhook ${webhook.startupMs} ms)`);
}, 180_000);

afterAll(async () => {
    await registration?.remove().catch(() => undefined);
    await webhook?.stop();
    await cluster?.stop();
    await Promise.all(pushers.map((p) => p.close()));
    await reg?.stop();
    await privateReg?.stop();
    await stalling?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("Pods in a model namespace", () => {
    it("rejects an unsigned, digest-pinned image with the field path and the reason", async () => {
        const res = await apply(podJson("unsigned-llm", MODELS, unsigned));
        expect(res.code).not.toBe(0);
        expect(res.stderr).toContain(
            `${denied()}aiguard denied Pod models/unsigned-llm (policy models): 1 image failed verification: spec.containers[0].image: ${unsigned}: policy models: ${unsigned} has no signature (looked for: legacy, bundle); sign it, e.g. \`cosign sign --key cosign.key ${unsigned}\``,
        );
        expect(await exists(kc, "pod", "unsigned-llm", MODELS)).toBe(false);
        expect(await decisionsFor({ kind: "Pod", name: "unsigned-llm", dryRun: false })).toMatchObject([
            { operation: "CREATE", namespace: MODELS, allowed: false, result: "denied", reason: "no-signature", reasons: [{ path: "spec.containers[0].image", image: unsigned, code: "no-signature" }] },
        ]);
    });

    it("rejects a tag-only image (`kubectl run`) as not pinned, naming the pinned form", async () => {
        const tagged = `${reg.host}/ml/llm:v1`;
        const res = await kubectl(kc, ["run", "tagged-llm", "-n", MODELS, "--restart=Never", `--image=${tagged}`]);
        expect(res.code).not.toBe(0);
        expect(res.stderr).toContain(`${denied()}aiguard denied Pod models/tagged-llm (policy models): 1 image failed verification: spec.containers[0].image: ${tagged}: ${tagged} is not pinned by digest`);
        expect(res.stderr).toContain("@sha256:");
        expect((await decisionsFor({ kind: "Pod", name: "tagged-llm" })).map((d) => d.reason)).toEqual(["not-pinned"]);
    });

    it("rejects a Pod whose init container is unsigned although its main container is signed", async () => {
        const res = await apply(podJson("init-unsigned", MODELS, signed, { initImages: [unsigned] }));
        expect(res.code).not.toBe(0);
        expect(res.stderr).toContain(`1 image failed verification: spec.initContainers[0].image: ${unsigned}: `);
    });

    it("admits a signed, digest-pinned image and stores the Pod", async () => {
        const res = await apply(podJson("signed-llm", MODELS, signed));
        expect(res.stderr).toBe("");
        expect(res.code).toBe(0);
        const pod = await getJson<{ spec: { containers: Array<{ image: string }>; serviceAccountName: string } }>(kc, ["pod", "signed-llm", "-n", MODELS]);
        expect(pod.spec.containers[0]?.image).toBe(signed);
        expect(await decisionsFor({ kind: "Pod", name: "signed-llm", dryRun: false })).toMatchObject([
            { operation: "CREATE", allowed: true, result: "allowed", reason: "verified", policy: "models" },
        ]);
    });
});

describe("Deployments through the controller manager", () => {
    it("rejects a Deployment with an unsigned image before anything is stored", async () => {
        const res = await apply(deploymentJson("unsigned-server", MODELS, unsigned));
        expect(res.code).not.toBe(0);
        expect(res.stderr).toContain(
            `${denied()}aiguard denied Deployment models/unsigned-server (policy models): 1 image failed verification: spec.template.spec.containers[0].image: ${unsigned}: `,
        );
        expect(await exists(kc, "deployment", "unsigned-server", MODELS)).toBe(false);
    });

    it("admits a signed Deployment; its ReplicaSet and Pod, created by the controllers, pass admission too", async () => {
        const res = await apply(deploymentJson("signed-server", MODELS, signed));
        expect(res.stderr).toBe("");
        expect(res.code).toBe(0);
        type Item = { metadata: { name: string; ownerReferences?: Array<{ kind: string; name: string }> } };
        let pods: Item[] = [];
        await waitUntil(async () => {
            pods = (await getJson<{ items: Item[] }>(kc, ["pods", "-n", MODELS, "-l", "app=signed-server"])).items;
            return pods.length === 1;
        }, { timeoutMs: 45_000, intervalMs: 250, describe: () => `no Pod for deployment/signed-server (got ${pods.length})` });
        const rs = (await getJson<{ items: Item[] }>(kc, ["replicasets", "-n", MODELS, "-l", "app=signed-server"])).items;
        expect(rs).toHaveLength(1);
        expect(pods[0]?.metadata.ownerReferences?.[0]).toMatchObject({ kind: "ReplicaSet", name: rs[0]?.metadata.name });

        const verified = [{ allowed: true, reason: "verified", policy: "models" }];
        const created = (kind: string, name: string) => decisionsFor({ kind, name, operation: "CREATE", namespace: MODELS, dryRun: false });
        expect(await created("Deployment", "signed-server")).toMatchObject(verified);
        expect(await created("ReplicaSet", rs[0]!.metadata.name)).toMatchObject(verified);
        // The ReplicaSet controller creates its Pod with generateName; the name is set before validation.
        expect(await created("Pod", pods[0]!.metadata.name)).toMatchObject(verified);
    });

    it("rejects an update of the signed Deployment to an unsigned image and keeps the old template", async () => {
        const res = await apply(deploymentJson("signed-server", MODELS, unsigned));
        expect(res.code).not.toBe(0);
        expect(res.stderr).toContain(`aiguard denied Deployment models/signed-server (policy models): 1 image failed verification: spec.template.spec.containers[0].image: ${unsigned}: `);
        const d = await getJson<{ spec: { template: { spec: { containers: Array<{ image: string }> } } } }>(kc, ["deployment", "signed-server", "-n", MODELS]);
        expect(d.spec.template.spec.containers[0]?.image).toBe(signed);
        expect((await decisionsFor({ kind: "Deployment", name: "signed-server", operation: "UPDATE", allowed: false })).length).toBeGreaterThan(0);
    });
});

describe("every other workload kind of the rules", () => {
    it.each(Object.keys(WORKLOAD_KINDS) as WorkloadKind[])("%s: unsigned is rejected at its pod template's path, signed is admitted", async (kind) => {
        const name = `${kind.toLowerCase()}-model`;
        const bad = await apply(workloadJson(kind, `${name}-unsigned`, MODELS, unsigned));
        expect(bad.code).not.toBe(0);
        expect(bad.stderr).toContain(
            `${denied()}aiguard denied ${kind} models/${name}-unsigned (policy models): 1 image failed verification: ${WORKLOAD_KINDS[kind].templatePath}.containers[0].image: ${unsigned}: `,
        );
        const good = await apply(workloadJson(kind, name, MODELS, signed));
        expect(good.stderr).toBe("");
        expect(good.code).toBe(0);
        expect(await decisionsFor({ kind, name, operation: "CREATE" })).toMatchObject([{ allowed: true, reason: "verified" }]);
    });
});

describe("ephemeral containers (`kubectl debug`, pods/ephemeralcontainers)", () => {
    it("rejects an unsigned debug container added to a running model Pod", async () => {
        const res = await kubectl(kc, ["debug", "signed-llm", "-n", MODELS, `--image=${unsigned}`, "--container=debugger"]);
        expect(res.code).not.toBe(0);
        expect(res.stderr).toContain(`${denied()}aiguard denied Pod models/signed-llm (policy models): 1 image failed verification: spec.ephemeralContainers[0].image: ${unsigned}: `);
        expect(await decisionsFor({ kind: "Pod", name: "signed-llm", operation: "UPDATE", subResource: "ephemeralcontainers" })).toMatchObject([
            { allowed: false, reason: "no-signature" },
        ]);
        const pod = await getJson<{ spec: { ephemeralContainers?: unknown[] } }>(kc, ["pod", "signed-llm", "-n", MODELS]);
        expect(pod.spec.ephemeralContainers ?? []).toEqual([]);
    });

    it("admits a signed debug container", async () => {
        const res = await kubectl(kc, ["debug", "signed-llm", "-n", MODELS, `--image=${signedDebug}`, "--container=debugger"]);
        expect(res.code, res.stderr).toBe(0);
        const pod = await getJson<{ spec: { ephemeralContainers?: Array<{ name: string; image: string }> } }>(kc, ["pod", "signed-llm", "-n", MODELS]);
        expect(pod.spec.ephemeralContainers).toMatchObject([{ name: "debugger", image: signedDebug }]);
    });
});

describe("namespaces the trust policy does not select", () => {
    it("admits an unsigned Pod in an unlabelled namespace: reviewed, labels read from the API server, out of scope", async () => {
        const res = await apply(podJson("anything", SANDBOX, unsigned));
        expect(res.stderr).toBe("");
        expect(res.code).toBe(0);
        expect(await decisionsFor({ kind: "Pod", name: "anything", namespace: SANDBOX })).toMatchObject([
            { allowed: true, result: "allowed", reason: "out-of-scope" },
        ]);
    });
});

describe("pull secrets read through the API server (TLS + basic-auth registry)", () => {
    const secretArgs = () => [
        "create", "secret", "docker-registry", "-n", MODELS,
        `--docker-server=${privateReg.host}`, "--docker-username=puller", "--docker-password=s3cret-pull",
    ];

    it("denies (fail closed) when the registry refuses anonymous reads and the Pod has no pull secret", async () => {
        const res = await apply(podJson("private-anon", MODELS, privateImages.anon));
        expect(res.code).not.toBe(0);
        expect(res.stderr).toContain(`${denied()}aiguard denied Pod models/private-anon (policy models): 1 image failed verification: spec.containers[0].image: ${privateImages.anon}: `);
        expect(res.stderr).toContain(
            `registry error while fetching legacy signatures (unauthorized): ${privateReg.host} requires credentials and none were given: add an imagePullSecret for ${privateReg.host}; the image is denied (fail closed)`,
        );
        expect(await decisionsFor({ kind: "Pod", name: "private-anon" })).toMatchObject([{ allowed: false, reason: "registry-error" }]);
    });

    it("verifies with the Pod's imagePullSecrets (kubernetes.io/dockerconfigjson)", async () => {
        await kubectlOk(kc, [...secretArgs().slice(0, 3), "regcred", ...secretArgs().slice(3)]);
        const res = await apply(podJson("private-llm", MODELS, privateImages.podSecret, { imagePullSecrets: ["regcred"] }));
        expect(res.stderr).toBe("");
        expect(res.code).toBe(0);
        expect(await decisionsFor({ kind: "Pod", name: "private-llm" })).toMatchObject([{ allowed: true, reason: "verified" }]);
    });

    it("verifies with the service account's imagePullSecrets", async () => {
        await kubectlOk(kc, [...secretArgs().slice(0, 3), "sa-regcred", ...secretArgs().slice(3)]);
        await kubectlOk(kc, ["apply", "-f", "-"], {
            input: JSON.stringify({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "model-puller", namespace: MODELS }, imagePullSecrets: [{ name: "sa-regcred" }] }),
        });
        const res = await apply(podJson("private-sa", MODELS, privateImages.saSecret, { serviceAccountName: "model-puller" }));
        expect(res.stderr).toBe("");
        expect(res.code).toBe(0);
        expect(await decisionsFor({ kind: "Pod", name: "private-sa" })).toMatchObject([{ allowed: true, reason: "verified" }]);
    });

    it("skips a referenced pull secret that does not exist (as the kubelet does) and still fails closed", async () => {
        const res = await apply(podJson("private-missing", MODELS, privateImages.missing, { imagePullSecrets: ["no-such-secret"] }));
        expect(res.code).not.toBe(0);
        expect(await decisionsFor({ kind: "Pod", name: "private-missing" })).toMatchObject([
            { allowed: false, reason: "registry-error", notes: ["secret models/no-such-secret not found; skipped"] },
        ]);
    });
});

describe("a registry that never answers", () => {
    it("is denied by aiguard's own deadline, inside the API server's webhook timeout", async () => {
        const image = `${stalling.host}/ml/model@sha256:${"c".repeat(64)}`;
        const t0 = Date.now();
        const res = await apply(podJson("stalled", MODELS, image));
        const took = Date.now() - t0;
        expect(res.code).not.toBe(0);
        // aiguard's fail-closed answer, not the API server's "context deadline exceeded".
        expect(res.stderr).toContain(`${denied()}aiguard could not verify the images within ${DEADLINE_MS} ms and denies by default (fail closed)`);
        expect(took).toBeGreaterThanOrEqual(DEADLINE_MS - 500);
        expect(took).toBeLessThan(10_000);
        expect(await decisionsFor({ kind: "Pod", name: "stalled" })).toMatchObject([{ allowed: false, result: "error", reason: "timeout" }]);
        expect(stalling.requests.length).toBeGreaterThan(0);
    }, 30_000);
});

describe("the webhook is down (failurePolicy: Fail)", () => {
    it("rejects signed and out-of-scope Pods alike; the excluded control-plane namespace still works", async () => {
        await webhook.stop();
        const inModels = await apply(podJson("while-down", MODELS, signed));
        expect(inModels.code).not.toBe(0);
        expect(inModels.stderr).toContain(`failed calling webhook "${registration.name}.aiguard.test"`);
        expect(await exists(kc, "pod", "while-down", MODELS)).toBe(false);

        const inSandbox = await apply(podJson("while-down", SANDBOX, unsigned));
        expect(inSandbox.code).not.toBe(0);
        expect(inSandbox.stderr).toContain(`failed calling webhook "${registration.name}.aiguard.test"`);

        const deploy = await apply(deploymentJson("while-down", MODELS, signed));
        expect(deploy.code).not.toBe(0);
        expect(deploy.stderr).toContain(`failed calling webhook "${registration.name}.aiguard.test"`);

        await waitForDefaultServiceAccount(kc, "kube-system");
        const system = await apply(podJson("while-down", "kube-system", unsigned));
        expect(system.stderr).toBe("");
        expect(system.code).toBe(0);
    });
});
