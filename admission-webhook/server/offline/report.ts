/**
 * Machine output of `verify-image` and `check-manifests` (`--format json|sarif`): one entry per
 * image reference (where it is, the decision, the policies that applied, violations and warnings).
 *
 * JSON (version 1): { version, tool, command, summary: {images, denied, warned, verified, exitCode},
 *   images: [{source, kind, namespace, name, path, image, location?, decision, policies, violations, warnings}] }
 *
 * SARIF 2.1.0: one rule per violation code (`not-pinned`, `no-signature`, ...); one result per
 * violation (level `error`: the webhook denies) and per warning (level `warning`: a `warn` policy);
 * the physical location is the line of the image in the manifest (check-manifests with files), the
 * logical location the object and field path. A run with no violation has no results.
 */
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type * as Sarif from "sarif";
import type { ImageViolation, ViolationCode } from "../../verification";
import type { ManifestImage } from "./manifests";

export const IMAGE_REPORT_FORMATS = ["text", "json", "sarif"] as const;
export type ImageReportFormat = (typeof IMAGE_REPORT_FORMATS)[number];

/** The decision for one image reference where it was found. */
export interface ImageCheck extends ManifestImage {
    readonly decision: "verified" | "warned" | "denied";
    /** Policies that applied (empty: none matched and `noMatch: allow`). */
    readonly policies: readonly string[];
    readonly violations: readonly ImageViolation[];
    readonly warnings: readonly ImageViolation[];
}

const RULES: Record<ViolationCode, string> = {
    "not-pinned": "Images must be referenced by digest (tags move); pin the image as name@sha256:<digest>.",
    "invalid-reference": "The image reference cannot be parsed.",
    "image-not-allowed": "The image matches no image pattern of the trust policy that applies.",
    "no-signature": "The image has no signature (cosign or the OCI referrers format) the trust policy accepts.",
    "untrusted-signature": "The image's signatures do not verify against the trust policy's authorities.",
    "digest-mismatch": "A signature's payload names another digest or repository (a replayed signature).",
    "registry-error": "The registry could not be read (unreachable, an error status, oversize or malformed data): denied, fail closed.",
    timeout: "Verification did not finish before the deadline: denied, fail closed.",
    "policy-error": "The trust policy could not be applied: denied, fail closed.",
};

/** A manifest path as a SARIF URI: relative paths stay relative (to the directory the check ran in), absolute ones become file URLs. */
function fileUri(file: string): string {
    return path.isAbsolute(file) ? pathToFileURL(file).href : encodeURI(file.split(path.sep).join("/"));
}

export function summarise(checks: readonly ImageCheck[], exitCode: number) {
    return {
        images: checks.length,
        denied: checks.filter((c) => c.decision === "denied").length,
        warned: checks.filter((c) => c.decision === "warned").length,
        verified: checks.filter((c) => c.decision === "verified").length,
        exitCode,
    };
}

export function renderImageJson(command: string, toolVersion: string | undefined, checks: readonly ImageCheck[], exitCode: number): string {
    return JSON.stringify({ version: 1, tool: { name: "aiguard", ...(toolVersion ? { version: toolVersion } : {}) }, command, summary: summarise(checks, exitCode), images: checks }, null, 2);
}

export function renderImageSarif(command: string, toolVersion: string | undefined, checks: readonly ImageCheck[], exitCode: number): string {
    const codes = Object.keys(RULES) as ViolationCode[];
    const result = (c: ImageCheck, v: ImageViolation, level: "error" | "warning"): Sarif.Result => ({
        ruleId: v.code,
        ruleIndex: codes.indexOf(v.code),
        level,
        message: { text: `${c.kind} ${c.namespace}/${c.name} ${v.path}: ${v.image}: ${v.message}` },
        locations: [
            {
                ...(c.location ? { physicalLocation: { artifactLocation: { uri: fileUri(c.location.file) }, region: { startLine: c.location.line, startColumn: c.location.column } } } : {}),
                logicalLocations: [{ name: `${c.namespace}/${c.name}`, fullyQualifiedName: `${c.source} ${c.kind} ${c.namespace}/${c.name} ${v.path}`, kind: "object", decoratedName: c.kind }],
            },
        ],
        partialFingerprints: { "aiguardImage/v1": `${c.kind}/${c.namespace}/${c.name}/${v.path}/${v.code}` },
        properties: { image: v.image, source: c.source, path: v.path, decision: c.decision, policies: c.policies },
    });
    const log: Sarif.Log = {
        $schema: "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        version: "2.1.0",
        runs: [
            {
                tool: {
                    driver: {
                        name: "aiguard",
                        fullName: `aiguard ${command} (image signature and digest admission checks)`,
                        ...(toolVersion ? { version: toolVersion, semanticVersion: toolVersion } : {}),
                        rules: codes.map((code) => ({
                            id: code,
                            shortDescription: { text: RULES[code] },
                            fullDescription: { text: RULES[code] },
                            defaultConfiguration: { level: "error" },
                            properties: { tags: ["security", "supply-chain", "kubernetes", "clause:DP-2", "clause:DV-1", "clause:P7"], "security-severity": "8.0" },
                        })),
                    },
                },
                automationDetails: { id: `aiguard/${command}/` },
                invocations: [{ executionSuccessful: true, exitCode }],
                results: checks.flatMap((c) => [...c.violations.map((v) => result(c, v, "error")), ...c.warnings.map((v) => result(c, v, "warning"))]),
                properties: { summary: summarise(checks, exitCode) },
            },
        ],
    };
    return JSON.stringify(log, null, 2);
}

/** The document a failed run writes in the chosen machine format: no images, the error and its fix. */
export function renderImageError(format: "json" | "sarif", command: string, toolVersion: string | undefined, error: { message: string; fix?: string }, exitCode: number): string {
    if (format === "json") {
        return JSON.stringify({ version: 1, tool: { name: "aiguard", ...(toolVersion ? { version: toolVersion } : {}) }, command, error, summary: { images: 0, denied: 0, warned: 0, verified: 0, exitCode } }, null, 2);
    }
    const log: Sarif.Log = {
        $schema: "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        version: "2.1.0",
        runs: [
            {
                tool: { driver: { name: "aiguard", ...(toolVersion ? { version: toolVersion, semanticVersion: toolVersion } : {}), rules: [] } },
                invocations: [{ executionSuccessful: false, exitCode, toolExecutionNotifications: [{ level: "error", message: { text: `${error.message}${error.fix ? ` Fix: ${error.fix}` : ""}` } }] }],
                results: [],
            },
        ],
    };
    return JSON.stringify(log, null, 2);
}
