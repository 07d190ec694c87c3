/** OCI descriptors read from untrusted manifests, validated field by field. */
import { RegistryError } from "../errors";
import { isDigest } from "./bounded";

/** An OCI content descriptor. */
export interface Descriptor {
    readonly mediaType: string;
    readonly digest: string;
    readonly size: number;
    readonly artifactType?: string;
    readonly annotations: Readonly<Record<string, string>>;
}

/** Validates one descriptor; throws `RegistryError("malformed")` naming `what`. */
export function parseDescriptor(value: unknown, what: string): Descriptor {
    if (typeof value !== "object" || value === null) throw new RegistryError("malformed", `${what} is not an object`);
    const v = value as Record<string, unknown>;
    if (typeof v.mediaType !== "string") throw new RegistryError("malformed", `${what} has no mediaType`);
    if (!isDigest(v.digest)) throw new RegistryError("malformed", `${what} has no valid digest`);
    if (typeof v.size !== "number" || !Number.isSafeInteger(v.size) || v.size < 0) throw new RegistryError("malformed", `${what} has no valid size`);
    const annotations: Record<string, string> = {};
    if (typeof v.annotations === "object" && v.annotations !== null) {
        for (const [k, a] of Object.entries(v.annotations)) if (typeof a === "string") annotations[k] = a;
    }
    return {
        mediaType: v.mediaType,
        digest: v.digest,
        size: v.size,
        ...(typeof v.artifactType === "string" ? { artifactType: v.artifactType } : {}),
        annotations,
    };
}

/**
 * The descriptors in `json[field]` (`layers` of a manifest, `manifests` of an index). Their number
 * is bounded by the manifest size limit; how many are *examined* is the caller's bound
 * (`limits.maxEntries`), so extra attachments are skipped rather than fatal.
 */
export function descriptorList(json: Record<string, unknown>, field: "layers" | "manifests", what: string): Descriptor[] {
    const list = json[field];
    if (list === undefined) return [];
    if (!Array.isArray(list)) throw new RegistryError("malformed", `${what}: ${field} is not a list`);
    return list.map((d, i) => parseDescriptor(d, `${what} ${field}[${i}]`));
}
