/**
 * Synthetic stacks for the policy-pack benchmark, built from the example platform.
 *
 * One offline run of `stacks/platform` (dev config) gives a realistic, fully compliant slice of
 * ~140 custom resources of the governed types: S3 buckets with their split configuration resources,
 * KMS keys, IAM roles and policies, two segregated VPCs with subnets, security groups, routes and
 * endpoints, log groups, CloudTrail, backup vaults and plans, SageMaker model/endpoint/notebook.
 * A stack of N resources is that slice replicated under renamed logical names (`<name>-r<i>`, applied
 * consistently to URNs, parents, dependencies and every property string that refers to a name, so
 * cross-resource references still resolve within each replica), plus small model-serving units (an
 * ECR repository and a Kubernetes namespace with its default-deny NetworkPolicy and a Deployment)
 * and single ECR repositories to reach N exactly. One Kubernetes image-admission webhook per stack.
 *
 * Every {@link SyntheticOptions.violatingEvery}-th replica and unit is seeded with known violations
 * ({@link SEEDED_VIOLATIONS}), so the pack reports a predictable number of findings that grows
 * linearly with the stack.
 */
import { fromRecorded, type AnalyzerResourceInput } from "../offline/analyzer-client";
import { runOffline, type RecordedResource } from "../offline/recording-mocks";
import { PROJECT, readStackConfigFile } from "../stacks/platform/config";
import { buildPlatform } from "../stacks/platform/platform";

/** One resource as the engine sends it: inputs (Analyze) and outputs (AnalyzeStack). */
export interface SyntheticResource {
    readonly input: AnalyzerResourceInput;
    readonly output: AnalyzerResourceInput;
}

export interface SyntheticStack {
    readonly resources: readonly SyntheticResource[];
    /** Platform replicas, model-serving units and single ECR repositories the stack is made of. */
    readonly replicas: number;
    readonly units: number;
    readonly singles: number;
    /** Replicas and units seeded with {@link SEEDED_VIOLATIONS}. */
    readonly seededReplicas: number;
    readonly seededUnits: number;
}

export interface SyntheticOptions {
    /** Seed violations into every n-th replica and unit (0-based index % n === n - 1). Default 10. */
    readonly violatingEvery?: number;
}

/** What a seeded replica or unit gets wrong (one finding each from the pack's default rules). */
export const SEEDED_VIOLATIONS = {
    replica: [
        "models bucket: versioning suspended",
        "datasets bucket key: rotation disabled",
        "flow-log group: 30-day retention (minimum 365)",
    ],
    unit: ["deployment image pinned by tag, not digest"],
} as const;

const STACK = "bench";
const URN_PREFIX = `urn:pulumi:${STACK}::${PROJECT}::`;
const ECR_HOST = "123456789012.dkr.ecr.eu-west-2.amazonaws.com";
const DIGEST = "sha256:" + "5e".repeat(32);
const UNIT_SIZE = 4;
const TAG_MAPS = new Set(["tags", "tagsAll"]);

/** Runs the example platform offline once; its custom resources, as recorded. */
export async function platformSlice(): Promise<RecordedResource[]> {
    const { cfg, raw } = readStackConfigFile("dev");
    const run = await runOffline(() => buildPlatform(cfg), { project: PROJECT, stack: STACK, config: raw });
    return run.resources.filter((r) => r.custom);
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A function that appends `-<suffix>` to every logical name occurring as a token in a string
 * (not inside a longer word, a DNS name or a service principal), longest names first. A string
 * that is exactly one of `keepWhole` is left alone: component names such as `audit` or `backup`
 * are also enum values (`enabledClusterLogTypes: ["audit"]`), and no property refers to a component.
 */
export function nameRenamer(names: Iterable<string>, suffix: string, keepWhole: ReadonlySet<string> = new Set()): (s: string) => string {
    const sorted = [...new Set(names)].sort((a, b) => b.length - a.length);
    const re = new RegExp(`(?<![A-Za-z0-9.])(${sorted.map(escapeRe).join("|")})(?![A-Za-z0-9.])`, "g");
    return (s) => (keepWhole.has(s) ? s : s.replace(re, `$1-${suffix}`));
}

/** Renames strings deeply; tag values other than `Name` are kept (they are classifications, not names). */
function renameDeep(v: unknown, rename: (s: string) => string, inTags = false): unknown {
    if (typeof v === "string") return rename(v);
    if (Array.isArray(v)) return v.map((x) => renameDeep(x, rename));
    if (v && typeof v === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) {
            if (inTags && k !== "Name") out[k] = x;
            else out[k] = renameDeep(x, rename, TAG_MAPS.has(k));
        }
        return out;
    }
    return v;
}

