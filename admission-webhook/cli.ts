/**
 * `aiguard-admission`: the model-image admission webhook and its offline checks (DP-2, DV-1, P7).
 *
 *   serve            run the HTTPS ValidatingAdmissionWebhook
 *   verify-image     verify one image reference against a trust policy
 *   check-manifests  verify every image of Kubernetes YAML files (CI)
 *
 * Exit codes of the offline commands: 0 verified, 1 denied, 2 usage or input error.
 * Run with `node --import tsx admission-webhook/cli.ts <command> --help`.
 */
import { readFile, writeFile } from "node:fs/promises";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import pino from "pino";
import { DEFAULT_REGISTRY_CONCURRENCY, EcrCredentialSource, ImageVerifier, validateEcrEndpoint, type EcrCredentialsMode, type EcrTokenEvent, type ImageVerifierOptions } from "./verification";
import { WebhookServer, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_CONNECTIONS } from "./server/http/server";
import { DEFAULT_MAX_IMAGES_PER_OBJECT } from "./server/admit";
import { verifierLoader, readTrustPolicy } from "./server/policy/verifier-loader";
import { scanManifests, type ManifestImage } from "./server/offline/manifests";
import { WebhookMetrics } from "./server/metrics";
import { EXIT_DENIED, EXIT_INPUT, EXIT_OK, InputError, inputErrorLines, parseLabels, readDockerConfig, verifyImages, type Output, type ReportOptions } from "./server/offline/verify";
import { IMAGE_REPORT_FORMATS, renderImageError, type ImageReportFormat } from "./server/offline/report";
import { describeError } from "../common/errors";

function int(name: string, min: number, max: number) {
    return (v: string): number => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
        return n;
    };
}
const collect = (v: string, prev: string[]): string[] => [...prev, v];

interface RegistryFlags {
    insecureRegistry: string[];
    registryCa: string[];
    ecrCredentials: EcrCredentialsMode;
    ecrEndpoint?: string;
}

/** Verifier options from the registry flags; the caller closes `ecr` when done. */
async function verifierOptions(f: RegistryFlags, onTokenFetch?: (e: EcrTokenEvent) => void): Promise<Omit<ImageVerifierOptions, "hooks"> & { ecr: EcrCredentialSource }> {
    const caCertificates = await Promise.all(
        f.registryCa.map((p) => readFile(p).catch((err: unknown) => Promise.reject(new InputError(`cannot read --registry-ca ${p}: ${describeError(err)}`, "pass a readable PEM file of the CA certificate")))),
    );
    const ecr = new EcrCredentialSource({ mode: f.ecrCredentials, ...(f.ecrEndpoint !== undefined ? { endpoint: f.ecrEndpoint } : {}), ...(onTokenFetch ? { onTokenFetch } : {}) });
    return { insecureRegistries: f.insecureRegistry, caCertificates, ecr };
}

function ecrEndpoint(v: string): string {
    try {
        validateEcrEndpoint(v);
    } catch (err) {
        throw new InvalidArgumentError(describeError(err));
    }
    return v;
}

function registryOptions(cmd: Command): Command {
    return cmd
        .option("--insecure-registry <host:port>", "reach this loopback registry over plain HTTP (repeatable; loopback hosts only)", collect, [])
        .option("--registry-ca <file>", "extra PEM CA trusted for registry TLS (repeatable)", collect, [])
        .addOption(new Option("--ecr-credentials <mode>", "Amazon ECR hosts without pull-secret credentials: auto = get a registry token with the process's AWS identity (EKS Pod Identity, IRSA, env); off = never call the ECR API").choices(["auto", "off"]).default("auto"))
        .addOption(new Option("--ecr-endpoint <url>", "ECR API endpoint override (VPC endpoint without private DNS; https, or http to loopback)").argParser(ecrEndpoint));
}

/** `--format` and `--output` of the offline commands. */
function reportOptions(cmd: Command): Command {
    return cmd
        .addOption(new Option("-f, --format <format>", "text (one line per image), json, or sarif (GitHub code scanning: each violation at the image's line in the manifest)").choices(IMAGE_REPORT_FORMATS).default("text"))
        .option("-o, --output <file>", "write the report to a file instead of stdout");
}

