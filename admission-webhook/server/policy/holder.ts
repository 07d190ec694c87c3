/**
 * The trust policy currently in force, loaded from a file or a mounted ConfigMap directory and
 * reloaded when its content changes (the kubelet's `..data` symlink swap included). A policy that
 * fails to load is logged and counted, and the last good policy stays in force. With no good
 * policy at all the webhook is not ready and denies every checked request (fail closed).
 */
import type { Logger } from "pino";
import type { Decider } from "../admit";
import type { WebhookMetrics } from "../metrics";
import { ContentWatcher } from "./watch";
import { describeError } from "../../../common/errors";

/** A loaded policy: the decider that applies it and a short description for logs. */
export interface LoadedPolicy {
    readonly decider: Decider;
    readonly description: string;
    /** Release the decider's resources (registry connections); called at shutdown. */
    close?(): Promise<void>;
}

/** Loads the policy at a path (a file, or a directory of policy files). Throws on invalid policy. */
export type PolicyLoader = (path: string) => Promise<LoadedPolicy>;

export interface PolicyHolderOptions {
    readonly path: string;
    readonly loader: PolicyLoader;
    readonly logger: Logger;
    readonly metrics: WebhookMetrics;
    /** Watch the path and reload on change. Default true. */
    readonly watch?: boolean;
    /** Debounce of change events, in ms. Default 200. */
    readonly debounceMs?: number;
    /** Periodic re-check, in ms. Default 60000. */
    readonly pollMs?: number;
}

export class PolicyHolder {
    private policy: LoadedPolicy | undefined;
    private watcher: ContentWatcher | undefined;

    private constructor(private readonly options: PolicyHolderOptions) {}

    /** Load the policy once and start watching. A failed first load leaves the holder empty (not ready). */
    static async start(options: PolicyHolderOptions): Promise<PolicyHolder> {
        const holder = new PolicyHolder(options);
        options.metrics.policyLoaded.set(0);
        await holder.reload();
        if (options.watch ?? true) {
            holder.watcher = await ContentWatcher.start({
                paths: [options.path],
                onChange: async () => {
                    await holder.reload();
                },
                onError: (err) => options.logger.error({ err: describeError(err), path: options.path }, "policy watch failed"),
                ...(options.debounceMs !== undefined ? { debounceMs: options.debounceMs } : {}),
                ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
            });
        }
        return holder;
    }

    /** The decider of the policy in force, or undefined when none ever loaded. */
    current(): Decider | undefined {
        return this.policy?.decider;
    }

    get description(): string | undefined {
        return this.policy?.description;
    }

    /** Load the policy now. Returns whether it loaded; on failure the previous policy stays. */
    async reload(): Promise<boolean> {
        const { path, loader, logger, metrics } = this.options;
        try {
            const next = await loader(path);
            this.policy = next;
            metrics.policyReloads.inc();
            metrics.policyLoaded.set(1);
            logger.info({ path, policy: next.description }, "trust policy loaded");
            return true;
        } catch (err) {
            metrics.policyLoadErrors.inc();
            logger.error(
                { path, err: describeError(err), kept: this.policy?.description ?? null },
                this.policy ? "trust policy rejected; keeping the last good policy" : "trust policy rejected; no policy in force, every checked request is denied",
            );
            return false;
        }
    }

    /** Stop watching and release the policy in force. */
    async close(): Promise<void> {
        this.watcher?.close();
        await this.policy?.close?.();
    }
}
