/**
 * cosign's legacy signature format: a manifest tagged `<alg>-<hex>.sig` in the image's repository,
 * one layer per signature (media type `application/vnd.dev.cosign.simplesigning.v1+json`) whose
 * blob is the simple-signing payload and whose annotations carry the base64 signature and, for
 * keyless signing, the certificate, chain, Rekor bundle (SET) and RFC 3161 timestamp. Each layer
 * becomes a message-signature sigstore bundle over the payload bytes.
 */
import { createHash } from "node:crypto";
import { bundleFromJSON } from "@sigstore/bundle";
import { describeError } from "../errors";
import type { RegistryClient, RepositoryRef, RequestContext } from "../registry/client";
import { descriptorList } from "../registry/descriptor";
import {
    COSIGN_BUNDLE_ANNOTATION, COSIGN_CERTIFICATE_ANNOTATION, COSIGN_CHAIN_ANNOTATION, COSIGN_RFC3161_ANNOTATION,
    COSIGN_SIGNATURE_ANNOTATION, COSIGN_SIMPLESIGNING,
} from "../registry/media";
import { checkSimpleSigningBinding } from "./binding";
import { isAttachmentError, type Collected } from "./candidate";

/** The legacy signature tag for a digest: `sha256:abc` → `sha256-abc.sig`. */
export function legacySignatureTag(digest: string): string {
    return `${digest.replace(":", "-")}.sig`;
}

const BUNDLE_V01 = "application/vnd.dev.sigstore.bundle+json;version=0.1";

/**
 * Yields the legacy signatures of `digest` in `repo`, newest first (cosign appends one layer per
 * signing), at most `limits.maxEntries` of them. Layers of other media types, oversize payloads and
 * payloads that cannot be fetched are yielded as problems and skipped: only a valid signature can
 * admit, and unrelated data cannot veto one.
 */
export async function* legacyCandidates(client: RegistryClient, repo: RepositoryRef, digest: string, ctx: RequestContext): AsyncGenerator<Collected> {
    const manifest = await client.findManifest(repo, legacySignatureTag(digest), ctx);
    if (manifest === undefined) return;
    const what = `signature manifest ${repo.registry}/${repo.repository}:${legacySignatureTag(digest)}`;
    const layers = descriptorList(manifest.json, "layers", what).filter((l) => l.mediaType === COSIGN_SIMPLESIGNING).reverse();
    const max = client.limits.maxEntries;
    const name = `${repo.registry}/${repo.repository}`;
    if (layers.length > max) {
        yield { problem: { format: "legacy", source: what, reason: `${layers.length - max} older signatures not examined (at most ${max} per image)` } };
    }
    for (const layer of layers.slice(0, max)) {
        const source = `legacy .sig layer ${layer.digest}`;
        const signature = layer.annotations[COSIGN_SIGNATURE_ANNOTATION];
        if (signature === undefined || signature === "") {
            yield { problem: { format: "legacy", source, reason: `layer has no ${COSIGN_SIGNATURE_ANNOTATION} annotation` } };
            continue;
        }
        if (layer.size > client.limits.maxBlobBytes) {
            yield { problem: { format: "legacy", source, reason: `payload is ${layer.size} bytes, more than the limit of ${client.limits.maxBlobBytes} bytes; skipped` } };
            continue;
        }
        let payload: Buffer;
        try {
            payload = await client.getBlob(repo, layer.digest, ctx);
        } catch (err) {
            if (!isAttachmentError(err)) throw err;
            yield { problem: { format: "legacy", source, reason: `cannot fetch the payload: ${describeError(err)}` } };
            continue;
        }
        try {
            const bundle = bundleFromJSON(toBundleJson(payload, signature, layer.annotations));
            yield { candidate: { format: "legacy", source, bundle, artifact: payload, binding: () => checkSimpleSigningBinding(payload, name, digest) } };
        } catch (err) {
            yield { problem: { format: "legacy", source, reason: `cannot read the signature material: ${describeError(err)}` } };
        }
    }
}

function toBundleJson(payload: Buffer, signature: string, annotations: Readonly<Record<string, string>>): unknown {
    const certificatePem = annotations[COSIGN_CERTIFICATE_ANNOTATION];
    const chainPem = annotations[COSIGN_CHAIN_ANNOTATION];
    const verificationMaterial: Record<string, unknown> = {
        tlogEntries: tlogEntries(annotations[COSIGN_BUNDLE_ANNOTATION]),
        timestampVerificationData: { rfc3161Timestamps: rfc3161(annotations[COSIGN_RFC3161_ANNOTATION]) },
    };
    if (certificatePem !== undefined && certificatePem !== "") {
        const certificates = [...pemBlocks(certificatePem), ...(chainPem !== undefined ? pemBlocks(chainPem) : [])];
        verificationMaterial.x509CertificateChain = { certificates: certificates.map((rawBytes) => ({ rawBytes })) };
    } else {
        verificationMaterial.publicKey = { hint: "" };
    }
    return {
        mediaType: BUNDLE_V01,
        verificationMaterial,
        messageSignature: {
            messageDigest: { algorithm: "SHA2_256", digest: createHash("sha256").update(payload).digest("base64") },
            signature,
        },
    };
}

/** cosign's Rekor bundle annotation → a sigstore tlog entry with an inclusion promise (SET). */
function tlogEntries(annotation: string | undefined): unknown[] {
    if (annotation === undefined || annotation === "") return [];
    const rekor = JSON.parse(annotation) as { SignedEntryTimestamp?: string; Payload?: { body?: string; integratedTime?: number; logIndex?: number; logID?: string } };
    const p = rekor.Payload;
    if (p?.body === undefined || p.logID === undefined || rekor.SignedEntryTimestamp === undefined) throw new Error(`${COSIGN_BUNDLE_ANNOTATION} lacks Payload.body, Payload.logID or SignedEntryTimestamp`);
    const body = JSON.parse(Buffer.from(p.body, "base64").toString("utf8")) as { kind?: string; apiVersion?: string };
    return [{
        logIndex: String(p.logIndex ?? 0),
        logId: { keyId: Buffer.from(p.logID, "hex").toString("base64") },
        kindVersion: { kind: body.kind ?? "", version: body.apiVersion ?? "" },
        integratedTime: String(p.integratedTime ?? 0),
        inclusionPromise: { signedEntryTimestamp: rekor.SignedEntryTimestamp },
        canonicalizedBody: p.body,
    }];
}

function rfc3161(annotation: string | undefined): unknown[] {
    if (annotation === undefined || annotation === "") return [];
    const ts = JSON.parse(annotation) as { SignedRFC3161Timestamp?: string };
    return ts.SignedRFC3161Timestamp !== undefined ? [{ signedTimestamp: ts.SignedRFC3161Timestamp }] : [];
}

function pemBlocks(pem: string): string[] {
    return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => m[1]!.replace(/\s+/g, ""));
}
