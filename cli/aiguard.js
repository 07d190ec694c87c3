#!/usr/bin/env node
/*
 * Launcher of the `aiguard` CLI (package.json "bin"): runs cli/main.ts through tsx, in process.
 *
 * aiguard needs Node >= 22.19 (its dependencies do). npm scripts and `npx aiguard` put
 * node_modules/.bin first on PATH, where the `node` package provides Node 24; when started by an
 * older Node anyway, this launcher re-runs itself with that bundled Node if it is installed.
 */
"use strict";
const path = require("node:path");
const fs = require("node:fs");

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
    const bundled = path.join(__dirname, "..", "node_modules", "node", "bin", "node");
    if (fs.existsSync(bundled) && process.env.AIGUARD_REEXEC !== "1") {
        const { spawnSync } = require("node:child_process");
        const r = spawnSync(bundled, [__filename, ...process.argv.slice(2)], { stdio: "inherit", env: { ...process.env, AIGUARD_REEXEC: "1" } });
        process.exit(r.status === null ? 2 : r.status);
    }
    process.stderr.write(`aiguard: error: Node ${process.versions.node} is too old; aiguard needs Node >= 22.19\n  fix: run it through npm (npx aiguard, npm start), which uses the project's Node 24\n`);
    process.exit(2);
}

// A reader that stops early (`aiguard ... | head`) closes the pipe: stop quietly, like other CLIs.
for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err) => {
        if (err && err.code === "EPIPE") process.exit(0);
        throw err;
    });
}
require("tsx/cjs/api").register();
require("./main.ts")
    .run(process.argv.slice(2))
    .then((code) => {
        // Exit once stdout and stderr are flushed (writes to a pipe complete asynchronously, and a
        // large SARIF document would be cut short), without waiting for idle handles of the Pulumi SDK.
        process.exitCode = code;
        let pending = 2;
        const done = () => {
            if (--pending === 0) process.exit(code);
        };
        process.stdout.write("", done);
        process.stderr.write("", done);
    });