/**
 * Build the CLI. `io` receives the offline commands' report; `exit` their exit code (`serve` exits
 * the process after SIGTERM). `toolVersion` is named in JSON/SARIF reports.
 */
export function buildProgram(io: Output, exit: (code: number) => void, toolVersion?: string): Command {
    const report = (command: string, o: Record<string, unknown>): ReportOptions => ({
        format: o["format"] as ImageReportFormat,
        ...(o["output"] !== undefined ? { output: o["output"] as string } : {}),
        command,
        ...(toolVersion ? { toolVersion } : {}),
    });
    const program = new Command("aiguard-admission")
        .description("Admission webhook that denies workloads whose images are not digest-pinned and signed by a trusted authority (DP-2, DV-1, P7).")
        .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
        .exitOverride()
        .showHelpAfterError();

    registryOptions(
        program
            .command("serve")
            .description("Run the HTTPS webhook: POST /validate, GET /healthz, /readyz, /metrics.")
            .requiredOption("--policy <file|dir>", "trust policy file, or the directory a ConfigMap is mounted at (reloaded on change)")
            .requiredOption("--tls-cert <file>", "serving certificate (PEM), reloaded on change")
            .requiredOption("--tls-key <file>", "serving key (PEM), reloaded on change")
            .addOption(new Option("--port <n>", "HTTPS port").default(8443).argParser(int("--port", 0, 65535)))
            .option("--host <addr>", "listen address", "0.0.0.0")
            .addOption(new Option("--deadline-ms <n>", "decision budget; keep it below the webhook's timeoutSeconds").default(8000).argParser(int("--deadline-ms", 100, 30000)))
            .addOption(new Option("--max-body-bytes <n>", "largest accepted review (larger: 413)").default(DEFAULT_MAX_BODY_BYTES).argParser(int("--max-body-bytes", 1024, 64 * 1024 * 1024)))
            .addOption(new Option("--max-images-per-object <n>", "most distinct images one object may name (more: denied unverified)").default(DEFAULT_MAX_IMAGES_PER_OBJECT).argParser(int("--max-images-per-object", 1, 100000)))
            .addOption(new Option("--registry-concurrency <n>", "most image verifications talking to registries at once, shared fairly between requests").default(DEFAULT_REGISTRY_CONCURRENCY).argParser(int("--registry-concurrency", 1, 1024)))
            .addOption(new Option("--max-connections <n>", "most simultaneous client connections").default(DEFAULT_MAX_CONNECTIONS).argParser(int("--max-connections", 1, 65536)))
            .addOption(new Option("--api-timeout-ms <n>", "deadline of each Kubernetes API call").default(3000).argParser(int("--api-timeout-ms", 100, 30000)))
            .addOption(new Option("--namespace-cache-ms <n>", "how long directly read namespace labels and service accounts are reused (0: off)").default(30000).argParser(int("--namespace-cache-ms", 0, 3600000)))
            .addOption(new Option("--shutdown-grace-ms <n>", "on SIGTERM, wait this long for in-flight reviews").default(20000).argParser(int("--shutdown-grace-ms", 0, 600000)))
            .addOption(new Option("--shutdown-delay-ms <n>", "on SIGTERM, keep serving (not ready) this long before closing the listener").default(0).argParser(int("--shutdown-delay-ms", 0, 600000)))
            .option("--kubeconfig <file>", "kubeconfig to use instead of in-cluster / $KUBECONFIG")
            .addOption(new Option("--log-level <level>", "log level").choices(["debug", "info", "warn", "error"]).default("info")),
    ).action(async (o: Record<string, unknown> & RegistryFlags) => {
        // Loaded here only: @kubernetes/client-node takes seconds to import and the offline commands don't need it.
        const { KubeClusterFacts, loadKubeConfig } = await import("./server/cluster/kube.js");
        const logger = pino({ level: o["logLevel"] as string });
        const metrics = new WebhookMetrics();
        // One ECR credential source for the process: its token cache outlives policy reloads.
        const verifier = await verifierOptions(o, (e) => {
            if (e.ok) logger.info({ registry: e.registry, expiresAt: e.expiresAt?.toISOString(), durationMs: e.durationMs }, "ECR registry token refreshed");
            else logger.warn({ registry: e.registry, err: e.error, durationMs: e.durationMs }, "ECR registry token request failed");
        });
        const server = await WebhookServer.start({
            policyPath: o["policy"] as string,
            tlsCertFile: o["tlsCert"] as string,
            tlsKeyFile: o["tlsKey"] as string,
            port: o["port"] as number,
            host: o["host"] as string,
            deadlineMs: o["deadlineMs"] as number,
            maxBodyBytes: o["maxBodyBytes"] as number,
            maxImagesPerObject: o["maxImagesPerObject"] as number,
            maxConnections: o["maxConnections"] as number,
            shutdownGraceMs: o["shutdownGraceMs"] as number,
            shutdownDelayMs: o["shutdownDelayMs"] as number,
            loadPolicy: verifierLoader({ verifier, metrics, registryConcurrency: o["registryConcurrency"] as number }),
            facts: new KubeClusterFacts(loadKubeConfig(o["kubeconfig"] as string | undefined), {
                callTimeoutMs: o["apiTimeoutMs"] as number,
                namespaceLabelTtlMs: o["namespaceCacheMs"] as number,
                onWatchEvent: (e) => {
                    if (e.state === "synced") logger.info({ resource: e.resource, objects: e.objects }, "cluster watch synced");
                    else logger.warn({ resource: e.resource, err: e.error }, "cluster watch failed; reading the API directly until it recovers");
                },
            }),
            logger,
            metrics,
        });
        const stop = (signal: string): void => {
            logger.info({ signal }, "signal received");
            void server.shutdown().then(() => process.exit(EXIT_OK));
        };
        process.once("SIGTERM", () => stop("SIGTERM"));
        process.once("SIGINT", () => stop("SIGINT"));
    });

    registryOptions(reportOptions(
        program
            .command("verify-image")
            .description("Verify one image reference against a trust policy. Exit 0 verified, 1 denied, 2 usage/input error.")
            .argument("<ref>", "image reference, e.g. registry.example/models/llm@sha256:...")
            .requiredOption("--policy <file|dir>", "trust policy file")
            .option("--namespace-labels <k=v,...>", "labels of the target namespace (repeatable); default: every policy applies", collect, [])
            .option("--docker-config <file>", "docker config.json with registry credentials")
            .addOption(new Option("--timeout-ms <n>", "overall deadline").default(30000).argParser(int("--timeout-ms", 100, 600000))),
    )).action(async (ref: string, o: Record<string, unknown> & RegistryFlags) => {
        const r = report("verify-image", o);
        exit(await withErrorDocument(r, io, () => offline([{ source: "argument", kind: "Image", namespace: "-", name: "-", path: "image", image: ref }], o, io, r)));
    });

    registryOptions(reportOptions(
        program
            .command("check-manifests")
            .description("Verify every image of multi-document Kubernetes YAML files, as the webhook would (CI). Exit 0 verified, 1 denied, 2 usage/input error.")
            .argument("<files...>", "YAML files (use - for stdin)")
            .requiredOption("--policy <file|dir>", "trust policy file")
            .option("--namespace <ns>", "namespace for objects without metadata.namespace", "default")
            .option("--namespace-labels <k=v,...>", "labels of the target namespace (repeatable); default: every policy applies", collect, [])
            .option("--docker-config <file>", "docker config.json with registry credentials")
            .addOption(new Option("--timeout-ms <n>", "overall deadline").default(60000).argParser(int("--timeout-ms", 100, 600000))),
    )).action(async (files: string[], o: Record<string, unknown> & RegistryFlags) => {
        const r = report("check-manifests", o);
        exit(await withErrorDocument(r, io, () => checkManifests(files, o, io, r)));
    });
    return program;
}

