/** Test TLS material made with openssl: one CA, and server certificates it signs (SAN 127.0.0.1, localhost). */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestCa {
    readonly dir: string;
    readonly caFile: string;
    readonly ca: Buffer;
    /** Issue a server cert/key pair into `<dir>/<name>.crt|.key`; returns the paths. */
    issue(name: string): { certFile: string; keyFile: string };
}

function openssl(args: string[], cwd: string): void {
    execFileSync("openssl", args, { cwd, stdio: "pipe" });
}

const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];

export function makeCa(dir = mkdtempSync(join(tmpdir(), "aiguard-tls-"))): TestCa {
    openssl(["req", "-x509", ...EC, "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=aiguard test CA"], dir);
    writeFileSync(join(dir, "server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
    return {
        dir,
        caFile: join(dir, "ca.crt"),
        ca: readFileSync(join(dir, "ca.crt")),
        issue(name: string) {
            openssl(["req", ...EC, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${name}`], dir);
            openssl(["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${name}.crt`, "-days", "2", "-extfile", "server.ext"], dir);
            return { certFile: join(dir, `${name}.crt`), keyFile: join(dir, `${name}.key`) };
        },
    };
}
