/**
 * Registry authentication: picking credentials per registry host, parsing `WWW-Authenticate`
 * challenges, and the Distribution token flow (`Bearer realm=...,service=...,scope=...` → a token
 * request authenticated with basic credentials or an identity (refresh) token).
 */
import type { RegistryCredential } from "../types";
import { normaliseRegistryHost } from "../../../common/image-reference";

/** One parsed `WWW-Authenticate` challenge. */
export interface AuthChallenge {
    readonly scheme: "basic" | "bearer";
    readonly params: Readonly<Record<string, string>>;
}

/**
 * Parses a `WWW-Authenticate` header (`Bearer realm="https://auth",service="reg",scope="repository:x:pull"`
 * or `Basic realm="..."`). Returns undefined for schemes other than Basic and Bearer.
 */
export function parseChallenge(header: string | null): AuthChallenge | undefined {
    if (header === null) return undefined;
    const match = /^\s*([A-Za-z]+)\s*(.*)$/s.exec(header);
    if (match === null) return undefined;
    const scheme = match[1]!.toLowerCase();
    if (scheme !== "basic" && scheme !== "bearer") return undefined;
    const params: Record<string, string> = {};
    const re = /([A-Za-z_][A-Za-z0-9_-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?\s*/g;
    let m: RegExpExecArray | null;
    const rest = match[2] ?? "";
    while ((m = re.exec(rest)) !== null) {
        if (m[0] === "") break;
        params[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : (m[3] ?? "");
    }
    return { scheme, params };
}

/** The first credential whose registry (normalised) equals `registry`; the list is most specific first. */
export function credentialFor(credentials: readonly RegistryCredential[], registry: string): RegistryCredential | undefined {
    const host = normaliseRegistryHost(registry);
    return credentials.find((c) => normaliseRegistryHost(c.registry) === host);
}

/** `Authorization: Basic ...` for a credential with username and password. */
export function basicAuthorization(credential: RegistryCredential | undefined): string | undefined {
    if (credential?.username === undefined || credential.password === undefined) return undefined;
    return `Basic ${Buffer.from(`${credential.username}:${credential.password}`, "utf8").toString("base64")}`;
}

/** The token-endpoint response fields the flow reads. */
export interface TokenResponse {
    readonly token?: string;
    readonly access_token?: string;
    readonly expires_in?: number;
}

/** Extracts the token from a token-endpoint response; undefined when neither field is a non-empty string. */
export function tokenFrom(body: unknown): { token: string; expiresInSeconds: number } | undefined {
    if (typeof body !== "object" || body === null) return undefined;
    const r = body as TokenResponse;
    const token = typeof r.token === "string" && r.token !== "" ? r.token : typeof r.access_token === "string" && r.access_token !== "" ? r.access_token : undefined;
    if (token === undefined) return undefined;
    const expires = typeof r.expires_in === "number" && r.expires_in > 0 ? r.expires_in : 60;
    return { token, expiresInSeconds: expires };
}

/** The pull scope for a repository (`repository:<name>:pull`). */
export function pullScope(repository: string): string {
    return `repository:${repository}:pull`;
}
