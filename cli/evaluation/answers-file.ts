/**
 * The answers file (`aiguard check --answers <file>`): offline results for the provider functions
 * (lookups) a program calls, for the ones a team wants answered rather than left unknown: AMI IDs,
 * VPC and subnet IDs, hosted zones, SSM parameters. YAML or JSON:
 *
 *   version: 1
 *   lookups:
 *     - function: aws.ec2.getAmi              # as the program spells it (getAmiOutput too), or the
 *                                             # token aws:ec2/getAmi:getAmi
 *       where: { owners: ["amazon"] }         # optional: argument values the call must have
 *       result: { id: ami-0123456789abcdef0, architecture: x86_64 }
 *
 * The first entry whose function and `where` match answers the call. A call nobody answers
 * resolves to an unknown value and is named in the run's notes.
 */
import * as fs from "node:fs";
import Ajv from "ajv";
import * as YAML from "yaml";
import { describeError } from "../../common/errors";
import { functionToken, type LookupAnswer } from "../../offline/lookups";
import { UsageError } from "../errors";

const SCHEMA = {
    type: "object",
    additionalProperties: false,
    required: ["version", "lookups"],
    properties: {
        version: { const: 1 },
        lookups: {
            type: "array",
            items: {
                type: "object",
                additionalProperties: false,
                required: ["function", "result"],
                properties: {
                    function: { type: "string", pattern: "^(?:[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_]+)+|[A-Za-z0-9_-]+:[^\\s]+)$" },
                    where: { type: "object" },
                    result: { type: "object" },
                },
            },
        },
    },
} as const;

const validate = new Ajv({ allErrors: true }).compile(SCHEMA);

const FIX = "see `aiguard check --help`: {version: 1, lookups: [{function: aws.ec2.getAmi, where: {...}, result: {id: ...}}]}";

/** Reads and validates an answers file. Throws {@link UsageError} naming the first problem. */
export function readAnswersFile(file: string): LookupAnswer[] {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new UsageError(`cannot read --answers file ${file}: ${describeError(err)}`, "pass an existing YAML or JSON answers file");
    }
    let doc: unknown;
    try {
        doc = YAML.parse(text);
    } catch (err) {
        throw new UsageError(`--answers file ${file} is not valid YAML or JSON: ${describeError(err)}`, FIX);
    }
    if (!validate(doc)) {
        const e = validate.errors![0]!;
        throw new UsageError(`--answers file ${file}: ${e.instancePath || "(top level)"} ${e.message}${e.params && "allowedValue" in e.params ? ` (${JSON.stringify(e.params.allowedValue)})` : ""}`, FIX);
    }
    const lookups = (doc as { lookups: { function: string; where?: Record<string, unknown>; result: Record<string, unknown> }[] }).lookups;
    return lookups.map((l) => ({ token: functionToken(l.function), ...(l.where ? { where: l.where } : {}), result: l.result }));
}
