/**
 * Bounded, streamed reading of HTTP bodies and digest verification. A hostile registry can send an
 * endless body or lie in Content-Length: reading stops (and the stream is cancelled) as soon as
 * more than `max` bytes have arrived, so memory use stays bounded by the limit.
 */
import { createHash } from "node:crypto";
import { RegistryError } from "../errors";

/** A body source: what undici's `Response` offers. */
export interface BodySource {
    readonly headers: { get(name: string): string | null };
    readonly body: ReadableStream<Uint8Array> | null;
}

/** Reads at most `max` bytes of `res`'s body; throws `RegistryError("oversize")` past the limit. */
export async function readBounded(res: BodySource, max: number, what: string): Promise<Buffer> {
    const declared = Number(res.headers.get("content-length") ?? "NaN");
    if (Number.isFinite(declared) && declared > max) {
        await res.body?.cancel().catch(() => undefined);
        throw new RegistryError("oversize", `${what} is ${declared} bytes, more than the limit of ${max} bytes`);
    }
    if (res.body === null) return Buffer.alloc(0);
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    try {
        for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            total += value.byteLength;
            if (total > max) {
                await reader.cancel().catch(() => undefined);
                throw new RegistryError("oversize", `${what} is more than the limit of ${max} bytes`);
            }
            chunks.push(value);
        }
    } finally {
        reader.releaseLock();
    }
    return Buffer.concat(chunks, total);
}

const ALGORITHMS: Record<string, { node: string; hexLength: number }> = {
    sha256: { node: "sha256", hexLength: 64 },
    sha512: { node: "sha512", hexLength: 128 },
};

/** Whether `digest` is a well-formed `sha256:`/`sha512:` digest. */
export function isDigest(digest: unknown): digest is string {
    if (typeof digest !== "string") return false;
    const [algorithm, hex, extra] = digest.split(":");
    const spec = algorithm !== undefined && Object.hasOwn(ALGORITHMS, algorithm) ? ALGORITHMS[algorithm] : undefined;
    return spec !== undefined && extra === undefined && hex !== undefined && hex.length === spec.hexLength && /^[a-f0-9]+$/.test(hex);
}

/** The digest of `data` with the algorithm of `like` (default sha256). */
export function digestOf(data: Uint8Array, like = "sha256:"): string {
    const algorithm = like.startsWith("sha512:") ? "sha512" : "sha256";
    return `${algorithm}:${createHash(algorithm).update(data).digest("hex")}`;
}

/** Throws `RegistryError("digest-mismatch")` unless `data` hashes to `digest`. */
export function verifyDigest(data: Uint8Array, digest: string, what: string): void {
    if (!isDigest(digest)) throw new RegistryError("malformed", `${what}: ${JSON.stringify(digest)} is not a sha256/sha512 digest`);
    const actual = digestOf(data, digest);
    if (actual !== digest) {
        throw new RegistryError("digest-mismatch", `${what}: content hashes to ${actual}, not to the requested ${digest}: the registry served different bytes`);
    }
}
