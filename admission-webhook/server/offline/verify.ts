/**
 * `verify-image` and `check-manifests`: the webhook's engine run outside the cluster, so an image
 * or a set of manifests can be checked before deploying (CI). Exit codes: 0 every image verified,
 * 1 at least one image denied, 2 usage or input error.
 */
import { readFile, writeFile } from "node:fs/promises";
import type { ImageVerifier, ImageViolation, RegistryCredential } from "../../verification";
import { decodeDockerConfig } from "../cluster/dockerconfig";
import type { ManifestImage } from "./manifests";
import { renderImageJson, renderImageSarif, type ImageCheck, type ImageReportFormat } from "./report";
import { describeError } from "../../../common/errors";

export const EXIT_OK = 0;
export const EXIT_DENIED = 1;
export const EXIT_INPUT = 2;

/**
 * An input problem: reported as `<program>: error: <message>` (one line per problem) with a `fix:`
 * line, and answered with exit code 2.
 */
export class InputError extends Error {
    override readonly name = "InputError";
    constructor(
        message: string,
        /** One line telling the user what to do about it. */
        readonly fix?: string,
        /** Further problems of the same input (check-manifests reports every bad document at once). */
        readonly more: readonly string[] = [],
    ) {
        super(message);
    }
}

/** The lines an {@link InputError} is shown as, under the program name `prog`. */
export function inputErrorLines(prog: string, err: InputError): string[] {
    return [...[err.message, ...err.more].map((m) => `${prog}: error: ${m}`), ...(err.fix ? [`  fix: ${err.fix}`] : [])];
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
        if (eq <= 0) throw new InputError(`--namespace-labels expects key=value pairs, got "${pair}"`, "e.g. --namespace-labels aiguard.io/models=true,team=ml");
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
        throw new InputError(`cannot read docker config ${path}: ${describeError(err)}`, "pass a readable docker config.json (as written by `docker login`)");
    }
    try {
        return decodeDockerConfig(text, "dockerconfigjson", path);
    } catch (err) {
        throw new InputError(describeError(err), "pass a docker config.json with an \"auths\" map of registry credentials");
    }
}

export interface VerifyOptions {
    readonly namespaceLabels?: Readonly<Record<string, string>>;
    readonly credentials: readonly RegistryCredential[];
    readonly timeoutMs: number;
}

/** How the result is written: text lines (default), or a JSON / SARIF document, to stdout or `output`. */
export interface ReportOptions {
    readonly format: ImageReportFormat;
    /** File to write the report to (stdout when absent). */
    readonly output?: string;
    /** `verify-image` or `check-manifests`, named in the document. */
    readonly command: string;
    /** The version the documents name (the aiguard package's, when run as `aiguard`). */
    readonly toolVersion?: string;
}

/** Verify images (deduplicated): one decision per reference where it was found. */
export async function checkImages(verifier: ImageVerifier, images: readonly ManifestImage[], o: VerifyOptions): Promise<ImageCheck[]> {
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
    return images.map((i): ImageCheck => {
        const r = results.get(i.image)!;
        const violations = r.allowed ? [] : r.violations.length > 0 ? r.violations : [{ path: i.path, image: i.image, code: "policy-error" as const, message: "denied without a named violation" }];
        return { ...i, decision: !r.allowed ? "denied" : r.warnings.length > 0 ? "warned" : "verified", policies: r.policies, violations, warnings: r.warnings };
    });
}

/** The text report: one line per image (and per violation or warning). */
export function textLines(checks: readonly ImageCheck[]): string[] {
    const lines: string[] = [];
    for (const c of checks) {
        const where = `${c.source} ${c.kind} ${c.namespace}/${c.name} ${c.path}: ${c.image}`;
        const say = (v: ImageViolation): string => `${v.code}: ${v.message}`;
        if (c.decision === "denied") {
            for (const v of c.violations) lines.push(`DENIED ${where}: ${say(v)}`);
        } else {
            const by = c.policies.length > 0 ? ` (policy ${c.policies.join(", ")})` : " (no policy matched; allowed by noMatch: allow)";
            lines.push(`${c.warnings.length > 0 ? "WARN" : "OK"} ${where}${by}`);
        }
        for (const w of c.warnings) lines.push(`WARN ${where}: ${say(w)}`);
    }
    return lines;
}

/** Verify images, write the report in the chosen format, and return the exit code. */
export async function verifyImages(verifier: ImageVerifier, images: readonly ManifestImage[], o: VerifyOptions, io: Output, report: ReportOptions): Promise<number> {
    const checks = await checkImages(verifier, images, o);
    const denied = checks.filter((c) => c.decision === "denied").length;
    const code = denied > 0 ? EXIT_DENIED : EXIT_OK;
    const text =
        report.format === "json"
            ? renderImageJson(report.command, report.toolVersion, checks, code)
            : report.format === "sarif"
              ? renderImageSarif(report.command, report.toolVersion, checks, code)
              : textLines(checks).join("\n");
    if (report.output !== undefined) {
        try {
            await writeFile(report.output, text.endsWith("\n") ? text : `${text}\n`);
        } catch (err) {
            throw new InputError(`cannot write --output ${report.output}: ${describeError(err)}`, "pass a path in an existing, writable directory");
        }
    } else if (text !== "") io.out(text);
    io.err(`${images.length} image reference(s), ${denied} denied${report.output !== undefined ? ` (report: ${report.output})` : ""}`);
    return code;
}
