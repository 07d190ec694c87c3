/**
 * Prometheus metrics of the webhook (prom-client), on a registry of its own so several servers
 * (tests, benchmarks) can live in one process. Served at `GET /metrics`.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { DecisionResult } from "./admit";

export const METRIC_PREFIX = "aiguard_webhook_";

export class WebhookMetrics {
    readonly registry = new Registry();
    /** `aiguard_webhook_decisions_total{result,reason}`: one per answered AdmissionReview. */
    readonly decisions: Counter<"result" | "reason">;
    /** `aiguard_webhook_request_duration_seconds{result}`: time to answer `/validate`. */
    readonly latency: Histogram<"result">;
    /** `aiguard_webhook_image_violations_total{code,mode}`: every failing image, by code and enforce/warn. */
    readonly violations: Counter<"code" | "mode">;
    /** `aiguard_webhook_cache_hits_total`: image verifications answered from the engine's cache. */
    readonly cacheHits: Counter;
    /** `aiguard_webhook_registry_errors_total{code}`: failed registry verifications, by the engine's registry error code. */
    readonly registryErrors: Counter<"code">;
    /** `aiguard_webhook_policy_reloads_total`: successful policy (re)loads, the first load included. */
    readonly policyReloads: Counter;
    /** `aiguard_webhook_policy_load_errors_total`: rejected policy files (the last good policy stays). */
    readonly policyLoadErrors: Counter;
    /** `aiguard_webhook_policy_loaded`: 1 while a policy is loaded. */
    readonly policyLoaded: Gauge;
    /** `aiguard_webhook_certificate_reloads_total{result}`: serving certificate reloads (success/failure). */
    readonly certReloads: Counter<"result">;
    /** `aiguard_webhook_bad_requests_total{status}`: requests rejected before a decision (400, 404, 405, 413, 415). */
    readonly badRequests: Counter<"status">;

    constructor(options: { readonly defaultMetrics?: boolean } = {}) {
        const registers = [this.registry];
        const p = METRIC_PREFIX;
        this.decisions = new Counter({ name: `${p}decisions_total`, help: "Admission decisions by result and primary reason code.", labelNames: ["result", "reason"], registers });
        this.latency = new Histogram({
            name: `${p}request_duration_seconds`,
            help: "Time to answer an admission review.",
            labelNames: ["result"],
            buckets: [0.00025, 0.0005, 0.001, 0.0015, 0.002, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 8, 10],
            registers,
        });
        this.violations = new Counter({ name: `${p}image_violations_total`, help: "Failing images by violation code and mode.", labelNames: ["code", "mode"], registers });
        this.cacheHits = new Counter({ name: `${p}cache_hits_total`, help: "Image verifications answered from cache.", registers });
        this.registryErrors = new Counter({ name: `${p}registry_errors_total`, help: "Image verifications that failed on registry I/O, by error code.", labelNames: ["code"], registers });
        this.policyReloads = new Counter({ name: `${p}policy_reloads_total`, help: "Successful trust policy loads.", registers });
        this.policyLoadErrors = new Counter({ name: `${p}policy_load_errors_total`, help: "Trust policy files that failed to load.", registers });
        this.policyLoaded = new Gauge({ name: `${p}policy_loaded`, help: "1 when a trust policy is loaded.", registers });
        this.certReloads = new Counter({ name: `${p}certificate_reloads_total`, help: "Serving certificate reloads.", labelNames: ["result"], registers });
        this.badRequests = new Counter({ name: `${p}bad_requests_total`, help: "Requests rejected before a decision, by HTTP status.", labelNames: ["status"], registers });
        if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: p });
    }

    /** Record one decision. */
    observe(result: DecisionResult, reason: string, seconds: number, detail: { violations: readonly { code: string }[]; warnings: readonly { code: string }[]; cacheHits: number }): void {
        this.decisions.inc({ result, reason });
        this.latency.observe({ result }, seconds);
        for (const v of detail.violations) this.violations.inc({ code: v.code, mode: "enforce" });
        for (const v of detail.warnings) this.violations.inc({ code: v.code, mode: "warn" });
        if (detail.cacheHits > 0) this.cacheHits.inc(detail.cacheHits);
    }
}
