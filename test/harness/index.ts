/**
 * The shared test harness: run a Pulumi program offline, then query what it registered.
 *
 * Every component and stack test goes through this, so that all of them see the same recorded
 * registrations (type, name, inputs, parent) and the same failure on an unmocked provider call.
 */
import { runOffline, type OfflineRun, type OfflineRunOptions, type RecordedResource } from "../../offline/recording-mocks";

export type { RecordedResource, OfflineRunOptions } from "../../offline/recording-mocks";
export { UnmockedCallError, MOCK_ACCOUNT_ID, MOCK_REGION } from "../../offline/recording-mocks";

/** A finished offline run with query helpers. */
export class Recorded<T> {
    constructor(readonly run: OfflineRun<T>) {}

    get resources(): readonly RecordedResource[] {
        return this.run.resources;
    }

    get result(): T {
        return this.run.result;
    }

    /** All registrations of a type token. */
    ofType(type: string): RecordedResource[] {
        return this.run.resources.filter((r) => r.type === type);
    }

    /** The one registration with this type and logical name; throws (listing what exists) otherwise. */
    get(type: string, name: string): RecordedResource {
        const hits = this.run.resources.filter((r) => r.type === type && r.name === name);
        if (hits.length !== 1) {
            const names = this.ofType(type).map((r) => r.name);
            throw new Error(`expected exactly one ${type} named "${name}", found ${hits.length}; registered names of that type: ${JSON.stringify(names)}`);
        }
        return hits[0]!;
    }

    /** Inputs of the one registration with this type and name. */
    inputs(type: string, name: string): Record<string, any> {
        return this.get(type, name).inputs as Record<string, any>;
    }

    /** Direct children of a URN. */
    childrenOf(urn: string): RecordedResource[] {
        return this.run.resources.filter((r) => r.parent === urn);
    }

    /** Count of registrations per type token, sorted by type. */
    countByType(): Record<string, number> {
        const out: Record<string, number> = {};
        for (const r of [...this.run.resources].sort((a, b) => a.type.localeCompare(b.type))) {
            out[r.type] = (out[r.type] ?? 0) + 1;
        }
        return out;
    }
}

/** Runs `program` offline under recording mocks; see {@link runOffline}. */
export async function record<T>(program: () => T | Promise<T>, options?: OfflineRunOptions): Promise<Recorded<T>> {
    return new Recorded(await runOffline(program, options));
}

/** Parses an IAM/bucket/key policy input given as a JSON string or an object. */
export function policyDoc(value: unknown): { Version?: string; Statement: any[] } {
    const doc = typeof value === "string" ? JSON.parse(value) : value;
    if (!doc || typeof doc !== "object" || !Array.isArray((doc as any).Statement)) {
        throw new Error(`not a policy document: ${JSON.stringify(value)}`);
    }
    return doc as any;
}
