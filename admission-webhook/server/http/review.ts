/**
 * AdmissionReview `admission.k8s.io/v1` decoding and encoding: a thin, validating adapter between
 * the API server's JSON and the webhook's typed request (DP-2). Nothing here is cast: every field
 * the webhook reads is checked, and a malformed envelope becomes a `ReviewError` (HTTP 400) with a
 * message naming the field — never an exception escaping to the HTTP layer.
 */
import { describeError } from "../../../common/errors";
import { isJsonObject, type JsonObject } from "../json";

/** The only AdmissionReview version this webhook speaks. Register it with `admissionReviewVersions: ["v1"]`. */
export const ADMISSION_API_VERSION = "admission.k8s.io/v1";

export const OPERATIONS = ["CREATE", "UPDATE", "DELETE", "CONNECT"] as const;
export type Operation = (typeof OPERATIONS)[number];

/** `metav1.GroupVersionKind` as the API server sends it (`group` is `""` for the core group). */
export interface GroupVersionKind {
    readonly group: string;
    readonly version: string;
    readonly kind: string;
}

/** `metav1.GroupVersionResource`. */
export interface GroupVersionResource {
    readonly group: string;
    readonly version: string;
    readonly resource: string;
}

/** The validated `request` of an AdmissionReview. */
export interface AdmissionRequest {
    readonly uid: string;
    readonly kind: GroupVersionKind;
    readonly resource: GroupVersionResource;
    /** `""` when the request is for the main resource. */
    readonly subResource: string;
    readonly operation: Operation;
    /** `""` for cluster-scoped objects. */
    readonly namespace: string;
    /** `""` when the API server has not assigned one yet (CREATE with `generateName`). */
    readonly name: string;
    /** The new object (CREATE, UPDATE, CONNECT options); `undefined` for DELETE. */
    readonly object?: JsonObject;
    /** The existing object (UPDATE, DELETE). */
    readonly oldObject?: JsonObject;
    readonly dryRun: boolean;
}

/** A malformed AdmissionReview: answered with HTTP 400 and this message. */
export class ReviewError extends Error {
    override readonly name = "ReviewError";
}

/** `metav1.Status` inside an AdmissionResponse. */
export interface ResponseStatus {
    readonly code: number;
    readonly message: string;
    readonly reason?: string;
}

export interface AdmissionResponse {
    readonly uid: string;
    readonly allowed: boolean;
    readonly status?: ResponseStatus;
    readonly warnings?: readonly string[];
}

export interface AdmissionReviewResponse {
    readonly apiVersion: typeof ADMISSION_API_VERSION;
    readonly kind: "AdmissionReview";
    readonly response: AdmissionResponse;
}

function field(obj: JsonObject, key: string, where: string): JsonObject {
    const v = obj[key];
    if (!isJsonObject(v)) throw new ReviewError(`${where}.${key} must be an object`);
    return v;
}

function str(obj: JsonObject, key: string, where: string, opts: { optional?: boolean; nonEmpty?: boolean } = {}): string {
    const v = obj[key];
    if (v === undefined || v === null) {
        if (opts.optional) return "";
        throw new ReviewError(`${where}.${key} is required`);
    }
    if (typeof v !== "string") throw new ReviewError(`${where}.${key} must be a string`);
    if (opts.nonEmpty && v.length === 0) throw new ReviewError(`${where}.${key} must not be empty`);
    return v;
}

function optionalObject(obj: JsonObject, key: string, where: string): JsonObject | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (!isJsonObject(v)) throw new ReviewError(`${where}.${key} must be an object or null`);
    return v;
}

/**
 * Validate a parsed JSON body as an AdmissionReview v1 request.
 * @throws ReviewError naming the first malformed field.
 */
export function parseAdmissionReview(body: unknown): AdmissionRequest {
    if (!isJsonObject(body)) throw new ReviewError("body must be a JSON object (an AdmissionReview)");
    const apiVersion = body["apiVersion"];
    if (apiVersion !== ADMISSION_API_VERSION) {
        throw new ReviewError(
            `apiVersion must be "${ADMISSION_API_VERSION}" (got ${describe(apiVersion)}); register the webhook with admissionReviewVersions: ["v1"]`,
        );
    }
    if (body["kind"] !== "AdmissionReview") throw new ReviewError(`kind must be "AdmissionReview" (got ${describe(body["kind"])})`);
    const req = field(body, "request", "AdmissionReview");
    const w = "request";
    const uid = str(req, "uid", w, { nonEmpty: true });
    const k = field(req, "kind", w);
    const kind: GroupVersionKind = {
        group: str(k, "group", `${w}.kind`, { optional: true }),
        version: str(k, "version", `${w}.kind`, { nonEmpty: true }),
        kind: str(k, "kind", `${w}.kind`, { nonEmpty: true }),
    };
    const r = field(req, "resource", w);
    const resource: GroupVersionResource = {
        group: str(r, "group", `${w}.resource`, { optional: true }),
        version: str(r, "version", `${w}.resource`, { nonEmpty: true }),
        resource: str(r, "resource", `${w}.resource`, { nonEmpty: true }),
    };
    const op = req["operation"];
    if (typeof op !== "string" || !(OPERATIONS as readonly string[]).includes(op)) {
        throw new ReviewError(`${w}.operation must be one of ${OPERATIONS.join(", ")} (got ${describe(op)})`);
    }
    const operation = op as Operation;
    const object = optionalObject(req, "object", w);
    const oldObject = optionalObject(req, "oldObject", w);
    if ((operation === "CREATE" || operation === "UPDATE") && object === undefined) {
        throw new ReviewError(`${w}.object is required for ${operation}`);
    }
    const dryRun = req["dryRun"];
    if (dryRun !== undefined && dryRun !== null && typeof dryRun !== "boolean") throw new ReviewError(`${w}.dryRun must be a boolean`);
    return {
        uid,
        kind,
        resource,
        subResource: str(req, "subResource", w, { optional: true }),
        operation,
        namespace: str(req, "namespace", w, { optional: true }),
        name: str(req, "name", w, { optional: true }),
        object,
        oldObject,
        dryRun: dryRun === true,
    };
}

/** Parse raw body bytes as JSON, turning syntax errors into a `ReviewError`. */
export function parseJsonBody(bytes: Buffer): unknown {
    try {
        return JSON.parse(bytes.toString("utf8"));
    } catch (err) {
        throw new ReviewError(`body is not valid JSON: ${describeError(err)}`);
    }
}

/** Build the AdmissionReview answer for one request. */
export function reviewResponse(response: AdmissionResponse): AdmissionReviewResponse {
    return { apiVersion: ADMISSION_API_VERSION, kind: "AdmissionReview", response };
}

function describe(v: unknown): string {
    if (v === undefined) return "nothing";
    if (typeof v === "string") return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
    if (v === null) return "null";
    return Array.isArray(v) ? "an array" : `a ${typeof v}`;
}
