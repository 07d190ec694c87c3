/**
 * What an offline run cannot see, named so that no run passes silently over it:
 *
 *  - components implemented in provider plugins (multi-language components, registered `remote`):
 *    the plugin registers their children during a real preview, the offline run has no plugin;
 *  - resources of dynamic providers: what they create is decided by provider code at deployment;
 *  - stack references and resources read with `.get()`: their state lives in another stack or in
 *    the cloud;
 *  - Helm charts rendered by `helm template` (and other lookups that yield resources) without an
 *    answer, and components left empty because a lookup they depend on had no answer.
 *
 * Plus a note per lookup that had no answer (its results are unknown).
 */
import type { HostReply } from "../../offline/host-protocol";
import { functionName, RESOURCE_PRODUCING_LOOKUPS } from "../../offline/lookups";

export type UnseenKind = "remote-component" | "dynamic-resource" | "stack-reference" | "read" | "lookup-resources" | "empty-component";

export interface Unseen {
    readonly kind: UnseenKind;
    /** URN when the thing is a registered resource; absent for a lookup. */
    readonly urn?: string;
    readonly type: string;
    readonly name: string;
    /** Why the pack cannot judge it offline. */
    readonly reason: string;
}

/** What to do about anything unseen (one line, in every output). */
export const UNSEEN_FIX =
    "evaluate a real preview instead: `pulumi preview --json --show-sames > preview.json && aiguard check --from preview.json` (the engine sends what plugins, dynamic providers and reads produce)";

const REASONS: Record<UnseenKind, string> = {
    "remote-component": "component implemented in a provider plugin (multi-language component): the plugin registers its children, which an offline run cannot see",
    "dynamic-resource": "resource of a dynamic provider: what it creates is decided by its provider code at deployment",
    "stack-reference": "stack reference: the other stack's outputs are known only to its backend",
    read: "existing resource read with .get(): its state is read from the cloud",
    "lookup-resources": "",
    "empty-component": "component that registered no resources offline (a lookup it depends on had no answer)",
};

/** Lists what the run could not see. */
export function findUnseen(run: Pick<HostReply, "resources" | "reads" | "unanswered">): Unseen[] {
    const out: Unseen[] = [];
    const hasChildren = new Set(run.resources.map((r) => r.parent).filter((p): p is string => p !== undefined));
    for (const r of run.resources) {
        if (r.remote) out.push({ kind: "remote-component", urn: r.urn, type: r.type, name: r.name, reason: REASONS["remote-component"] });
        else if (r.type === "pulumi-nodejs:dynamic:Resource") out.push({ kind: "dynamic-resource", urn: r.urn, type: r.type, name: r.name, reason: REASONS["dynamic-resource"] });
        else if (!r.custom && r.type !== "pulumi:pulumi:Stack" && !hasChildren.has(r.urn) && run.unanswered.length > 0) {
            const chart = r.type === "kubernetes:helm.sh/v3:Chart";
            out.push({ kind: chart ? "lookup-resources" : "empty-component", urn: r.urn, type: r.type, name: r.name, reason: chart ? `resources of ${RESOURCE_PRODUCING_LOOKUPS["kubernetes:helm:template"]}` : REASONS["empty-component"] });
        }
    }
    for (const r of run.reads) {
        const kind: UnseenKind = r.type === "pulumi:pulumi:StackReference" ? "stack-reference" : "read";
        out.push({ kind, urn: r.urn, type: r.type, name: r.name, reason: REASONS[kind] });
    }
    const namedByComponent = out.some((u) => u.kind === "lookup-resources");
    for (const u of run.unanswered) {
        const what = RESOURCE_PRODUCING_LOOKUPS[u.token];
        if (!what || namedByComponent) continue;
        const chart = /"chart":"([^"]+)"/.exec(u.inputs.jsonOpts ?? "")?.[1];
        out.push({ kind: "lookup-resources", type: u.token, name: chart ?? functionName(u.token), reason: `resources of ${what}` });
    }
    return out;
}

/** One note per lookup that had no answer, with how often it was called. */
export function unansweredNotes(run: Pick<HostReply, "unanswered">): string[] {
    const counts = new Map<string, number>();
    for (const u of run.unanswered) counts.set(u.token, (counts.get(u.token) ?? 0) + 1);
    return [...counts].map(
        ([token, n]) =>
            `lookup ${functionName(token)} (${token}) had no offline answer${n > 1 ? ` (${n} calls)` : ""}: what the program derives from it is unknown ` +
            "(undefined through a promise); answer it in an --answers file to have it judged",
    );
}
