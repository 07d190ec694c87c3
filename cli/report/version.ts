/** aiguard's version, from the repository's package.json. */
import * as fs from "node:fs";
import * as path from "node:path";

export const TOOL_VERSION: string = (JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string }).version;