function renameUrn(urn: string, rename: (s: string) => string): string {
    const i = urn.lastIndexOf("::");
    return urn.slice(0, i + 2) + rename(urn.slice(i + 2));
}

function replica(slice: readonly RecordedResource[], allNames: readonly string[], componentNames: ReadonlySet<string>, index: number): SyntheticResource[] {
    const rename = nameRenamer(allNames, `r${index}`);
    const renameValue = nameRenamer(allNames, `r${index}`, componentNames);
    const { inputs, outputs } = fromRecorded(slice);
    const move = (r: AnalyzerResourceInput): AnalyzerResourceInput => ({
        type: r.type,
        name: rename(r.name),
        urn: renameUrn(r.urn, rename),
        parent: r.parent === undefined ? undefined : renameUrn(r.parent, rename),
        dependencies: (r.dependencies ?? []).map((d) => renameUrn(d, rename)),
        properties: renameDeep(r.properties, renameValue) as Record<string, unknown>,
    });
    return inputs.map((input, i) => ({ input: move(input), output: move(outputs[i]!) }));
}

/** Applies `edit` to the inputs and outputs of the replica's resource with this original name. */
function seed(resources: SyntheticResource[], name: string, edit: (p: Record<string, any>) => void): void {
    const r = resources.find((x) => x.input.name === name);
    if (!r) throw new Error(`synthetic stack: the platform has no resource "${name}" to seed a violation into; update SEEDED_VIOLATIONS`);
    edit(r.input.properties);
    edit(r.output.properties);
}

function seedReplica(resources: SyntheticResource[], index: number): void {
    seed(resources, `models-bucket-versioning-r${index}`, (p) => (p.versioningConfiguration = { status: "Suspended" }));
    seed(resources, `datasets-key-key-r${index}`, (p) => (p.enableKeyRotation = false));
    seed(resources, `ai-flow-logs-r${index}`, (p) => (p.retentionInDays = 30));
}

function k8s(type: string, name: string, props: Record<string, unknown>, parent?: string): SyntheticResource {
    const r: AnalyzerResourceInput = { type, name, urn: `${URN_PREFIX}${type}::${name}`, parent, properties: props };
    return { input: r, output: { ...r, properties: structuredClone(props) } };
}

function container(name: string, image: string) {
    return {
        name,
        image,
        resources: { limits: { cpu: "2", memory: "8Gi" }, requests: { cpu: "1", memory: "4Gi" } },
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
    };
}

/** A model-serving unit: ECR repository, namespace, default-deny policy, deployment. */
function unit(index: number, violating: boolean): SyntheticResource[] {
    const ns = `models-u${index}`;
    const repo = `models/server-u${index}`;
    const image = violating ? `${ECR_HOST}/${repo}:latest` : `${ECR_HOST}/${repo}@${DIGEST}`;
    return [
        ecrRepository(`serving-repo-u${index}`, repo),
        k8s("kubernetes:core/v1:Namespace", ns, {
            metadata: { name: ns, labels: { "aiguard.io/model-serving": "true", "pod-security.kubernetes.io/enforce": "restricted" } },
        }),
        k8s("kubernetes:networking.k8s.io/v1:NetworkPolicy", `deny-${ns}`, {
            metadata: { name: "default-deny", namespace: ns },
            spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
        }),
        k8s("kubernetes:apps/v1:Deployment", `server-u${index}`, {
            metadata: { name: "server", namespace: ns },
            spec: {
                replicas: 2,
                selector: { matchLabels: { app: "server" } },
                template: {
                    metadata: { labels: { app: "server" } },
                    spec: {
                        securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
                        containers: [container("server", image)],
                        volumes: [{ name: "tmp", emptyDir: {} }],
                    },
                },
            },
        }),
    ];
}

