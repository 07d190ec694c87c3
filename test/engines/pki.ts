/**
 * Throw-away PKI for the engine test bed: a CA and the certificates a local kube-apiserver, its
 * clients and a test webhook server need. Built with the `openssl` CLI (OpenSSL >= 3.0, for
 * `req -x509 -CA`); keys are ECDSA P-256, certificates are valid for 2 days.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";

/** A CA on disk, with its certificate also in memory (PEM). */
export interface CertificateAuthority {
    readonly certPath: string;
    readonly keyPath: string;
    readonly certPem: string;
}

/** A key pair and certificate issued by a {@link CertificateAuthority}. */
export interface IssuedCertificate {
    readonly certPath: string;
    readonly keyPath: string;
    readonly certPem: string;
    readonly keyPem: string;
}

/** What to put in an issued certificate. */
export interface CertificateRequest {
    /** File name stem in the directory: `<name>.crt` and `<name>.key`. */
    readonly name: string;
    /** Subject common name (for Kubernetes client certificates: the user name). */
    readonly commonName: string;
    /** Subject organisations (for Kubernetes client certificates: the groups). Default none. */
    readonly organizations?: readonly string[];
    /** `server` adds serverAuth and needs SANs; `client` adds clientAuth. */
    readonly usage: "server" | "client";
    /** Subject alternative names: IPv4 addresses become `IP:`, everything else `DNS:`. Default none. */
    readonly subjectAltNames?: readonly string[];
}

const VALID_DAYS = "2";

function openssl(args: readonly string[], cwd: string): void {
    try {
        execFileSync("openssl", args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    } catch (err) {
        const e = err as { code?: string; stderr?: Buffer };
        if (e.code === "ENOENT") {
            throw new Error("openssl is not on PATH; install it (apt-get install -y openssl)", { cause: err });
        }
        throw new Error(`openssl ${args.join(" ")} failed: ${e.stderr?.toString().trim() ?? String(err)}`, {
            cause: err,
        });
    }
}

/** A config with no defaults, so the system openssl.cnf adds no surprise extensions. */
function minimalConfig(dir: string): string {
    const file = path.join(dir, "openssl-min.cnf");
    if (!existsSync(file)) writeFileSync(file, "[req]\ndistinguished_name=dn\n[dn]\n");
    return file;
}

const EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];

/** Escapes a value for an openssl `-subj` string (`/` and `\` are special). */
function subjectValue(value: string): string {
    return value.replace(/[\\/]/g, (c) => `\\${c}`);
}

/** Creates a self-signed CA (`ca.crt`, `ca.key`) in `dir`. */
export function createCertificateAuthority(dir: string, commonName = "aiguard-test-ca"): CertificateAuthority {
    const certPath = path.join(dir, "ca.crt");
    const keyPath = path.join(dir, "ca.key");
    openssl(
        ["req", "-x509", "-new", "-config", minimalConfig(dir), ...EC_KEY, "-keyout", keyPath, "-out", certPath,
            "-days", VALID_DAYS, "-subj", `/CN=${subjectValue(commonName)}`,
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature"],
        dir,
    );
    return { certPath, keyPath, certPem: readFileSync(certPath, "utf8") };
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Issues a certificate signed by `ca` into `dir`. */
export function issueCertificate(ca: CertificateAuthority, dir: string, req: CertificateRequest): IssuedCertificate {
    const sans = req.subjectAltNames ?? [];
    if (req.usage === "server" && sans.length === 0) {
        throw new Error(`server certificate '${req.name}' needs subjectAltNames (TLS clients ignore the CN)`);
    }
    const certPath = path.join(dir, `${req.name}.crt`);
    const keyPath = path.join(dir, `${req.name}.key`);
    const subject = [`/CN=${subjectValue(req.commonName)}`, ...(req.organizations ?? []).map((o) => `/O=${subjectValue(o)}`)];
    const ext = [
        "-addext", "basicConstraints=critical,CA:FALSE",
        "-addext", "keyUsage=critical,digitalSignature",
        "-addext", `extendedKeyUsage=${req.usage === "server" ? "serverAuth" : "clientAuth"}`,
    ];
    if (sans.length > 0) {
        ext.push("-addext", `subjectAltName=${sans.map((s) => (IPV4.test(s) ? `IP:${s}` : `DNS:${s}`)).join(",")}`);
    }
    openssl(
        ["req", "-x509", "-new", "-config", minimalConfig(dir), ...EC_KEY, "-keyout", keyPath, "-out", certPath,
            "-days", VALID_DAYS, "-subj", subject.join(""), "-CA", ca.certPath, "-CAkey", ca.keyPath, ...ext],
        dir,
    );
    return { certPath, keyPath, certPem: readFileSync(certPath, "utf8"), keyPem: readFileSync(keyPath, "utf8") };
}

/** Writes an ECDSA P-256 key pair for signing service-account tokens: `<name>.key` and `<name>.pub`. */
export function createSigningKeyPair(dir: string, name: string): { privateKeyPath: string; publicKeyPath: string } {
    const privateKeyPath = path.join(dir, `${name}.key`);
    const publicKeyPath = path.join(dir, `${name}.pub`);
    openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", privateKeyPath], dir);
    openssl(["pkey", "-in", privateKeyPath, "-pubout", "-out", publicKeyPath], dir);
    return { privateKeyPath, publicKeyPath };
}
