/**
 * A minimal HTTPS admission webhook for engine tests: answers every AdmissionReview with
 * `allowed: false` and a fixed message, and counts the reviews it saw.
 */
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { createCertificateAuthority, issueCertificate } from "../../fixtures/engines/pki";

export interface DenyingWebhookServer {
    /** `https://127.0.0.1:<port>/validate` */
    readonly url: string;
    /** CA that signed the server certificate (for the webhook's caBundle). */
    readonly caPem: string;
    /** AdmissionReview requests received (kind and name of each object). */
    readonly reviews: Array<{ uid: string; kind: string; name: string; dryRun: boolean }>;
    close(): Promise<void>;
}

interface AdmissionReviewIn {
    apiVersion?: string;
    kind?: string;
    request?: { uid?: string; kind?: { kind?: string }; name?: string; dryRun?: boolean; object?: { metadata?: { name?: string } } };
}

/** Starts the server on 127.0.0.1 (random port) with certificates issued in `dir`. */
export async function startDenyingWebhook(dir: string, message: string): Promise<DenyingWebhookServer> {
    const ca = createCertificateAuthority(dir, "aiguard-test-webhook-ca");
    const cert = issueCertificate(ca, dir, {
        name: "webhook", commonName: "aiguard-test-webhook", usage: "server", subjectAltNames: ["127.0.0.1"],
    });
    const reviews: DenyingWebhookServer["reviews"] = [];
    const server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
        let body = "";
        req.setEncoding("utf8");
        req.on("data", (c: string) => (body += c));
        req.on("end", () => {
            let review: AdmissionReviewIn;
            try {
                review = JSON.parse(body) as AdmissionReviewIn;
            } catch {
                res.writeHead(400, { "content-type": "text/plain" }).end("body is not JSON");
                return;
            }
            const uid = review.request?.uid;
            // The apiserver appends `?timeout=<n>s` to the webhook URL.
            const pathname = new URL(req.url ?? "/", "https://127.0.0.1").pathname;
            if (req.method !== "POST" || pathname !== "/validate" || typeof uid !== "string") {
                res.writeHead(400, { "content-type": "text/plain" }).end("expected POST /validate with an AdmissionReview");
                return;
            }
            reviews.push({
                uid,
                kind: review.request?.kind?.kind ?? "",
                name: review.request?.name ?? review.request?.object?.metadata?.name ?? "",
                dryRun: review.request?.dryRun === true,
            });
            res.writeHead(200, { "content-type": "application/json" }).end(
                JSON.stringify({
                    apiVersion: "admission.k8s.io/v1",
                    kind: "AdmissionReview",
                    response: { uid, allowed: false, status: { code: 403, message } },
                }),
            );
        });
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return {
        url: `https://127.0.0.1:${port}/validate`,
        caPem: ca.certPem,
        reviews,
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}
