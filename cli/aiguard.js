#!/usr/bin/env node
/*
 * Launcher of the `aiguard` CLI (package.json "bin"). It runs on whatever Node started it (the
 * consumer's own: aiguard installs no Node of its own) and needs Node >= 22.19 (its dependencies
 * do); an older Node gets one error line and the fix.
 *
 * An installed aiguard runs its compiled JavaScript (dist/cli/main.js, built by the `prepare`
 * script). A checkout, which has cli/main.ts beside this file, runs the sources through tsx (a
 * devDependency), so edits take effect without a build.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const MINIMUM = [22, 19];
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < MINIMUM[0] || (major === MINIMUM[0] && minor < MINIMUM[1])) {
    process.stderr.write(
        `aiguard: error: Node ${process.versions.node} (${process.execPath}) is too old; aiguard needs Node >= ${MINIMUM.join(".")}\n` +
            `  fix: install Node ${MINIMUM.join(".")} or later (Node 24 LTS recommended) and put it first on PATH; \`node --version\` shows which one runs\n`,
    );
    process.exit(2);
}

// A reader that stops early (`aiguard ... | head`) closes the pipe: stop quietly, like other CLIs.
for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err) => {
        if (err && err.code === "EPIPE") process.exit(0);
        throw err;
    });
}

function loadMain() {
    const source = path.join(__dirname, "main.ts");
    if (fs.existsSync(source)) {
        require("tsx/cjs/api").register();
        return require(source);
    }
    const compiled = path.join(__dirname, "..", "dist", "cli", "main.js");
    if (!fs.existsSync(compiled)) {
        process.stderr.write(
            `aiguard: error: the compiled CLI is missing (${compiled})\n` +
                "  fix: reinstall aiguard from git or from a tarball made by `npm pack` (its prepare script compiles dist/)\n",
        );
        process.exit(2);
    }
    return require(compiled);
}

loadMain()
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
