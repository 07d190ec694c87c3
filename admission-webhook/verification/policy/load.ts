/**
 * Loads an `ImageTrustPolicy` (YAML or JSON) into a {@link TrustPolicy}: structural validation,
 * then compilation of globs, public keys, identity regexes and sigstore trust roots, with
 * cross-field checks (a key authority that requires the transparency log needs a trust root with
 * Rekor keys, and so on). Loading is the only place that reads files; verification later is pure
 * with respect to the policy.
 */
import { createHash, createPublicKey, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { TrustedRoot } from "@sigstore/protobuf-specs";
import { parse as parseYaml } from "yaml";
import { describeError, PolicyLoadError } from "../errors";
import { compileGlob, globProblem } from "./image-glob";
import { validateDocument, type RawAuthority, type RawPolicy } from "./schema";
import type { Authority, CompiledPolicy, IdentityMatcher, KeyAuthority, TrustPolicy } from "./types";

/** Options for {@link loadPolicy}. */
export interface LoadPolicyOptions {
    /** Directory that relative `trustedRoot` paths are resolved against. Default: the process cwd. */
    readonly baseDir?: string;
}

/** Reads and loads a policy file; relative `trustedRoot` paths resolve against the file's directory. */
export function loadPolicyFile(path: string): TrustPolicy {
    let text: string;
    try {
        text = readFileSync(path, "utf8");
    } catch (err) {
        throw new PolicyLoadError("io", "", `cannot read trust policy file ${path}: ${describeError(err)}`, { cause: err });
    }
    return loadPolicy(text, { baseDir: dirname(resolve(path)) });
}

/** Parses and validates policy text (YAML or JSON) or an already-parsed object. Throws {@link PolicyLoadError}. */
export function loadPolicy(source: string | object, options: LoadPolicyOptions = {}): TrustPolicy {
    let raw: unknown = source;
    if (typeof source === "string") {
        try {
            raw = parseYaml(source, { uniqueKeys: true, prettyErrors: true });
        } catch (err) {
            throw new PolicyLoadError("syntax", "", `trust policy is not valid YAML/JSON: ${describeError(err)}`, { cause: err });
        }
    }
    const doc = validateDocument(raw);
    const policies = doc.policies.map((p, i) => compilePolicy(p, `policies[${i}]`, options.baseDir ?? process.cwd()));
    const version = sha256(JSON.stringify({ noMatch: doc.noMatch, policies: policies.map((p) => p.version) }));
    return { noMatch: doc.noMatch, policies, version };
}

function compilePolicy(raw: RawPolicy, path: string, baseDir: string): CompiledPolicy {
    const images = raw.images.map((pattern, i) => {
        const problem = globProblem(pattern);
        if (problem !== undefined) throw new PolicyLoadError("schema", `${path}.images[${i}]`, `glob ${JSON.stringify(pattern)} ${problem}`);
        return compileGlob(pattern);
    });
    const authorities = raw.authorities.map((a, i) => compileAuthority(a, `${path}.authorities[${i}]`));
    const trustedRootJson = raw.trustedRoot === undefined ? undefined : readTrustedRoot(raw.trustedRoot, `${path}.trustedRoot`, baseDir);
    const trustedRoot = trustedRootJson === undefined ? undefined : parseTrustedRoot(trustedRootJson, `${path}.trustedRoot`);
    authorities.forEach((a, i) => checkTrustNeeds(a, trustedRoot, `${path}.authorities[${i}]`));
    const version = sha256(JSON.stringify({
        name: raw.name,
        mode: raw.mode,
        selector: raw.namespaceSelector,
        images: images.map((g) => g.pattern),
        authorities: raw.authorities,
        trustedRoot: trustedRootJson ?? null,
        formats: raw.signatureFormats,
    }));
    return {
        name: raw.name,
        mode: raw.mode,
        namespaceSelector: raw.namespaceSelector,
        images,
        authorities,
        ...(trustedRoot !== undefined ? { trustedRoot } : {}),
        signatureFormats: raw.signatureFormats,
        version,
    };
}

function compileAuthority(raw: RawAuthority, path: string): Authority {
    if ("key" in raw) {
        const { publicKey, algorithm } = parsePublicKey(raw.key.pem, `${path}.key.pem`);
        return { kind: "key", name: raw.name, publicKey, pem: raw.key.pem.replace(/\r\n/g, "\n").trim(), algorithm, ignoreTlog: raw.key.ignoreTlog };
    }
    const k = raw.keyless;
    return {
        kind: "keyless",
        name: raw.name,
        issuer: matcher(k.issuer, k.issuerRegExp, `${path}.keyless.issuerRegExp`),
        subject: matcher(k.subject, k.subjectRegExp, `${path}.keyless.subjectRegExp`),
        ignoreTlog: k.ignoreTlog,
        ignoreSct: k.ignoreSct,
    };
}

/** Parses an SPKI PEM public key; only ECDSA P-256/P-384 and Ed25519 are accepted. */
export function parsePublicKey(pem: string, path: string): { publicKey: KeyObject; algorithm: KeyAuthority["algorithm"] } {
    if (!pem.includes("-----BEGIN PUBLIC KEY-----")) {
        throw new PolicyLoadError("key", path, "must be a PEM public key (`-----BEGIN PUBLIC KEY-----`, e.g. the cosign.pub written by `cosign generate-key-pair`)");
    }
    let publicKey: KeyObject;
    try {
        publicKey = createPublicKey({ key: pem, format: "pem" });
    } catch (err) {
        throw new PolicyLoadError("key", path, `is not a readable PEM public key (${describeError(err)}): paste the whole cosign.pub including the BEGIN/END lines`, { cause: err });
    }
    const type = publicKey.asymmetricKeyType;
    const curve = publicKey.asymmetricKeyDetails?.namedCurve;
    if (type === "ec" && curve === "prime256v1") return { publicKey, algorithm: "ecdsa-p256" };
    if (type === "ec" && curve === "secp384r1") return { publicKey, algorithm: "ecdsa-p384" };
    if (type === "ed25519") return { publicKey, algorithm: "ed25519" };
    throw new PolicyLoadError("key", path, `has unsupported key type ${type}${curve ? ` (${curve})` : ""}: use ECDSA P-256 (cosign's default), P-384 or Ed25519`);
}

/**
 * Identity regexes must be written fully anchored (`^...$`): an unanchored pattern would accept
 * any identity that merely contains it (policy-controller/cosign advisories). They are rejected,
 * not silently anchored, so that the file says what it means; the compiled form is additionally
 * wrapped as `^(?:...)$` so that alternations like `^a|b$` cannot escape the anchors.
 */
function matcher(exact: string | undefined, pattern: string | undefined, path: string): IdentityMatcher {
    if (exact !== undefined) return { kind: "exact", value: exact };
    const source = pattern!;
    if (!source.startsWith("^") || !source.endsWith("$") || source.endsWith("\\$")) {
        throw new PolicyLoadError("regexp", path, `${JSON.stringify(source)} is not anchored: write it as ${JSON.stringify(`^${source.replace(/^\^/, "").replace(/\$$/, "")}$`)} so it must match the whole identity`);
    }
    try {
        return { kind: "regexp", source, regexp: new RegExp(`^(?:${source})$`, "u") };
    } catch (err) {
        throw new PolicyLoadError("regexp", path, `is not a valid regular expression: ${describeError(err)}`, { cause: err });
    }
}

function readTrustedRoot(value: string | Record<string, unknown>, path: string, baseDir: string): unknown {
    if (typeof value !== "string") return value;
    if (value.trimStart().startsWith("{")) return parseJson(value, path);
    const file = isAbsolute(value) ? value : resolve(baseDir, value);
    try {
        return parseJson(readFileSync(file, "utf8"), path);
    } catch (err) {
        if (err instanceof PolicyLoadError) throw err;
        throw new PolicyLoadError("io", path, `cannot read trusted root ${file}: ${describeError(err)}`, { cause: err });
    }
}

function parseJson(text: string, path: string): unknown {
    try {
        return JSON.parse(text);
    } catch (err) {
        throw new PolicyLoadError("trusted-root", path, `is not valid JSON: ${describeError(err)}`, { cause: err });
    }
}

function parseTrustedRoot(json: unknown, path: string): TrustedRoot {
    const fix = "use a sigstore trusted_root.json (media type application/vnd.dev.sigstore.trustedroot+json;version=0.1)";
    if (typeof json !== "object" || json === null || typeof (json as { mediaType?: unknown }).mediaType !== "string") {
        throw new PolicyLoadError("trusted-root", path, `has no mediaType: ${fix}`);
    }
    try {
        return TrustedRoot.fromJSON(json);
    } catch (err) {
        throw new PolicyLoadError("trusted-root", path, `cannot be parsed: ${describeError(err)}; ${fix}`, { cause: err });
    }
}

function checkTrustNeeds(a: Authority, root: TrustedRoot | undefined, path: string): void {
    const needRoot = (what: string, field: string, has: boolean) => {
        if (!has) throw new PolicyLoadError("trusted-root", path, `needs ${what} in the policy's trustedRoot (\`${field}\`): add a trusted root that has them${a.kind === "key" ? ", or set key.ignoreTlog: true to accept signatures without a transparency-log entry" : ""}`);
    };
    if (!a.ignoreTlog) needRoot("transparency-log (Rekor) keys", "tlogs", (root?.tlogs.length ?? 0) > 0);
    if (a.kind === "keyless") {
        needRoot("certificate authorities (Fulcio)", "certificateAuthorities", (root?.certificateAuthorities.length ?? 0) > 0);
        if (!a.ignoreSct) needRoot("certificate-transparency log keys", "ctlogs", (root?.ctlogs.length ?? 0) > 0);
        if (a.ignoreTlog) needRoot("timestamp authorities (keyless signatures without a tlog entry need a signed timestamp)", "timestampAuthorities", (root?.timestampAuthorities.length ?? 0) > 0);
    }
}

function sha256(text: string): string {
    return createHash("sha256").update(text).digest("hex");
}
