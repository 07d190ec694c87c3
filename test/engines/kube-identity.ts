/**
 * Identities other than the fixture's admin for a {@link KubeCluster}: service-account tokens from
 * the TokenRequest API (`kubectl create token`), kubeconfigs that present a bearer token, and the
 * webhook's documented ClusterRole.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import type { KubeCluster } from "../../fixtures/engines/kube-fixture";
import { kubectlOk } from "../../fixtures/engines/kubectl";
import { REPO_ROOT } from "../../fixtures/engines/tools";

/** The ClusterRole that admission-webhook/README.md tells operators to grant the webhook. */
export function documentedClusterRole(): Record<string, unknown> {
    const readme = readFileSync(path.join(REPO_ROOT, "admission-webhook", "README.md"), "utf8");
    const block = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => /^kind: ClusterRole$/m.test(b));
    if (block === undefined) throw new Error("admission-webhook/README.md has no ClusterRole yaml block");
    return parse(block) as Record<string, unknown>;
}

/** Creates the service account (if missing) and returns a bound token for it, valid `duration` (default 1h). */
export async function serviceAccountToken(cluster: KubeCluster, namespace: string, name: string, duration = "1h"): Promise<string> {
    await kubectlOk(cluster.kubeconfigPath, ["apply", "-f", "-"], {
        input: JSON.stringify({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace } }),
    });
    const token = (await kubectlOk(cluster.kubeconfigPath, ["create", "token", name, "-n", namespace, `--duration=${duration}`])).trim();
    if (token.split(".").length !== 3) throw new Error(`kubectl create token ${name} returned no JWT: ${token.slice(0, 80)}`);
    return token;
}

/**
 * Writes `<cluster.dir>/kubeconfig-<name>.json` that talks to `server` (default the cluster's)
 * with the cluster CA and `token`; returns its path.
 */
export function writeTokenKubeconfig(cluster: KubeCluster, name: string, token: string, server = cluster.server): string {
    const file = path.join(cluster.dir, `kubeconfig-${name}.json`);
    const config = {
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "aiguard-test", cluster: { server, "certificate-authority-data": Buffer.from(cluster.caPem).toString("base64") } }],
        users: [{ name, user: { token } }],
        contexts: [{ name, context: { cluster: "aiguard-test", user: name } }],
        "current-context": name,
    };
    writeFileSync(file, JSON.stringify(config, null, 2), { mode: 0o600 });
    return file;
}
