/**
 * Components x rules matrix. For every hardened component: its defaults-only instantiation must
 * pass the whole pack (a component default that any rule flags is a bug in one of them), and for
 * each relaxation switch, flipping it must make exactly the matching rule(s) fire, on the expected
 * resource. A switch that no rule judges says why in the table (it is not a security relaxation
 * the guidelines care about, or the component bounds it so the rule's line is never crossed).
 *
 * One running pack (started as the Pulumi CLI starts it) serves the whole file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunningPack } from "../../offline/analyzer-client";
import { evaluate } from "../../offline/evaluate";
import { ruleByName } from "../../policies/catalogue";
import { record } from "../harness";
import { dataStore, encryptionKey, endpoint, KEY, Names, networks, roles, vectorStore, workspace } from "./matrix-fixtures";
import { cluster, modelServing, Names as K8sNames, publicKeyPem } from "./k8s/fixtures";

/** [rule, logical name of the resource the finding is on]; a pair listed twice means two findings. */
type Finding = readonly [rule: string, resource: string];

interface Row {
    readonly component: string;
    /** The relaxation option(s) applied, as written in the Args. */
    readonly relaxation: string;
    readonly build: () => void;
    /** Exactly the findings the relaxed instantiation must produce. */
    readonly fires: readonly Finding[];
    /** Required when `fires` is empty: why no rule judges this switch. */
    readonly why?: string;
}

const DEFAULTS: readonly (readonly [string, () => void])[] = [
    ["EncryptionKey", () => encryptionKey()],
    ["AiNetworks", () => networks()],
    ["ModelStore + OfflineBackups + AuditTrail", () => dataStore()],
    ["ModelStore (released models) + OfflineBackups + AuditTrail", () => dataStore({ store: { releasedModels: true } })],
    ["ModelStore (dataset store) + OfflineBackups (cross-account copy) + AuditTrail", () =>
        dataStore({ store: { kind: "dataset-store" }, backups: { airGappedVault: undefined, crossAccountVaultArn: "arn:aws:backup:eu-west-2:210987654321:backup-vault:recovery" } })],
    ["SageMakerRoles", () => roles()],
    ["TrainingWorkspace (notebook)", () => workspace()],
    ["TrainingWorkspace (notebook + Studio domain)", () => workspace({ studio: { vpcId: "vpc-0training" } })],
    ["InferenceEndpoint", () => endpoint()],
    ["VectorStore", () => vectorStore()],
    ["VectorStore (Bedrock access, your endpoints and key)", () => vectorStore({ vpcId: undefined, subnetIds: undefined, securityGroupIds: undefined, vpcEndpointIds: ["vpce-0shared"], bedrockAccess: true, keyAdministratorArns: undefined, kmsKeyArn: KEY })],
    ["InferenceCluster", () => cluster()],
    ["ModelNamespace + ImageAdmissionWebhook", () => modelServing()],
    ["ModelNamespace + ImageAdmissionWebhook (cert-manager)", () => modelServing({ webhook: { certManager: { issuerRef: { name: "internal-ca" } } } })],
];

const STUDIO = { vpcId: "vpc-0training" } as const;
const flowLogs = `${Names.networks}-flow-logs`;

