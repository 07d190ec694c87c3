/** A registry that accepts connections and never answers: the decision deadline denies (fail closed). */
import { afterAll, beforeAll, expect, it } from "vitest";
import { startHostileRegistry, type HostileRegistry } from "../fixtures/hostile";
import { startE2e, type E2e } from "../server/support/e2e";
import { podSpec, review, workload } from "../../../fixtures/admission/reviews";

let e: E2e;
let stall: HostileRegistry;

beforeAll(async () => {
    stall = await startHostileRegistry("stall");
    e = await startE2e({ images: () => [`${stall.host}/ml/**`], extraRegistries: [{ host: stall.host, insecure: true }], deadlineMs: 1_500 });
});
afterAll(async () => {
    await e?.stop();
    await stall?.stop();
});

it("denies with reason timeout when the registry stalls past --deadline-ms, well inside the webhook timeout", async () => {
    const image = `${stall.host}/ml/llm@sha256:${"d".repeat(64)}`;
    const t0 = Date.now();
    const r = await e.validate(review("Deployment", workload("Deployment", podSpec({ containers: [image] }))));
    const took = Date.now() - t0;
    expect(r).toMatchObject({ allowed: false, status: { code: 403 } });
    expect(r.status?.message).toBe(
        "aiguard could not verify the images within 1500 ms and denies by default (fail closed); retry, and check the registry's and the Kubernetes API's latency",
    );
    expect(took).toBeGreaterThanOrEqual(1_400);
    expect(took).toBeLessThan(5_000);
    expect(stall.requests.length).toBeGreaterThan(0);
    expect(await e.metrics.registry.metrics()).toContain('aiguard_webhook_decisions_total{result="error",reason="timeout"} 1');
});
