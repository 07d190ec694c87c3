/**
 * Sigstore bundles attached as OCI referrers (cosign v3's default): the referrers of the image
 * digest (API or `sha256-<hex>` tag fallback) are fetched as manifests — not filtered by the
 * index's `artifactType`, which some tools set to the config media type — and every layer of
 * media type `application/vnd.dev.sigstore.bundle.v0.3+json` is parsed with `@sigstore/bundle`.
 */
import { bundleFromJSON } from "@sigstore/bundle";
import { describeError } from "../errors";
import type { FetchedManifest, RegistryClient, RepositoryRef, RequestContext } from "../registry/client";
import { descriptorList, type Descriptor } from "../registry/descriptor";
import { DOCKER_MANIFEST, OCI_MANIFEST, SIGSTORE_BUNDLE_V03 } from "../registry/media";
import { listReferrers } from "../registry/referrers";
import { checkInTotoBinding } from "./binding";
import { isAttachmentError, type Collected } from "./candidate";

const BUNDLE_LAYER_TYPES = [SIGSTORE_BUNDLE_V03, "application/vnd.dev.sigstore.bundle+json;version=0.3"];

/**
 * Yields the bundle signatures referring to `digest` in `repo`. Referrers whose `artifactType` is a
 * sigstore bundle are examined first, then untyped ones and those typed by the empty config (tools
 * may record the config media type instead), then other artifacts, at most `limits.maxEntries` referrer manifests. Other attachments (SBOMs,
 * attestations), oversize layers and referrers that cannot be fetched are problems, skipped.
 */
export async function* bundleCandidates(client: RegistryClient, repo: RepositoryRef, digest: string, ctx: RequestContext): AsyncGenerator<Collected> {
    const { descriptors } = await listReferrers(client, repo, digest, ctx);
    const manifests = descriptors.filter((d) => d.mediaType === OCI_MANIFEST || d.mediaType === DOCKER_MANIFEST);
    const ordered = [0, 1, 2].flatMap((rank) => manifests.filter((d) => likelihood(d) === rank));
    const max = client.limits.maxEntries;
    if (ordered.length > max) {
        yield { problem: { format: "bundle", source: `referrers of ${digest}`, reason: `${ordered.length - max} more referrers not examined (at most ${max} per image)` } };
    }
    for (const d of ordered.slice(0, max)) {
        const source = `referrer ${d.digest}`;
        let manifest: FetchedManifest;
        try {
            manifest = await client.getManifest(repo, d.digest, ctx);
        } catch (err) {
            if (!isAttachmentError(err)) throw err;
            yield { problem: { format: "bundle", source, reason: `cannot fetch it: ${describeError(err)}` } };
            continue;
        }
        const subject = manifest.json.subject as { digest?: unknown } | undefined;
        if (subject?.digest !== digest) {
            yield { problem: { format: "bundle", source, reason: `its subject is ${String(subject?.digest)}, not ${digest} (material of another image)`, replay: true } };
            continue;
        }
        for (const layer of descriptorList(manifest.json, "layers", `referrer manifest ${d.digest}`)) {
            if (!BUNDLE_LAYER_TYPES.includes(layer.mediaType)) continue;
            yield* bundleLayer(client, repo, digest, layer, source, ctx);
        }
    }
}

async function* bundleLayer(client: RegistryClient, repo: RepositoryRef, digest: string, layer: Descriptor, source: string, ctx: RequestContext): AsyncGenerator<Collected> {
    if (layer.size > client.limits.maxBlobBytes) {
        yield { problem: { format: "bundle", source, reason: `bundle is ${layer.size} bytes, more than the limit of ${client.limits.maxBlobBytes} bytes; skipped` } };
        return;
    }
    let bytes: Buffer;
    try {
        bytes = await client.getBlob(repo, layer.digest, ctx);
    } catch (err) {
        if (!isAttachmentError(err)) throw err;
        yield { problem: { format: "bundle", source, reason: `cannot fetch the bundle: ${describeError(err)}` } };
        return;
    }
    try {
        const bundle = bundleFromJSON(JSON.parse(bytes.toString("utf8")));
        if (bundle.content.$case !== "dsseEnvelope") {
            yield { problem: { format: "bundle", source, reason: "message-signature bundles do not carry the signed payload, so they cannot be bound to the image digest; sign with cosign v3 (DSSE)" } };
            return;
        }
        const envelope = bundle.content.dsseEnvelope;
        yield { candidate: { format: "bundle", source, bundle, binding: () => checkInTotoBinding(envelope.payloadType, Buffer.from(envelope.payload), digest) } };
    } catch (err) {
        yield { problem: { format: "bundle", source, reason: `not a valid sigstore bundle: ${describeError(err)}` } };
    }
}

/** 0: typed as a sigstore bundle; 1: untyped or typed by the empty config (cosign variants); 2: another artifact (SBOM, …). */
function likelihood(d: Descriptor): 0 | 1 | 2 {
    if (d.artifactType === undefined || d.artifactType === OCI_EMPTY) return 1;
    return BUNDLE_LAYER_TYPES.includes(d.artifactType) ? 0 : 2;
}

const OCI_EMPTY = "application/vnd.oci.empty.v1+json";