const MATRIX: readonly Row[] = [
    // EncryptionKey
    { component: "EncryptionKey", relaxation: "deletionWindowInDays: 7", build: () => encryptionKey({ deletionWindowInDays: 7 }),
        fires: [["aws-kms-key-configure-deletion-window", `${Names.key}-key`]] },
    // ModelStore
    { component: "ModelStore", relaxation: "allowPutWithoutKmsHeaders: true", build: () => dataStore({ store: { allowPutWithoutKmsHeaders: true } }), fires: [],
        why: "Uploads without headers still get the bucket's default SSE-KMS with the store's own key, and uploads naming another key or algorithm stay denied: the data is encrypted exactly as before (DV-2 / P5 hold), only the client-side header is no longer demanded." },
    { component: "ModelStore", relaxation: "objectLock: false (store not tagged as released models)", build: () => dataStore({ store: { objectLock: false } }), fires: [],
        why: "Object lock is required for released-model stores only (aws-s3-bucket-enable-object-lock); working stores keep versioning, and releasedModels with objectLock: false is rejected by the component." },
    { component: "ModelStore", relaxation: "accessLogBucket: an existing bucket", build: () => dataStore({ store: { accessLogBucket: "acme-central-access-logs" } }), fires: [],
        why: "Not a relaxation: access logs are still delivered (aws-s3-bucket-enable-access-logging sees the BucketLogging), to the organisation's own log bucket." },
    // AiNetworks
    { component: "AiNetworks", relaxation: 'inferenceIngressCidrs: ["203.0.113.0/24", "2001:db8::/32"]', build: () => networks({ inferenceIngressCidrs: ["203.0.113.0/24", "2001:db8::/32"] }), fires: [],
        why: "Bounded exposure of the inference load balancer to named client ranges; the rule's line (0.0.0.0/0 or ::/0, aws-ec2-securitygroup-disallow-public-ingress) cannot be crossed because the component rejects /0 and ranges overlapping training." },
    { component: "AiNetworks", relaxation: "inferencePrivateLink: { NLB, allowed principal }", build: () => networks({
        inferencePrivateLink: {
            networkLoadBalancerArns: ["arn:aws:elasticloadbalancing:eu-west-2:123456789012:loadbalancer/net/inference/0123456789abcdef"],
            allowedPrincipalArns: ["arn:aws:iam::210987654321:root"],
        },
    }), fires: [], why: "PrivateLink with acceptance required and named principals is the guidelines' private API access path (DP-1 / P6), not an exposure; '*' principals are rejected by the component." },
    { component: "AiNetworks", relaxation: "allowInterNodeTrafficForDistributedTraining: true", build: () => networks({ allowInterNodeTrafficForDistributedTraining: true }), fires: [],
        why: "Traffic stays between instances of the training network's own security group; segregation (DP-1 / P6) is about training vs inference, which the training-inference rules still enforce." },
    { component: "AiNetworks", relaxation: "s3EndpointAdditionalReadBucketArns: [a vetted external dataset bucket]", build: () => networks({ s3EndpointAdditionalReadBucketArns: ["arn:aws:s3:::open-datasets-registry"] }), fires: [],
        why: "Read-only access to named buckets through the private S3 endpoint; which external data sources are vetted (DV-1 / P7) is an owner decision no stack-level property can judge." },
    { component: "AiNetworks", relaxation: "flowLogRetentionInDays: 90", build: () => networks({ flowLogRetentionInDays: 90 }),
        fires: [["aws-cloudwatch-loggroup-configure-retention", flowLogs]] },
    { component: "AiNetworks", relaxation: "flowLogRetentionInDays: 0 (never expire)", build: () => networks({ flowLogRetentionInDays: 0 }), fires: [],
        why: "Never expiring keeps more than the minimum; not a relaxation." },
    // SageMakerRoles
    { component: "SageMakerRoles", relaxation: "dataCapture: { bucket, prefix }", build: () => roles({ dataCapture: { bucketName: "acme-capture", prefix: "capture/" } }), fires: [],
        why: "Grants the inference role PutObject under one prefix of one named bucket, which is what OM-2 / P12 data capture needs; no wildcard action or resource for the least-privilege rules to flag." },
    // OfflineBackups
    { component: "OfflineBackups", relaxation: 'lockMode: "governance"', build: () => dataStore({ backups: { lockMode: "governance" } }),
        fires: [["aws-backup-vault-enforce-compliance-lock", `${Names.backups}-vault`]] },
    { component: "OfflineBackups", relaxation: "minRetentionDays: 7", build: () => dataStore({ backups: { minRetentionDays: 7 } }),
        fires: [["aws-backup-vault-enforce-compliance-lock", `${Names.backups}-vault`], ["aws-backup-vault-enforce-compliance-lock", `${Names.backups}-air-gapped`]] },
    { component: "OfflineBackups", relaxation: "airGappedVault: { minRetentionDays: 7 }", build: () => dataStore({ backups: { airGappedVault: { minRetentionDays: 7 } } }),
        fires: [["aws-backup-vault-enforce-compliance-lock", `${Names.backups}-air-gapped`]] },
    // AuditTrail
    { component: "AuditTrail", relaxation: "excludeReadDataEvents: true", build: () => dataStore({ audit: { excludeReadDataEvents: true } }),
        fires: [["aws-cloudtrail-trail-missing-data-events", `${Names.store}-bucket`]] },
    { component: "AuditTrail", relaxation: "logGroupRetentionDays: 90", build: () => dataStore({ audit: { logGroupRetentionDays: 90 } }),
        fires: [["aws-cloudwatch-loggroup-configure-retention", `${Names.audit}-logs`]] },
    // TrainingWorkspace
    { component: "TrainingWorkspace", relaxation: "allowDirectInternetAccess: true (notebook)", build: () => workspace({ allowDirectInternetAccess: true }),
        fires: [["aws-sagemaker-notebookinstance-disable-direct-internet-access", `${Names.workspace}-notebook`]] },
    { component: "TrainingWorkspace", relaxation: "allowDirectInternetAccess: true (notebook + Studio)", build: () => workspace({ allowDirectInternetAccess: true, studio: STUDIO }),
        fires: [["aws-sagemaker-notebookinstance-disable-direct-internet-access", `${Names.workspace}-notebook`], ["aws-sagemaker-domain-enforce-vpc-only", `${Names.workspace}-domain`]] },
    { component: "TrainingWorkspace", relaxation: "allowRootAccess: true", build: () => workspace({ allowRootAccess: true }),
        fires: [["aws-sagemaker-notebookinstance-disable-root-access", `${Names.workspace}-notebook`]] },
    { component: "TrainingWorkspace", relaxation: "notebook: { allowImdsV1: true }", build: () => workspace({ notebook: { allowImdsV1: true } }),
        fires: [["aws-sagemaker-notebookinstance-enforce-imdsv2", `${Names.workspace}-notebook`]] },
    { component: "TrainingWorkspace", relaxation: "studio: { allowDockerAccess: true }", build: () => workspace({ studio: { ...STUDIO, allowDockerAccess: true } }),
        fires: [["aws-sagemaker-domain-disallow-root-access", `${Names.workspace}-domain`]] },
    { component: "TrainingWorkspace", relaxation: "studio: { allowNotebookOutputSharing: true, notebookOutputS3Path }", build: () =>
        workspace({ studio: { ...STUDIO, allowNotebookOutputSharing: true, notebookOutputS3Path: "s3://acme-datasets/shared-notebooks/" } }), fires: [],
        why: "Shared output stays inside the domain's own users and is written to the owner's store encrypted with the workspace key (s3KmsKeyId); who may see notebook output is an access decision, not an infrastructure setting the guidelines fix." },
    // InferenceEndpoint
    { component: "InferenceEndpoint", relaxation: "disableDataCapture: true", build: () => endpoint({ disableDataCapture: true, captureDestinationS3Uri: undefined }),
        fires: [["aws-sagemaker-endpointconfiguration-enable-data-capture", `${Names.endpoint}-config`]] },
    { component: "InferenceEndpoint", relaxation: "disableNetworkIsolation: true", build: () => endpoint({ disableNetworkIsolation: true }),
        fires: [["aws-sagemaker-model-enable-network-isolation", `${Names.endpoint}-model`]] },
    { component: "InferenceEndpoint", relaxation: "omitVolumeKmsKey: true (NVMe instance types)", build: () => endpoint({ omitVolumeKmsKey: true, instanceType: "ml.g5.xlarge" }),
        fires: [["aws-sagemaker-endpointconfiguration-missing-kms-key", `${Names.endpoint}-config`]] },
    { component: "InferenceEndpoint", relaxation: "captureSamplingPercentage: 1", build: () => endpoint({ captureSamplingPercentage: 1 }), fires: [],
        why: "Capture stays on (the rule requires a sampling percentage above 0, and the component rejects 0); how much to sample is a cost/coverage trade-off the owner makes." },
    // VectorStore
    { component: "VectorStore", relaxation: "allowPublicAccess: true", build: () => vectorStore({ allowPublicAccess: true }),
        fires: [["aws-opensearch-serverlesscollection-disallow-public-access", `${Names.vectors}-collection`]] },
    { component: "VectorStore", relaxation: "bedrockAccess: true", build: () => vectorStore({ bedrockAccess: true }), fires: [],
        why: "Admits the Bedrock service (SourceServices), not the internet: a knowledge base reaches the collection through AWS, and the data access policy still names the principals that may read; the collection stays private (DP-1 / P6)." },
    // InferenceCluster
    { component: "InferenceCluster", relaxation: 'publicAccessCidrs: ["203.0.113.0/24"]', build: () => cluster({ publicAccessCidrs: ["203.0.113.0/24"] }), fires: [],
        why: "A public endpoint limited to named administrator ranges is what aws-eks-cluster-disallow-public-endpoint allows; its line (0.0.0.0/0, ::/0 or an empty list) cannot be crossed because the component rejects /0 and empty lists." },
    { component: "InferenceCluster", relaxation: "logRetentionInDays: 90", build: () => cluster({ logRetentionInDays: 90 }),
        fires: [["aws-cloudwatch-loggroup-configure-retention", `${K8sNames.cluster}-control-plane-logs`]] },
    { component: "InferenceCluster", relaxation: "nodes: { imdsHopLimit: 2 }", build: () => cluster({ nodes: { imdsHopLimit: 2 } }), fires: [],
        why: "IMDSv2 (session tokens) stays required; the hop limit only decides whether pods may reach the node's metadata service. The pack has no launch-template rule (its IMDS rule covers SageMaker notebooks), a gap stated here rather than hidden." },
    // ImageAdmissionWebhook
    { component: "ImageAdmissionWebhook", relaxation: 'excludedNamespaces: ["models"] (the model namespace)', build: () => modelServing({ webhook: { excludedNamespaces: ["models"] } }),
        fires: [["kubernetes-admissionregistration-validatingwebhookconfiguration-missing-image-admission", `${K8sNames.namespace}-ns`]] },
    { component: "ImageAdmissionWebhook", relaxation: 'namespaceLabel: { key: "acme.io/models", value: "true" }', build: () => modelServing({ webhook: { namespaceLabel: { key: "acme.io/models", value: "true" } } }),
        fires: [["kubernetes-admissionregistration-validatingwebhookconfiguration-missing-image-admission", `${K8sNames.namespace}-ns`]] },
    { component: "ImageAdmissionWebhook", relaxation: "replicas: 1, allowSingleReplica: true", build: () => modelServing({ webhook: { replicas: 1, allowSingleReplica: true } }), fires: [],
        why: "Availability, not admission: with failurePolicy Fail an unavailable webhook still denies (fails closed), so no unsigned image is admitted; the pack judges what is admitted, not uptime." },
    { component: "ImageAdmissionWebhook", relaxation: 'trustPolicy rule mode: "warn"', build: () => modelServing({ webhook: { trustPolicy: { policies: [{ name: "models", mode: "warn", images: ["123456789012.dkr.ecr.eu-west-2.amazonaws.com/models/**"], authorities: [{ name: "k", key: { pem: publicKeyPem(), ignoreTlog: true } }] }] } } }), fires: [],
        why: "The trust policy lives in the ConfigMap the webhook reads; the pack's rule checks the webhook registration (rules, failurePolicy, selectors), which is unchanged. Warn mode is an explicit, named rollout setting of the policy file, reported in every AdmissionReview as warnings." },
    // ModelNamespace
    { component: "ModelNamespace", relaxation: 'ingress: { cidrs: ["10.30.0.0/20"] }', build: () => modelServing({ namespace: { namespace: "models", ingress: { cidrs: ["10.30.0.0/20"] } } }), fires: [],
        why: "A narrow allow on the serving ports on top of the default deny, which is what the default-deny rule expects; /0 is rejected by the component." },
];


