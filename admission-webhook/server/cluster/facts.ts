/**
 * The cluster facts a decision needs (namespace labels, pull credentials), as an interface so the
 * offline commands and benchmarks can run without loading the Kubernetes client. `./kube` holds
 * the API-backed implementation.
 */
import type { RegistryCredential } from "../../verification/types";
import type { PodSpecFacts } from "../images";

/** Pull credentials plus notes about secrets that were skipped (for the decision log). */
export interface PullCredentials {
    readonly credentials: readonly RegistryCredential[];
    readonly notes: readonly string[];
}

/** Facts about the cluster that a decision needs. */
export interface ClusterFacts {
    namespaceLabels(namespace: string, signal: AbortSignal): Promise<Readonly<Record<string, string>>>;
    pullCredentials(namespace: string, pod: PodSpecFacts, signal: AbortSignal): Promise<PullCredentials>;
    /** Releases watches and connections (server shutdown). */
    close?(): Promise<void>;
}

/** The Kubernetes API could not answer; the request is denied. */
export class ClusterError extends Error {
    override readonly name = "ClusterError";
}

/** Fixed facts for offline use (`verify-image`, `check-manifests`): given labels, given credentials. */
export class StaticClusterFacts implements ClusterFacts {
    constructor(
        private readonly labels: Readonly<Record<string, string>> = {},
        private readonly credentials: readonly RegistryCredential[] = [],
    ) {}
    async namespaceLabels(): Promise<Readonly<Record<string, string>>> {
        return this.labels;
    }
    async pullCredentials(): Promise<PullCredentials> {
        return { credentials: this.credentials, notes: [] };
    }
}
