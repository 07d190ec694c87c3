/** aiguard's version, from its package.json (a checkout's or the installed package's). */
import * as fs from "node:fs";
import * as path from "node:path";
import { PACKAGE_ROOT } from "../../offline/package-root";

export const TOOL_VERSION: string = (JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;
