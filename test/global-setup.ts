/**
 * Runs once before any test file: compiles the policy pack to `policies/bin`, so that every test
 * that starts the pack (as the Pulumi CLI does) loads the current sources, and no two test files
 * rebuild it at the same time.
 */
import { buildPack } from "../offline/analyzer-client";

export default function setup(): void {
    const t0 = Date.now();
    buildPack();
    console.log(`global setup: policy pack compiled in ${Date.now() - t0} ms`);
}