let pack: RunningPack;
beforeAll(async () => {
    pack = await RunningPack.start();
}, 120_000);
afterAll(async () => pack?.stop());

/**
 * Runs `build` offline and returns every diagnostic as "rule|resource" (sorted), with level and
 * clause checks. The pack's scope report (what it judged) is not a finding and is left out; any
 * other report (an undecided check, an exemption) would fail the lookup of its rule.
 */
async function findingsOf(build: () => void): Promise<string[]> {
    const run = await record(build, { project: "aiguard-matrix", stack: "test" });
    const result = await evaluate(pack, run.resources);
    expect(result.reports.filter((d) => d.policyName !== "aiguard-scope")).toEqual([]);
    return result.diagnostics.map((d) => {
        const rule = ruleByName(d.policyName);
        expect(rule, d.policyName).toBeDefined();
        expect(d.message.endsWith(` [${rule!.clauses.join(", ")}]`), d.message).toBe(true);
        expect(d.enforcementLevel).toBe(rule!.enforcementLevel);
        return `${d.policyName}|${d.urn.slice(d.urn.lastIndexOf("::") + 2)}`;
    }).sort();
}

describe("component defaults pass the whole pack", () => {
    it.each(DEFAULTS)("%s: zero diagnostics", async (_name, build) => {
        expect(await findingsOf(build)).toEqual([]);
    });
});

describe("each relaxation fires exactly its rule(s)", () => {
    it("the table is well formed: every silent relaxation says why, every expected rule exists", () => {
        for (const row of MATRIX) {
            if (row.fires.length === 0) expect((row.why ?? "").length, `${row.component} ${row.relaxation}`).toBeGreaterThan(40);
            else expect(row.why, `${row.component} ${row.relaxation}`).toBeUndefined();
            for (const [rule] of row.fires) expect(ruleByName(rule), rule).toBeDefined();
        }
    });
    it.each(MATRIX.map((r) => [r.component, r.relaxation, r] as const))("%s, %s", async (_c, _r, row) => {
        expect(await findingsOf(row.build)).toEqual(row.fires.map(([rule, resource]) => `${rule}|${resource}`).sort());
    });
});
