/**
 * Prints one plain closing line after vitest's own summary, in the form CI tooling reads:
 *   vitest: 2068 passed, 0 failed, 0 skipped
 */
import type { Reporter, TestModule } from "vitest/node";

export default class SummaryReporter implements Reporter {
    onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
        let passed = 0;
        let failed = 0;
        let skipped = 0;
        for (const m of testModules) {
            // A file that failed to load (or whose hooks failed) counts as a failure even with no tests.
            if (m.state() === "failed" && [...m.children.allTests()].length === 0) failed++;
            for (const t of m.children.allTests()) {
                const state = t.result().state;
                if (state === "passed") passed++;
                else if (state === "failed") failed++;
                else skipped++;
            }
        }
        failed += unhandledErrors.length;
        process.stdout.write(`\nvitest: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
    }
}
