/**
 * Verifies ONE pinned image against ONE policy: reads signatures in the policy's formats one at a
 * time (in the listed order, stopping at the first trusted one: what is not needed is not fetched), verifies each against each authority, and
 * checks the signed content names this image. Any error becomes an outcome (fail closed): it
 * never throws.
 */
import { describeError, RegistryError } from "./errors";
import type { CompiledPolicy, SignatureFormat } from "./policy/types";
import type { ImageReference } from "../../common/image-reference";
import type { RegistryClient, RequestContext } from "./registry/client";
import { verifyWithAuthority } from "./signatures/authority";
import { bundleCandidates } from "./signatures/bundle";
import { legacyCandidates } from "./signatures/legacy";
import type { ViolationCode } from "./types";

/** The result of one image verification (what the cache stores). */
export type ImageOutcome =
    | { readonly ok: true; readonly authority: string; readonly format: SignatureFormat; readonly source: string }
    | { readonly ok: false; readonly code: ViolationCode; readonly message: string; readonly registryErrorCode?: string };

/** Verifies `ref` (which must be pinned) against `policy`. */
export async function checkImage(client: RegistryClient, policy: CompiledPolicy, ref: ImageReference, ctx: RequestContext): Promise<ImageOutcome> {
    const digest = ref.digest!;
    const pinned = `${ref.name}@${digest}`;
    const repo = { registry: ref.registry, repository: ref.repository };
    const failures: string[] = [];
    const mismatches: string[] = [];
    let candidates = 0;
    let error: { code: ViolationCode; message: string; registryErrorCode?: string } | undefined;
    for (const format of policy.signatureFormats) {
        try {
            for await (const item of format === "legacy" ? legacyCandidates(client, repo, digest, ctx) : bundleCandidates(client, repo, digest, ctx)) {
                if ("problem" in item) {
                    (item.problem.replay === true ? mismatches : failures).push(`${item.problem.source}: ${item.problem.reason}`);
                    continue;
                }
                const candidate = item.candidate;
                candidates++;
                for (const authority of policy.authorities) {
                    const why = verifyWithAuthority(policy, authority, candidate);
                    if (why !== undefined) {
                        failures.push(`${candidate.source} vs ${authority.name}: ${why}`);
                        continue;
                    }
                    const binding = candidate.binding();
                    if (binding !== undefined) {
                        (binding.kind === "replay" ? mismatches : failures).push(`${candidate.source} (valid signature by ${authority.name}): ${binding.reason}`);
                        continue;
                    }
                    // The first trusted signature proves the image: the collector is not asked for more.
                    return { ok: true, authority: authority.name, format, source: candidate.source };
                }
            }
        } catch (err) {
            error ??= errorOutcome(err, ctx.signal, pinned, format);
            if (ctx.signal.aborted) break;
        }
    }
    const authorities = policy.authorities.map((a) => a.name).join(", ");
    if (error !== undefined) return { ok: false, ...error };
    if (mismatches.length > 0) {
        return {
            ok: false,
            code: "digest-mismatch",
            message: `${pinned}: the signatures found were made for another image (${limit(mismatches)}); sign this exact digest with cosign sign`,
        };
    }
    if (candidates > 0 || failures.length > 0) {
        return {
            ok: false,
            code: "untrusted-signature",
            message: `${pinned}: no signature verifies against the authorities [${authorities}] of policy ${policy.name} (${limit(failures)}); sign it with a trusted key or identity`,
        };
    }
    return {
        ok: false,
        code: "no-signature",
        message: `${pinned} has no signature (looked for: ${policy.signatureFormats.join(", ")}); sign it, e.g. \`cosign sign --key cosign.key ${pinned}\``,
    };
}

function errorOutcome(err: unknown, signal: AbortSignal, pinned: string, format: SignatureFormat): { code: ViolationCode; message: string; registryErrorCode?: string } {
    if (signal.aborted || (err instanceof RegistryError && err.code === "timeout")) {
        return { code: "timeout", message: `${pinned}: the verification deadline passed while fetching ${format} signatures; the image is denied (fail closed), retry when the registry responds faster`, registryErrorCode: "timeout" };
    }
    if (err instanceof RegistryError) {
        return { code: "registry-error", message: `${pinned}: registry error while fetching ${format} signatures (${err.code}): ${err.message}; the image is denied (fail closed)`, registryErrorCode: err.code };
    }
    return { code: "registry-error", message: `${pinned}: verification failed unexpectedly while fetching ${format} signatures: ${describeError(err)}; the image is denied (fail closed)`, registryErrorCode: "unexpected" };
}

function limit(reasons: string[]): string {
    const shown = reasons.slice(0, 3).join("; ");
    return reasons.length > 3 ? `${shown}; and ${reasons.length - 3} more` : shown;
}
