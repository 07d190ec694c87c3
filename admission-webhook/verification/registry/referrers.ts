/**
 * OCI 1.1 referrers: `GET /v2/<name>/referrers/<digest>`, with the tag-schema fallback
 * (`<alg>-<hex>` tag holding an image index) for registries without the API (distribution 2.8,
 * which answers 404). The fallback index is not filtered by `artifactType`: tools disagree on
 * whether entries carry the artifact type or the config media type, so callers fetch candidates
 * and check what the manifests actually contain.
 */
import { RegistryError } from "../errors";
import type { RegistryClient, RepositoryRef, RequestContext } from "./client";
import { parseJsonObject } from "./client";
import { readBounded } from "./bounded";
import { descriptorList, type Descriptor } from "./descriptor";

/** The fallback tag for a subject digest: `sha256:abc` → `sha256-abc`. */
export function referrersTag(digest: string): string {
    return digest.replace(":", "-");
}

/** Where the referrers came from (for diagnostics and tests). */
export type ReferrersSource = "api" | "tag-fallback" | "none";

/** Lists the referrers of `digest` (all of them; callers bound how many they examine). */
export async function listReferrers(client: RegistryClient, repo: RepositoryRef, digest: string, ctx: RequestContext): Promise<{ source: ReferrersSource; descriptors: Descriptor[] }> {
    const what = `referrers of ${repo.registry}/${repo.repository}@${digest}`;
    const res = await client.request(repo, `/referrers/${digest}`, ctx, { accept: "application/vnd.oci.image.index.v1+json" });
    const contentType = (res.headers.get("content-type") ?? "").split(";")[0]!.trim();
    if (res.status === 200 && contentType === "application/vnd.oci.image.index.v1+json") {
        const json = parseJsonObject(await readBounded(res, client.limits.maxManifestBytes, what), what);
        return { source: "api", descriptors: descriptorList(json, "manifests", what) };
    }
    await res.body?.cancel().catch(() => undefined);
    if (res.status !== 200 && ![400, 404, 405, 406].includes(res.status)) {
        throw new RegistryError("status", `${what}: registry answered HTTP ${res.status}`, { status: res.status });
    }
    const index = await client.findManifest(repo, referrersTag(digest), ctx);
    if (index === undefined) return { source: "none", descriptors: [] };
    return { source: "tag-fallback", descriptors: descriptorList(index.json, "manifests", `${what} (tag ${referrersTag(digest)})`) };
}
