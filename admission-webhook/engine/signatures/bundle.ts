/**
 * Sigstore bundles attached as OCI referrers (cosign v3's default): the referrers of the image
 * digest (API or `sha256-<hex>` tag fallback) are fetched as manifests — not filtered by the
 * index's `artifactType`, which some tools set to the config media type — and every layer of
 * media type `application/vnd.dev.sigstore.bundle.v0.3+json` is parsed with `@sigstore/bundle`.
 */
import { bundleFromJSON } from "@sigstore/bundle";
import { describeError, RegistryError } from "../errors";
import type { RegistryClient, RepositoryRef, RequestContext } from "../registry/client";
import { descriptorList } from "../registry/descriptor";
import { DOCKER_MANIFEST, OCI_MANIFEST, SIGSTORE_BUNDLE_V03 } from "../registry/media";
import { listReferrers } from "../registry/referrers";
import { checkInTotoBinding } from "./binding";
import type { CandidateSet } from "./candidate";

const BUNDLE_LAYER_TYPES = [SIGSTORE_BUNDLE_V03, "application/vnd.dev.sigstore.bundle+json;version=0.3"];

/** Collects the bundle signatures referring to `digest` in `repo`. */
export async function collectBundles(client: RegistryClient, repo: RepositoryRef, digest: string, ctx: RequestContext): Promise<CandidateSet> {
    const set: CandidateSet = { candidates: [], problems: [] };
    const { descriptors } = await listReferrers(client, repo, digest, ctx);
    for (const d of descriptors) {
        if (d.mediaType !== OCI_MANIFEST && d.mediaType !== DOCKER_MANIFEST) continue;
        const manifest = await client.getManifest(repo, d.digest, ctx);
        const subject = manifest.json.subject as { digest?: unknown } | undefined;
        const source = `referrer ${d.digest}`;
        if (subject?.digest !== digest) {
            set.problems.push({ format: "bundle", source, reason: `its subject is ${String(subject?.digest)}, not ${digest} (material of another image)`, replay: true });
            continue;
        }
        const layers = descriptorList(manifest.json, "layers", client.limits.maxEntries, `referrer manifest ${d.digest}`);
        for (const layer of layers) {
            if (!BUNDLE_LAYER_TYPES.includes(layer.mediaType)) continue;
            if (layer.size > client.limits.maxBlobBytes) {
                throw new RegistryError("oversize", `${source}: bundle is ${layer.size} bytes, more than the limit of ${client.limits.maxBlobBytes} bytes`);
            }
            const bytes = await client.getBlob(repo, layer.digest, ctx);
            try {
                const bundle = bundleFromJSON(JSON.parse(bytes.toString("utf8")));
                if (bundle.content.$case !== "dsseEnvelope") {
                    set.problems.push({ format: "bundle", source, reason: "message-signature bundles do not carry the signed payload, so they cannot be bound to the image digest; sign with cosign v3 (DSSE)" });
                    continue;
                }
                const envelope = bundle.content.dsseEnvelope;
                set.candidates.push({
                    format: "bundle",
                    source,
                    bundle,
                    binding: () => checkInTotoBinding(envelope.payloadType, Buffer.from(envelope.payload), digest),
                });
            } catch (err) {
                set.problems.push({ format: "bundle", source, reason: `not a valid sigstore bundle: ${describeError(err)}` });
            }
        }
    }
    return set;
}