/** check-manifests: scan every file (every bad document is reported at once), then verify the images. */
async function checkManifests(files: readonly string[], o: Record<string, unknown> & RegistryFlags, io: Output, report: ReportOptions): Promise<number> {
    const images: ManifestImage[] = [];
    const errors: string[] = [];
    for (const file of files) {
        let text: string;
        try {
            text = file === "-" ? await readStdin() : await readFile(file, "utf8");
        } catch (err) {
            errors.push(`cannot read ${file}: ${describeError(err)}`);
            continue;
        }
        const scan = scanManifests(file, text, o["namespace"] as string);
        images.push(...scan.images);
        errors.push(...scan.errors);
        for (const s of scan.skipped) io.err(`skipped ${s}: no pod template`);
    }
    if (errors.length > 0) {
        throw new InputError(errors[0]!, "fix the manifests (every document must be a Kubernetes object; pod templates must name every container's image)", errors.slice(1));
    }
    return offline(images, o, io, report);
}

/**
 * For `--format json|sarif`, a run that fails on its input still writes a document (with the error
 * and its fix), so a CI step that uploads it finds one; the error is then reported as usual.
 */
async function withErrorDocument(report: ReportOptions, io: Output, run: () => Promise<number>): Promise<number> {
    try {
        return await run();
    } catch (err) {
        if (report.format !== "text" && err instanceof InputError) {
            const text = renderImageError(report.format, report.command, report.toolVersion, { message: [err.message, ...err.more].join("\n"), ...(err.fix ? { fix: err.fix } : {}) }, EXIT_INPUT);
            if (report.output === undefined) io.out(text);
            else await writeFile(report.output, `${text}\n`).catch(() => undefined);
        }
        throw err;
    }
}

