/*
 * Entry of the child process that runs a user's Pulumi program for `aiguard check`
 * (offline/program-host.ts), when aiguard runs from its sources (a checkout; the compiled package
 * has dist/offline/program-host.js, the compiled host, in this file's place). aiguard's own
 * TypeScript is loaded through tsx, which is then
 * unregistered, so that the program's modules load exactly as under Pulumi's Node language host
 * (its vendored ts-node, closure serialization intact) and not through tsx.
 */
"use strict";
const unregister = require("tsx/cjs/api").register();
let host;
try {
    host = require("./program-host.ts");
} finally {
    unregister();
}
host.main();
