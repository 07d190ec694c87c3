/**
 * `verify-image` and `check-manifests`: the webhook's engine run outside the cluster, so an image
 * or a set of manifests can be checked before deploying (CI). Exit codes: 0 every image verified,
 * 1 at least one image denied, 2 usage or input error.
 */
import { readFile } from "node:fs/promises";
import type { ImageVerifier, ImageViolation, RegistryCredential } from "../../verification";
import { decodeDockerConfig } from "../cluster/dockerconfig";
import type { ManifestImage } from "./manifests";
import { describeError } from "../../../common/errors";

export const EXIT_OK = 0;
export const EXIT_DENIED = 1;
export const EXIT_INPUT = 2;

/** An input problem: reported and answered with exit code 2. */
export class InputError extends Error {
    override readonly name = "InputError";
}

export interface Output {
    out(line: string): void;
    err(line: string): void;
}

/** Parse `k=v` label flags (each flag may hold several, comma-separated). */
export function parseLabels(values: readonly string[]): Record<string, string> {
    const labels: Record<string, string> = {};
    for (const pair of values.flatMap((v) => v.split(",")).filter((p) => p !== "")) {
        const eq = pair.indexOf("=");
        if (eq <= 0) throw new InputError(`--namespace-labels expects key=value pairs, got "${pair}"`);
        labels[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    return labels;
}

/** Credentials from a docker `config.json` (`auths`), for private registries in CI. */
export async function readDockerConfig(path: string | undefined): Promise<RegistryCredential[]> {
    if (path === undefined) return [];
    let text: string;
    try {
        text = await readFile(path, "utf8");
    } catch (err) {
        throw new InputError(`cannot read docker config ${path}: ${describeError(err)}`);
    }
    try {
        return decodeDockerConfig(text, "dockerconfigjson", path);
    } catch (err) {
        throw new InputError(describeError(err));
    }
}

export interface VerifyOptions {
    readonly namespaceLabels?: Readonly<Record<string, string>>;
    readonly credentials: readonly RegistryCredential[];
    readonly timeoutMs: number;
}

/** Verify images (deduplicated) and print one line per image; returns the exit code. */
export async function verifyImages(verifier: ImageVerifier, images: readonly ManifestImage[], o: VerifyOptions, io: Output): Promise<number> {
    const signal = AbortSignal.timeout(o.timeoutMs);
    const distinct = [...new Set(images.map((i) => i.image))];
    const results = new Map(
        await Promise.all(
            distinct.map(async (image) => {
                const r = await verifier.verifyImage(image, { signal, credentials: o.credentials, ...(o.namespaceLabels ? { namespaceLabels: o.namespaceLabels } : {}) });
                return [image, r] as const;
            }),
        ),
    );
    let denied = 0;
    for (const i of images) {
        const r = results.get(i.image)!;
        const where = `${i.source} ${i.kind} ${i.namespace}/${i.name} ${i.path}: ${i.image}`;
        const say = (v: ImageViolation): string => `${v.code}: ${v.message}`;
        if (!r.allowed) {
            denied++;
            for (const v of r.violations) io.out(`DENIED ${where}: ${say(v)}`);
            if (r.violations.length === 0) io.out(`DENIED ${where}: denied without a named violation`);
        } else {
            const by = r.policies.length > 0 ? ` (policy ${r.policies.join(", ")})` : " (no policy matched; allowed by noMatch: allow)";
            io.out(`${r.warnings.length > 0 ? "WARN" : "OK"} ${where}${by}`);
        }
        for (const w of r.warnings) io.out(`WARN ${where}: ${say(w)}`);
    }
    io.err(`${images.length} image reference(s), ${denied} denied`);
    return denied > 0 ? EXIT_DENIED : EXIT_OK;
}
