/**
 * AnalyzeStack with a request encoded ahead of time, for timing the pack alone.
 *
 * `AnalyzerClient.analyzeStack` builds and encodes the request inside the call; on 10k resources
 * (~8 MB) google-protobuf's JavaScript encoder takes seconds in the benchmark process, time the
 * Pulumi engine (Go) does not spend. Here the request is encoded once, the same way (type, name,
 * URN, outputs, options with parent, parent, dependencies), and the call sends the bytes as they are.
 */
import { createRequire } from "node:module";
import type { AnalyzerResourceInput } from "../offline/analyzer-client";
import { PACK_REPORTS } from "../offline/evaluate";

const here = createRequire(__filename);
const fromPulumi = createRequire(here.resolve("@pulumi/pulumi/proto/analyzer_pb"));
const grpc = fromPulumi("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
const pb = fromPulumi("./analyzer_pb") as any;
const structPb = fromPulumi("google-protobuf/google/protobuf/struct_pb") as any;

const METHOD = "/pulumirpc.Analyzer/AnalyzeStack";

/** Encodes an AnalyzeStackRequest carrying these resources' outputs. */
export function encodeAnalyzeStack(resources: readonly AnalyzerResourceInput[]): Buffer {
    const req = new pb.AnalyzeStackRequest();
    req.setResourcesList(
        resources.map((r) => {
            const msg = new pb.AnalyzerResource();
            msg.setType(r.type);
            msg.setName(r.name);
            msg.setUrn(r.urn);
            msg.setProperties(structPb.Struct.fromJavaScript(JSON.parse(JSON.stringify(r.properties))));
            const options = new pb.AnalyzerResourceOptions();
            if (r.parent) options.setParent(r.parent);
            msg.setOptions(options);
            if (r.parent) msg.setParent(r.parent);
            msg.setDependenciesList([...(r.dependencies ?? [])]);
            return msg;
        }),
    );
    return Buffer.from(req.serializeBinary());
}

/** A raw analyzer connection that sends pre-encoded AnalyzeStack requests. */
export class RawAnalyzer {
    private readonly client: import("@grpc/grpc-js").Client;

    constructor(address: string) {
        this.client = new grpc.Client(address, grpc.credentials.createInsecure(), {
            "grpc.max_send_message_length": -1,
            "grpc.max_receive_message_length": -1,
        });
    }

    /** Sends the request bytes; resolves to the number of diagnostics in the response. */
    analyzeStack(request: Buffer): Promise<number> {
        return new Promise((resolve, reject) => {
            this.client.makeUnaryRequest(
                METHOD,
                (b: Buffer) => b,
                (b: Buffer) => pb.AnalyzeResponse.deserializeBinary(new Uint8Array(b)),
                request,
                // Findings only: the pack's scope and undecided reports are not violations.
                (err: Error | null, res?: any) => (err ? reject(err) : resolve(res.getDiagnosticsList().filter((d: any) => !PACK_REPORTS.has(d.getPolicyname())).length)),
            );
        });
    }

    close(): void {
        this.client.close();
    }
}
