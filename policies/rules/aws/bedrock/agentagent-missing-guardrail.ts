/** Bedrock agents must apply a guardrail. */
import * as aws from "@pulumi/aws";
import { UNKNOWN, resourceRule } from "../../../framework/rule";
import { asList, get } from "../../../framework/values";
import { isKnownMissing, skipsWhenUnknown } from "../../../framework/values";

export const bedrockAgentMissingGuardrail = resourceRule({
    name: "aws-bedrock-agentagent-missing-guardrail",
    description:
        "Bedrock agents must attach a guardrail (`guardrailConfigurations` with a `guardrailIdentifier` and `guardrailVersion`), so prompts and responses are filtered for denied topics, prompt attacks and sensitive information before the agent acts on them.",
    clauses: ["DP-5", "OM-2", "SD-3", "P2", "P12"],
    severity: "high",
    enforcementLevel: "mandatory",
    classes: [aws.bedrock.AgentAgent],
    remediationSteps: "Create an `aws.bedrock.Guardrail` and a `GuardrailVersion`, and set `guardrailConfigurations: [{ guardrailIdentifier: guardrail.guardrailId, guardrailVersion: version.version }]` on the agent.",
    url: "https://docs.aws.amazon.com/bedrock/latest/userguide/agents-guardrail.html",
    onUnknown: skipsWhenUnknown("`guardrailConfigurations` (or its identifier or version)"),
    check({ props }) {
        const list = asList(props.guardrailConfigurations);
        if (list === UNKNOWN) return [];
        const complete = list.some((g) => !isKnownMissing(get(g, "guardrailIdentifier")) && !isKnownMissing(get(g, "guardrailVersion")));
        return complete ? [] : [{ message: "no guardrailConfigurations entry with both guardrailIdentifier and guardrailVersion; the agent runs without a guardrail" }];
    },
});
