/**
 * The containers of an ECS task definition. `containerDefinitions` is a JSON string (often built
 * with outputs: an ECR repository URL, a secret ARN); a document that embeds unknown values still
 * parses and its known parts are judged (`parseJsonDocument`).
 */
import * as aws from "@pulumi/aws";
import { typeToken, UNKNOWN, type Finding, type RuleResource } from "../../../framework/rule";
import { parseJsonDocument } from "../../../framework/values";

export const TASK_DEFINITION_TYPE = typeToken(aws.ecs.TaskDefinition);

/** One container definition (as ECS's JSON spells it), with its position for messages. */
export interface Container {
    readonly at: string;
    readonly def: Readonly<Record<string, unknown>>;
}

/** The task definition's containers; or findings saying why they cannot be judged (undecided when unknown, a violation when unreadable). */
export function containersOf(r: RuleResource<{ readonly containerDefinitions?: unknown }>): { containers: Container[] } | { findings: Finding[] } {
    const doc = r.props.containerDefinitions;
    if (doc === undefined || doc === null) return { containers: [] };
    const json = parseJsonDocument(doc);
    if (!json.ok) {
        return { findings: [json.unknown ? { undecided: true, message: "containerDefinitions are not known yet" } : { message: `containerDefinitions cannot be read: ${json.error}` }] };
    }
    if (json.value === UNKNOWN) return { findings: [{ undecided: true, message: "containerDefinitions are not known yet" }] };
    if (!Array.isArray(json.value)) return { findings: [{ message: "containerDefinitions is not a JSON array of container definitions" }] };
    return {
        containers: json.value.map((c, i) => {
            const def = (c && typeof c === "object" ? c : {}) as Record<string, unknown>;
            const name = typeof def.name === "string" ? ` ("${def.name}")` : "";
            return { at: `containerDefinitions[${i}]${name}`, def };
        }),
    };
}