function ecrRepository(name: string, repo: string): SyntheticResource {
    const type = "aws:ecr/repository:Repository";
    const props = {
        name: repo,
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: "arn:aws:kms:eu-west-2:123456789012:key/registry" }],
        tags: { "aiguard:asset-kind": "registry", "aiguard:data-classification": "confidential", "aiguard:owner": "ml-platform@example.com" },
    };
    const r: AnalyzerResourceInput = { type, name, urn: `${URN_PREFIX}${type}::${name}`, properties: props };
    return { input: r, output: { ...r, properties: { ...structuredClone(props), arn: `arn:aws:ecr:eu-west-2:123456789012:repository/${repo}`, repositoryUrl: `${ECR_HOST}/${repo}` } } };
}

function admissionWebhook(): SyntheticResource {
    return k8s("kubernetes:admissionregistration.k8s.io/v1:ValidatingWebhookConfiguration", "image-admission", {
        metadata: { name: "aiguard-image-admission" },
        webhooks: [
            {
                name: "images.aiguard.io",
                failurePolicy: "Fail",
                sideEffects: "None",
                admissionReviewVersions: ["v1"],
                clientConfig: { service: { name: "aiguard-webhook", namespace: "aiguard-system", path: "/validate" } },
                namespaceSelector: { matchLabels: { "aiguard.io/model-serving": "true" } },
                rules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods", "pods/ephemeralcontainers"], scope: "Namespaced" }],
            },
        ],
    });
}

/**
 * Builds a stack of exactly `size` resources from a platform slice: as many platform replicas as
 * fit in 90% of it, then model-serving units, then single ECR repositories.
 */
export function syntheticStack(slice: readonly RecordedResource[], size: number, options: SyntheticOptions = {}): SyntheticStack {
    const every = options.violatingEvery ?? 10;
    if (!Number.isInteger(size) || size < slice.length + 1) {
        throw new Error(`synthetic stack: size must be an integer of at least ${slice.length + 1} (one platform replica and the webhook), got ${size}`);
    }
    if (!Number.isInteger(every) || every < 1) throw new Error(`synthetic stack: violatingEvery must be a positive integer, got ${every}`);
    const custom = new Set(slice.map((r) => r.name));
    const componentNames = new Set(slice.map((r) => r.parent).filter((p): p is string => !!p).map((p) => p.slice(p.lastIndexOf("::") + 2)).filter((n) => !custom.has(n)));
    const allNames = [...custom, ...componentNames];
    const resources: SyntheticResource[] = [admissionWebhook()];
    const replicas = Math.max(1, Math.floor((size * 0.9) / slice.length));
    let seededReplicas = 0;
    for (let i = 0; i < replicas; i++) {
        const rs = replica(slice, allNames, componentNames, i);
        if (i % every === every - 1) {
            seedReplica(rs, i);
            seededReplicas++;
        }
        resources.push(...rs);
    }
    const units = Math.floor((size - resources.length) / UNIT_SIZE);
    let seededUnits = 0;
    for (let i = 0; i < units; i++) {
        const violating = i % every === every - 1;
        if (violating) seededUnits++;
        resources.push(...unit(i, violating));
    }
    const singles = size - resources.length;
    for (let i = 0; i < singles; i++) resources.push(ecrRepository(`repo-s${i}`, `models/single-${i}`));
    return { resources, replicas, units, singles, seededReplicas, seededUnits };
}
