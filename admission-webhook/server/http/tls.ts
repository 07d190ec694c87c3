/**
 * Serving certificate for the webhook: TLS 1.2 minimum, loaded from PEM files and reloaded
 * without a restart when the mounted Secret changes (cert-manager rotation).
 */
import type { Server } from "node:https";
import { readFile } from "node:fs/promises";
import { createSecureContext, type SecureContextOptions } from "node:tls";
import type { Logger } from "pino";
import type { WebhookMetrics } from "../metrics";
import { ContentWatcher } from "../policy/watch";
import { describeError } from "../../../common/errors";

/** TLS settings applied to every context. */
export const TLS_OPTIONS = { minVersion: "TLSv1.2" } as const satisfies SecureContextOptions;

export interface TlsFiles {
    readonly certFile: string;
    readonly keyFile: string;
}

/**
 * Read and check a certificate/key pair (a mismatched pair or bad PEM throws with the file names).
 */
export async function readTls(files: TlsFiles): Promise<SecureContextOptions> {
    const [cert, key] = await Promise.all([readFile(files.certFile), readFile(files.keyFile)]);
    const options = { ...TLS_OPTIONS, cert, key };
    try {
        createSecureContext(options);
    } catch (err) {
        throw new Error(`TLS certificate ${files.certFile} / key ${files.keyFile} cannot be used: ${describeError(err)}`);
    }
    return options;
}

/** Watch the cert and key files; swap the server's context on change, keep the old one on error. */
export async function watchCertificate(
    server: Server,
    files: TlsFiles,
    logger: Logger,
    metrics: WebhookMetrics,
    timing: { debounceMs?: number; pollMs?: number } = {},
): Promise<ContentWatcher> {
    return ContentWatcher.start({
        paths: [files.certFile, files.keyFile],
        ...timing,
        onChange: async () => {
            try {
                server.setSecureContext(await readTls(files));
                metrics.certReloads.inc({ result: "success" });
                logger.info({ cert: files.certFile }, "serving certificate reloaded");
            } catch (err) {
                metrics.certReloads.inc({ result: "failure" });
                logger.error({ cert: files.certFile, err: describeError(err) }, "serving certificate reload failed; keeping the current certificate");
            }
        },
        onError: (err) => logger.error({ err: describeError(err) }, "certificate watch failed"),
    });
}
