/**
 * One Kubernetes API call with a deadline, and the translation of its failures into
 * `ClusterError`s whose messages name the object and the fix (the request is then denied).
 */
import { ApiException, Observable, type ConfigurationOptions } from "@kubernetes/client-node";
import { ClusterError } from "./facts";
import { describeError } from "../../../common/errors";

/** The object does not exist (HTTP 404). */
export class NotFound extends ClusterError {}

/**
 * Runs `fn` with options that abort it when `signal` fires or after `timeoutMs`. `what` names the
 * object (`namespace models`), `verb` the RBAC permission it needs (`get namespaces`).
 */
export async function apiCall<T>(what: string, verb: string, timeoutMs: number, signal: AbortSignal, fn: (o: ConfigurationOptions) => Promise<T>): Promise<T> {
    if (signal.aborted) throw new ClusterError(`reading ${what} was cancelled: the request deadline passed`);
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = AbortSignal.any([signal, timeout]);
    const options: ConfigurationOptions = {
        middleware: [
            {
                pre: (ctx) => {
                    ctx.setSignal(combined);
                    return new Observable(Promise.resolve(ctx));
                },
                post: (ctx) => new Observable(Promise.resolve(ctx)),
            },
        ],
        middlewareMergeStrategy: "append",
    };
    try {
        return await fn(options);
    } catch (err) {
        if (err instanceof ApiException) throw statusError(err.code, what, verb);
        if (timeout.aborted) throw new ClusterError(`reading ${what} from the Kubernetes API timed out after ${timeoutMs} ms`);
        if (signal.aborted) throw new ClusterError(`reading ${what} was cancelled: the request deadline passed`);
        throw new ClusterError(`the Kubernetes API could not be reached to read ${what}: ${describeError(err)}`);
    }
}

/** The error for an HTTP status from the API server. */
export function statusError(code: number, what: string, verb: string): ClusterError {
    if (code === 404) return new NotFound(`${what} not found`);
    if (code === 401) {
        // Authentication, not authorization: granting RBAC would not help.
        return new ClusterError(
            `the Kubernetes API did not accept the webhook's credentials reading ${what} (HTTP 401); check that the service account token (or --kubeconfig user) is valid and not expired`,
        );
    }
    if (code === 403) return new ClusterError(`the Kubernetes API refused to read ${what} (HTTP ${code}); grant the webhook's service account "${verb}" in RBAC`);
    return new ClusterError(`the Kubernetes API failed to read ${what} (HTTP ${code})`);
}
