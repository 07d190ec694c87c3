/**
 * Operational behaviour end to end: private registries through pull secrets read from the
 * Kubernetes API, a registry outage (fail closed), and switching the mounted policy to warn mode.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OciPusher } from "../../../fixtures/admission/oci";
import { startRegistry, type RegistryFixture } from "../../../fixtures/admission/registry";
import { signLegacy } from "../../../fixtures/admission/sign";
import { kubectl, type Json } from "../server/support/fake-apiserver";
import { startE2e, type E2e } from "../server/support/e2e";
import { podSpec, review, workload } from "../../../fixtures/admission/reviews";
import { eventually } from "../server/support/server";

let e: E2e;
let priv: RegistryFixture;
let privOci: OciPusher;
let outage: RegistryFixture;
let outageStopped = false;
const creds = { username: "puller", password: "s3cret-pw" };

beforeAll(async () => {
    priv = await startRegistry({ tls: true, auth: creds });
    privOci = new OciPusher(priv);
    outage = await startRegistry();
    e = await startE2e({ images: () => [`${priv.host}/ml/**`, `${outage.host}/ml/**`], extraRegistries: [outage], caCertificates: [priv.caPem!] });
    e.api.objects.set(
        "/api/v1/namespaces/models/secrets/privcred",
        kubectl("secret", "docker-registry", "privcred", "-n", "models", `--docker-server=${priv.host}`, `--docker-username=${creds.username}`, `--docker-password=${creds.password}`),
    );
    const runner = kubectl("serviceaccount", "runner", "-n", "models");
    runner["imagePullSecrets"] = [{ name: "privcred" }];
    e.api.objects.set("/api/v1/namespaces/models/serviceaccounts/runner", runner);
});
afterAll(async () => {
    await e?.stop();
    await privOci?.close();
    await priv?.stop();
    if (!outageStopped) await outage?.stop();
});

async function pushSigned(oci: OciPusher, reg: RegistryFixture, repo: string): Promise<string> {
    const img = await oci.pushImage(repo);
    await signLegacy(oci, reg.host, repo, img.digest, e.key);
    return img.reference;
}

describe("private registry credentials come from the cluster", () => {
    let ref: string;
    beforeAll(async () => {
        ref = await pushSigned(privOci, priv, "ml/private");
    });

    it("uses the service account's imagePullSecrets", async () => {
        const r = await e.validate(review("Deployment", workload("Deployment", podSpec({ containers: [ref] }, { serviceAccountName: "runner" }))));
        expect(r).toMatchObject({ allowed: true, status: { message: "every image verified by policy models" } });
        expect(e.api.requests).toContain("/api/v1/namespaces/models/secrets/privcred");
    });

    it("uses the pod's own imagePullSecrets", async () => {
        const other = await pushSigned(privOci, priv, "ml/private2");
        const r = await e.validate(review("Pod", workload("Pod", podSpec({ containers: [other] }, { imagePullSecrets: [{ name: "privcred" }] }))));
        expect(r.allowed).toBe(true);
    });

    it("without credentials the registry refuses and the pod is denied", async () => {
        const other = await pushSigned(privOci, priv, "ml/private3");
        const r = await e.validate(review("Pod", workload("Pod", podSpec({ containers: [other] }))));
        expect(r.allowed).toBe(false);
        expect(r.status?.message).toContain(`spec.containers[0].image: ${other}: `);
        expect(lastDecision()["reason"]).toBe("registry-error");
    });
});

describe("registry outage", () => {
    it("denies (fail closed) a digest it cannot verify, and counts the registry error", async () => {
        const outageOci = new OciPusher(outage);
        const before = await pushSigned(outageOci, outage, "ml/up");
        const after = await pushSigned(outageOci, outage, "ml/down");
        await outageOci.close();
        expect((await e.validate(review("Pod", workload("Pod", podSpec({ containers: [before] }))))).allowed).toBe(true);
        await outage.stop();
        outageStopped = true;
        const r = await e.validate(review("Pod", workload("Pod", podSpec({ containers: [after] }))));
        expect(r.allowed).toBe(false);
        expect(r.status?.message).toContain(`spec.containers[0].image: ${after}: `);
        expect(lastDecision()).toMatchObject({ result: "denied", reason: "registry-error" });
        expect(await e.metrics.registry.metrics()).toMatch(/aiguard_webhook_registry_errors_total\{code="[a-z-]+"\} [1-9]/);
    });
});

describe("warn mode", () => {
    it("after the mounted policy switches to warn, unsigned images are admitted with warnings", async () => {
        const img = await e.oci.pushImage("ml/unsigned-warn");
        const pod = review("Pod", workload("Pod", podSpec({ containers: [img.reference] })));
        expect((await e.validate(pod)).allowed).toBe(false);
        e.web.policy.update({ "policy.yaml": e.policyYaml({ mode: "warn" }) });
        await eventually(async () => (await e.validate(pod)).allowed, 10_000);
        const r = await e.validate(pod);
        expect(r.status).toEqual({ code: 200, message: "every image verified by policy models" });
        expect(r.warnings).toHaveLength(1);
        expect(r.warnings![0]).toMatch(new RegExp(`^aiguard \\(warn, policy models\\): spec\\.containers\\[0\\]\\.image: ${img.reference.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `));
        expect(lastDecision()).toMatchObject({ result: "warned", reason: "no-signature", allowed: true });
        expect(await e.metrics.registry.metrics()).toContain("aiguard_webhook_policy_reloads_total 2");
    });
});

function lastDecision(): Json {
    return [...e.web.logs].reverse().find((l) => l["msg"] === "admission decision") ?? {};
}