async function offline(images: readonly ManifestImage[], o: Record<string, unknown> & RegistryFlags, io: Output, report: ReportOptions): Promise<number> {
    const labelFlags = o["namespaceLabels"] as string[];
    const namespaceLabels = labelFlags.length > 0 ? parseLabels(labelFlags) : undefined;
    const credentials = await readDockerConfig(o["dockerConfig"] as string | undefined);
    let policy;
    try {
        policy = await readTrustPolicy(o["policy"] as string);
    } catch (err) {
        throw new InputError(`trust policy ${o["policy"] as string}: ${describeError(err)}`, "fix the trust policy (apiVersion aiguard.io/v1, kind ImageTrustPolicy; see admission-webhook/POLICY.md)");
    }
    const options = await verifierOptions(o);
    const verifier = new ImageVerifier(policy, options);
    try {
        return await verifyImages(verifier, images, { credentials, timeoutMs: o["timeoutMs"] as number, ...(namespaceLabels ? { namespaceLabels } : {}) }, io, report);
    } finally {
        await verifier.close();
        await options.ecr.close();
    }
}

async function readStdin(): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString("utf8");
}

/** Run the CLI; resolves with the exit code for the offline commands (serve keeps running). */
export async function main(argv: readonly string[], io: Output = { out: (l) => console.log(l), err: (l) => console.error(l) }): Promise<number | undefined> {
    let code: number | undefined;
    const program = buildProgram(io, (c) => {
        code = c;
    });
    try {
        await program.parseAsync([...argv], { from: "user" });
    } catch (err) {
        if (err instanceof CommanderError) {
            return err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help" ? EXIT_OK : EXIT_INPUT;
        }
        if (err instanceof InputError) {
            for (const line of inputErrorLines("aiguard-admission", err)) io.err(line);
            return EXIT_INPUT;
        }
        io.err(`aiguard-admission: error: ${describeError(err)}`);
        return EXIT_INPUT;
    }
    return code;
}

if (require.main === module) {
    void main(process.argv.slice(2)).then((code) => {
        if (code !== undefined) process.exit(code);
    });
}

export { EXIT_DENIED, EXIT_INPUT, EXIT_OK, InputError, inputErrorLines };
