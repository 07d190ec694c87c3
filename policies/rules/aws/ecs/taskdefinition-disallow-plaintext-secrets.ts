/** ECS task definitions must take secrets from Secrets Manager or SSM, not plaintext environment variables. */
import * as aws from "@pulumi/aws";
import { resourceRule, UNKNOWN, type Finding } from "../../../framework/rule";
import { asList, get, knownString } from "../../../framework/values";
import { containersOf } from "./containers";

/** Variable names that say the value is a credential. */
const SECRET_NAME = /(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API[_-]?KEY|ACCESS[_-]?KEY|PRIVATE[_-]?KEY|CREDENTIAL|AUTH[_-]?KEY|CONNECTION[_-]?STRING|DSN)/i;
/** Names that point at a secret rather than hold one (`DB_SECRET_ARN`, `TOKEN_URL`). */
const REFERENCE_SUFFIX = /[_-](ARN|ID|NAME|PATH|FILE|URL|URI|REGION|TTL|LENGTH|HEADER|ENDPOINT)$/i;

/** True for an environment variable name that names a credential. */
export function looksLikeSecret(name: string): boolean {
    return SECRET_NAME.test(name) && !REFERENCE_SUFFIX.test(name);
}

export const ecsTaskDefinitionDisallowPlaintextSecrets = resourceRule({
    name: "aws-ecs-taskdefinition-disallow-plaintext-secrets",
    description:
        "ECS task definitions must not put credentials (variables named like PASSWORD, SECRET, TOKEN, API_KEY, ACCESS_KEY, PRIVATE_KEY) in plaintext `environment` values. Those values are stored in the task definition, in the Pulumi state and in every describe call; model API keys and database passwords belong in `secrets` with `valueFrom` a Secrets Manager secret or SSM SecureString parameter.",
    clauses: ["DP-1", "DV-2", "P5", "P6"],
    severity: "high",
    enforcementLevel: "mandatory",
    classes: [aws.ecs.TaskDefinition],
    remediationSteps: "Move the variable from `environment` to `secrets: [{ name: \"<VAR>\", valueFrom: \"<Secrets Manager secret ARN or SSM parameter ARN>\" }]` and grant the task execution role `secretsmanager:GetSecretValue` (or `ssm:GetParameters`) on that ARN only.",
    url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html",
    onUnknown: "containerDefinitions that are unknown at preview, and a credential-named variable whose value is unknown, are reported as undecided; known variables are judged now.",
    check(r): Finding[] {
        const c = containersOf(r);
        if ("findings" in c) return c.findings;
        const findings: Finding[] = [];
        for (const { at, def } of c.containers) {
            const env = asList(def.environment);
            if (env === UNKNOWN) {
                findings.push({ undecided: true, message: `${at}: environment is not known yet` });
                continue;
            }
            env.forEach((e, i) => {
                const name = knownString(get(e, "name"));
                if (typeof name !== "string" || !looksLikeSecret(name)) return;
                const value = get(e, "value");
                const known = knownString(value);
                if (known === UNKNOWN) findings.push({ undecided: true, message: `${at}: environment[${i}] "${name}" has a value not known yet (a plaintext value if it resolves to one)` });
                else if (typeof known === "string" && known.length > 0) findings.push({ message: `${at}: environment[${i}] "${name}" holds a plaintext credential; take it from \`secrets\` (valueFrom Secrets Manager or SSM)` });
            });
        }
        return findings;
    },
});
