/** Validation against the official SARIF 2.1.0 schema (vendored in fixtures/, never fetched). */
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { FIXTURES } from "./support";

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(FIXTURES, "sarif-schema-2.1.0.json"), "utf8")));

/** Validates a SARIF log; returns the schema errors (empty when valid). */
export function sarifErrors(log: unknown): string[] {
    return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
