/**
 * Replay protection: a signature is only accepted for the image its signed content names.
 *
 * - Legacy simple-signing payload: `critical.type` must be `cosign container image signature`,
 *   `critical.image.docker-manifest-digest` must equal the verified digest, and
 *   `critical.identity.docker-reference` (normalised) must name the same repository.
 * - cosign v3 bundle: the DSSE payload type must be in-toto, the statement's predicateType must be
 *   cosign's image-signature predicate (`https://sigstore.dev/cosign/sign/v1`; attestations such
 *   as SLSA provenance are not signatures), and one subject's digest must equal the verified
 *   digest. cosign v3 records no repository in the statement, so bundles bind by digest only
 *   (a digest names content, so the same bytes under another repository are the same image).
 */
import { tryParseReference } from "../../../common/image-reference";
import { COSIGN_PAYLOAD_TYPE, COSIGN_SIGN_PREDICATE, IN_TOTO_PAYLOAD_TYPE } from "../registry/media";
import type { BindingFailure } from "./candidate";

const IN_TOTO_STATEMENTS = ["https://in-toto.io/Statement/v1", "https://in-toto.io/Statement/v0.1"];

function parse(bytes: Buffer): Record<string, unknown> | undefined {
    try {
        const v: unknown = JSON.parse(bytes.toString("utf8"));
        return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
    } catch {
        return undefined;
    }
}

function field(o: unknown, ...keys: string[]): unknown {
    let v = o;
    for (const k of keys) {
        if (typeof v !== "object" || v === null || !Object.hasOwn(v, k)) return undefined;
        v = (v as Record<string, unknown>)[k];
    }
    return v;
}

/** Checks a legacy simple-signing payload against the image `name` (`registry/repository`) and `digest`. */
export function checkSimpleSigningBinding(payload: Buffer, name: string, digest: string): BindingFailure | undefined {
    const json = parse(payload);
    if (json === undefined) return { kind: "not-a-signature", reason: "the signed payload is not a JSON object" };
    if (field(json, "critical", "type") !== COSIGN_PAYLOAD_TYPE) return { kind: "not-a-signature", reason: `the signed payload's critical.type is not ${JSON.stringify(COSIGN_PAYLOAD_TYPE)}` };
    const signedDigest = field(json, "critical", "image", "docker-manifest-digest");
    if (signedDigest !== digest) return { kind: "replay", reason: `the signature was made for digest ${String(signedDigest)}, not ${digest} (signature replayed from another image)` };
    const dockerRef = field(json, "critical", "identity", "docker-reference");
    const signedName = typeof dockerRef === "string" ? tryParseReference(dockerRef)?.name : undefined;
    if (signedName !== name) return { kind: "replay", reason: `the signature was made for repository ${String(dockerRef)}, not ${name}` };
    return undefined;
}

/** Checks a DSSE envelope's in-toto statement against the image `digest`. */
export function checkInTotoBinding(payloadType: string, payload: Buffer, digest: string): BindingFailure | undefined {
    if (payloadType !== IN_TOTO_PAYLOAD_TYPE) return { kind: "not-a-signature", reason: `the DSSE payload type is ${JSON.stringify(payloadType)}, not ${IN_TOTO_PAYLOAD_TYPE}` };
    const json = parse(payload);
    if (json === undefined) return { kind: "not-a-signature", reason: "the DSSE payload is not a JSON object" };
    if (!IN_TOTO_STATEMENTS.includes(String(json._type))) return { kind: "not-a-signature", reason: `the DSSE payload is not an in-toto statement (_type ${JSON.stringify(json._type)})` };
    if (json.predicateType !== COSIGN_SIGN_PREDICATE) {
        return { kind: "not-a-signature", reason: `the statement's predicateType is ${JSON.stringify(json.predicateType)}, not cosign's image signature ${COSIGN_SIGN_PREDICATE} (attestations are not signatures)` };
    }
    const [algorithm, hex] = digest.split(":");
    const subjects = Array.isArray(json.subject) ? json.subject : [];
    if (subjects.some((s) => field(s, "digest", algorithm!) === hex)) return undefined;
    const named = subjects.map((s) => field(s, "digest", algorithm!)).filter((d) => typeof d === "string").map((d) => `${algorithm}:${d}`);
    return { kind: "replay", reason: `the signed statement names ${named.length > 0 ? named.join(", ") : "no digest"}, not ${digest} (signature replayed from another image)` };
}
