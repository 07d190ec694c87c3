/**
 * State files in `pulumi stack export` format built from an offline run (offline/recording-mocks.ts),
 * for `pulumi policy analyze --file`: every registration, custom resources and components alike,
 * with its URN, type, parent, id, inputs (what resource policies see), outputs (what stack
 * policies see) and dependencies (both kinds), in registration order (parents before children, as in a real snapshot).
 */
import { writeFileSync } from "node:fs";
import type { RecordedResource } from "../../offline/recording-mocks";

/** One resource of an export (`apitype.ResourceV3`, the fields this test bed fills). */
export interface ExportedResource {
    readonly urn: string;
    readonly custom: boolean;
    readonly type: string;
    readonly id?: string;
    readonly parent?: string;
    readonly inputs: Record<string, unknown>;
    readonly outputs: Record<string, unknown>;
    readonly dependencies?: readonly string[];
    readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
    readonly protect?: boolean;
}

/** Drops `undefined` (unknown at registration) the way JSON serialization of a snapshot does. */
function plain(v: Record<string, unknown>): Record<string, unknown> {
    return JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
}

/** Converts recorded registrations into export resources. */
export function exportedResources(resources: readonly RecordedResource[]): ExportedResource[] {
    return resources.map((r) => ({
        urn: r.urn,
        custom: r.custom,
        type: r.type,
        ...(r.custom && r.id !== undefined ? { id: r.id } : {}),
        ...(r.parent !== undefined ? { parent: r.parent } : {}),
        inputs: plain(r.inputs),
        outputs: plain(r.outputs),
        ...(r.dependencies.length > 0 ? { dependencies: [...new Set(r.dependencies)] } : {}),
        ...(r.propertyDependencies && Object.keys(r.propertyDependencies).length > 0 ? { propertyDependencies: r.propertyDependencies } : {}),
        ...(r.protect ? { protect: true } : {}),
    }));
}

/** Writes `{"version":3,"deployment":{"manifest":...,"resources":[...]}}` to `file`; returns `file`. */
export function writeStackExport(file: string, resources: readonly RecordedResource[]): string {
    const deployment = {
        version: 3,
        deployment: {
            manifest: { time: new Date().toISOString(), magic: "", version: "v3.259.0" },
            resources: exportedResources(resources),
        },
    };
    writeFileSync(file, JSON.stringify(deployment, null, 2));
    return file;
}
