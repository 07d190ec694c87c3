import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: ["test/**/*.test.ts"],
        pool: "forks",
        testTimeout: 60_000,
        hookTimeout: 120_000,
        // Pulumi's runtime keeps global state: each test file runs in its own process.
        isolate: true,
        globalSetup: ["test/global-setup.ts"],
        reporters: ["default", "./test/summary-reporter.ts"],
    },
});
