/**
 * Decoding of image pull secrets into registry credentials: `kubernetes.io/dockerconfigjson`
 * (`.dockerconfigjson` = `{"auths": {host: entry}}`) and the legacy `kubernetes.io/dockercfg`
 * (`.dockercfg` = `{host: entry}`). An entry has `username`/`password`, or `auth` =
 * base64(`user:password`), and optionally `identitytoken`/`registrytoken`.
 */
import type { RegistryCredential } from "../../verification/types";
import { isJsonObject, type JsonObject } from "../json";

export const DOCKER_CONFIG_JSON_TYPE = "kubernetes.io/dockerconfigjson";
export const DOCKER_CFG_TYPE = "kubernetes.io/dockercfg";

/** A pull secret that cannot be decoded; the message names the secret and the fix. */
export class PullSecretError extends Error {
    override readonly name = "PullSecretError";
}

/**
 * Decode the JSON text of a docker config (either format) into credentials, one per registry host,
 * in the file's order. `source` names the secret in error messages.
 * @throws PullSecretError on invalid JSON or a malformed entry.
 */
export function decodeDockerConfig(text: string, format: "dockerconfigjson" | "dockercfg", source: string): RegistryCredential[] {
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        throw new PullSecretError(`${source}: the docker config is not valid JSON; recreate it with \`kubectl create secret docker-registry\``);
    }
    if (!isJsonObject(parsed)) throw new PullSecretError(`${source}: the docker config must be a JSON object`);
    let auths: JsonObject = parsed;
    if (format === "dockerconfigjson") {
        const a = parsed["auths"];
        if (a === undefined) return [];
        if (!isJsonObject(a)) throw new PullSecretError(`${source}: "auths" must be an object of registry host to credentials`);
        auths = a;
    }
    const out: RegistryCredential[] = [];
    for (const [registry, entry] of Object.entries(auths)) {
        if (!isJsonObject(entry)) throw new PullSecretError(`${source}: the entry for ${registry} must be an object`);
        out.push(decodeEntry(registry, entry, source));
    }
    return out;
}

function decodeEntry(registry: string, entry: JsonObject, source: string): RegistryCredential {
    const text = (key: string): string | undefined => {
        const v = entry[key];
        if (v === undefined || v === null || v === "") return undefined;
        if (typeof v !== "string") throw new PullSecretError(`${source}: ${registry}.${key} must be a string`);
        return v;
    };
    let username = text("username");
    let password = text("password");
    const auth = text("auth");
    if (auth !== undefined && (username === undefined || password === undefined)) {
        const decoded = Buffer.from(auth, "base64").toString("utf8");
        const colon = decoded.indexOf(":");
        if (colon <= 0) throw new PullSecretError(`${source}: ${registry}.auth must be base64 of "username:password"`);
        username = decoded.slice(0, colon);
        password = decoded.slice(colon + 1);
    }
    const identityToken = text("identitytoken") ?? text("registrytoken");
    return {
        registry,
        ...(username !== undefined ? { username } : {}),
        ...(password !== undefined ? { password } : {}),
        ...(identityToken !== undefined ? { identityToken } : {}),
    };
}

/**
 * Credentials from a Secret's `type` and base64 `data`. Returns `undefined` for a Secret that is not
 * a docker registry secret (the kubelet ignores those too).
 */
export function credentialsFromSecret(
    type: string | undefined,
    data: Readonly<Record<string, string>> | undefined,
    source: string,
): RegistryCredential[] | undefined {
    const pick = (key: string): string => {
        const b64 = data?.[key];
        if (b64 === undefined) throw new PullSecretError(`${source}: a ${type} secret must have data["${key}"]`);
        return Buffer.from(b64, "base64").toString("utf8");
    };
    if (type === DOCKER_CONFIG_JSON_TYPE) return decodeDockerConfig(pick(".dockerconfigjson"), "dockerconfigjson", source);
    if (type === DOCKER_CFG_TYPE) return decodeDockerConfig(pick(".dockercfg"), "dockercfg", source);
    return undefined;
}
