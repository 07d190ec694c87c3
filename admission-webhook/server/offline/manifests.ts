/**
 * Offline (CI) side of the webhook: parse multi-document Kubernetes YAML and list every image with
 * its field path, using the same pod-spec extraction as admission, so a manifest that passes
 * `check-manifests` is judged on exactly the images the webhook will see.
 */
import { LineCounter, parseAllDocuments } from "yaml";
import { extractFromObject, groupOf, podSpecPath } from "../images";
import { isJsonObject, type JsonObject } from "../json";

export interface ManifestImage {
    /** `file#2` (second document), `file#3.items[0]` (inside a `List`). */
    readonly source: string;
    readonly kind: string;
    readonly namespace: string;
    readonly name: string;
    readonly path: string;
    readonly image: string;
    /** Where the image is written: the file (not for stdin) and the 1-based line and column of the value. */
    readonly location?: { readonly file: string; readonly line: number; readonly column: number };
}

export interface ManifestScan {
    readonly images: ManifestImage[];
    /** Objects of kinds that carry no pod template (ConfigMap, Service, …), as `source Kind name`. */
    readonly skipped: string[];
    /** Input errors (YAML syntax, malformed pod specs); any error makes the check fail with exit 2. */
    readonly errors: string[];
}

/** Scan one file's text. `defaultNamespace` applies to objects without `metadata.namespace`. */
export function scanManifests(file: string, text: string, defaultNamespace = "default"): ManifestScan {
    const scan: ManifestScan = { images: [], skipped: [], errors: [] };
    const lineCounter = new LineCounter();
    parseAllDocuments(text, { uniqueKeys: true, lineCounter }).forEach((doc, i) => {
        const source = `${file}#${i + 1}`;
        if (doc.errors.length > 0) {
            scan.errors.push(`${source}: invalid YAML: ${doc.errors[0]!.message}`);
            return;
        }
        const value: unknown = doc.toJS({ maxAliasCount: 100 });
        if (value === null || value === undefined) return;
        const locate = (keys: readonly (string | number)[]) => {
            if (file === "-") return undefined;
            const node = doc.getIn(keys, true) as { range?: [number, number, number] } | undefined;
            if (!node?.range) return undefined;
            const pos = lineCounter.linePos(node.range[0]);
            return { file, line: pos.line, column: pos.col };
        };
        scanObject(value, source, defaultNamespace, scan, [], locate);
    });
    return scan;
}

type Locate = (keys: readonly (string | number)[]) => ManifestImage["location"];

/** `spec.containers[0].image` → `["spec", "containers", 0, "image"]`. */
function fieldKeys(path: string): (string | number)[] {
    return path.split(".").flatMap((part) => {
        const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
        if (!m) return [part];
        return [...(m[1] ? [m[1]] : []), ...[...m[2]!.matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]))];
    });
}

function scanObject(value: unknown, source: string, defaultNamespace: string, scan: ManifestScan, prefix: readonly (string | number)[], locate: Locate): void {
    if (!isJsonObject(value)) {
        scan.errors.push(`${source}: a Kubernetes object must be a mapping`);
        return;
    }
    const apiVersion = value["apiVersion"];
    const kind = value["kind"];
    if (typeof apiVersion !== "string" || typeof kind !== "string") {
        scan.errors.push(`${source}: apiVersion and kind are required strings`);
        return;
    }
    if (kind === "List" || kind.endsWith("List")) {
        const items = value["items"];
        if (!Array.isArray(items)) {
            scan.errors.push(`${source}: ${kind}.items must be a list`);
            return;
        }
        items.forEach((item, j) => scanObject(item, `${source}.items[${j}]`, defaultNamespace, scan, [...prefix, "items", j], locate));
        return;
    }
    const meta: JsonObject = isJsonObject(value["metadata"]) ? value["metadata"] : {};
    const name = typeof meta["name"] === "string" ? meta["name"] : typeof meta["generateName"] === "string" ? `${meta["generateName"]}…` : "(unnamed)";
    const path = podSpecPath(groupOf(apiVersion), kind);
    if (path === undefined) {
        scan.skipped.push(`${source} ${kind} ${name}`);
        return;
    }
    const namespace = typeof meta["namespace"] === "string" && meta["namespace"] !== "" ? meta["namespace"] : defaultNamespace;
    const out = extractFromObject(value, path);
    if (out.action === "reject") {
        scan.errors.push(`${source} ${kind} ${namespace}/${name}: ${out.message}`);
        return;
    }
    if (out.action === "check") {
        for (const i of out.images) {
            const location = locate([...prefix, ...fieldKeys(i.path)]);
            scan.images.push({ source, kind, namespace, name, path: i.path, image: i.image, ...(location ? { location } : {}) });
        }
    }
}
