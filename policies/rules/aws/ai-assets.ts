/**
 * What the pack knows about a stack's AWS resources before any rule judges them: which are AI
 * assets (by their asset-kind tag, or from how AI services use them), which the team has taken out
 * of scope (by tag, with a justification), and the kinds some rules need (released-model stores,
 * access-log targets, training and inference networks). Computed once per request and shared.
 *
 * Recognition from use follows references, by value or by the engine's dependency URNs
 * (`framework/references.ts`), so it holds at a first preview: a bucket named in a SageMaker model's
 * `modelDataUrl`, a role given to a training job, a subnet a notebook runs in.
 */
import * as aws from "@pulumi/aws";
import { AssetKinds, NetworkRoles, type NetworkRole } from "../../../common/conventions";
import type { Settings } from "../../../common/settings";
import { typeToken, type Finding, type ResourceClass, type RuleResource } from "../../framework/rule";
import { ReferenceIndex, s3BucketOf } from "../../framework/references";
import { byType, get, getPath, tagValue } from "../../framework/values";
import { scopeExclusion, type Recognition, type ScopeFacts } from "../../framework/scope";

const T = {
    bucket: [typeToken(aws.s3.Bucket), typeToken(aws.s3.BucketV2)],
    role: typeToken(aws.iam.Role),
    key: typeToken(aws.kms.Key),
    subnet: typeToken(aws.ec2.Subnet),
    securityGroup: typeToken(aws.ec2.SecurityGroup),
    vpc: typeToken(aws.ec2.Vpc),
    logGroup: typeToken(aws.cloudwatch.LogGroup),
    logging: [typeToken(aws.s3.BucketLogging), typeToken(aws.s3.BucketLoggingV2)],
    model: typeToken(aws.sagemaker.Model),
    trainingJob: typeToken(aws.sagemaker.TrainingJob),
    endpointConfig: typeToken(aws.sagemaker.EndpointConfiguration),
    notebook: typeToken(aws.sagemaker.NotebookInstance),
    domain: typeToken(aws.sagemaker.Domain),
    invocationLogging: typeToken(aws.bedrockmodel.InvocationLoggingConfiguration),
    customModel: typeToken(aws.bedrock.CustomModel),
    agent: typeToken(aws.bedrock.AgentAgent),
    knowledgeBase: typeToken(aws.bedrock.AgentKnowledgeBase),
    dataSource: typeToken(aws.bedrock.AgentDataSource),
    guardrail: typeToken(aws.bedrock.Guardrail),
    actionGroup: typeToken(aws.bedrock.AgentAgentActionGroup),
    topic: typeToken(aws.sns.Topic),
    lambdaFunction: typeToken(aws.lambda.Function),
    vectorStores: [typeToken(aws.opensearch.ServerlessCollection), typeToken(aws.opensearch.Domain), typeToken(aws.rds.Cluster)],
} as const;

/** One use of another resource by an AI resource: which property, which part of it, what it makes the target. */
interface Use {
    readonly type: string;
    readonly prop: string;
    readonly values: (props: Readonly<Record<string, unknown>>) => unknown[];
    readonly target: "bucket" | "role" | "key" | "subnet" | "securityGroup" | "vpc" | "logGroup" | "topic" | "lambdaFunction" | "vectorStore";
    readonly kind: string;
    /** Training or inference network, for network targets. */
    readonly network?: NetworkRole;
    /** The bucket serves models to production (released-model store: object lock). */
    readonly released?: boolean;
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const at = (...path: string[]) => (p: Readonly<Record<string, unknown>>) => [getPath(p, path)];
const each = (prop: string, ...path: string[]) => (p: Readonly<Record<string, unknown>>) => list(p[prop]).map((x) => getPath(x, path));
const all = (...path: string[]) => (p: Readonly<Record<string, unknown>>) => list(getPath(p, path));

const USES: readonly Use[] = [
    // SageMaker
    { type: T.model, prop: "primaryContainer", values: (p) => [get(p, "primaryContainer", "modelDataUrl"), get(p, "primaryContainer", "modelDataSource", "s3DataSource", "s3Uri")], target: "bucket", kind: AssetKinds.modelStore, released: true },
    { type: T.model, prop: "containers", values: (p) => [...each("containers", "modelDataUrl")(p), ...each("containers", "modelDataSource", "s3DataSource", "s3Uri")(p)], target: "bucket", kind: AssetKinds.modelStore, released: true },
    { type: T.model, prop: "executionRoleArn", values: at("executionRoleArn"), target: "role", kind: AssetKinds.role },
    { type: T.model, prop: "vpcConfig", values: all("vpcConfig", "subnets"), target: "subnet", kind: AssetKinds.network, network: NetworkRoles.inference },
    { type: T.model, prop: "vpcConfig", values: all("vpcConfig", "securityGroupIds"), target: "securityGroup", kind: AssetKinds.network, network: NetworkRoles.inference },
    { type: T.trainingJob, prop: "inputDataConfig", values: each("inputDataConfig", "dataSource", "s3DataSource", "s3Uri"), target: "bucket", kind: AssetKinds.datasetStore },
    { type: T.trainingJob, prop: "outputDataConfig", values: at("outputDataConfig", "s3OutputPath"), target: "bucket", kind: AssetKinds.modelStore },
    { type: T.trainingJob, prop: "checkpointConfig", values: at("checkpointConfig", "s3Uri"), target: "bucket", kind: AssetKinds.modelStore },
    { type: T.trainingJob, prop: "roleArn", values: at("roleArn"), target: "role", kind: AssetKinds.role },
    { type: T.trainingJob, prop: "outputDataConfig", values: at("outputDataConfig", "kmsKeyId"), target: "key", kind: AssetKinds.encryptionKey },
    { type: T.trainingJob, prop: "resourceConfig", values: at("resourceConfig", "volumeKmsKeyId"), target: "key", kind: AssetKinds.encryptionKey },
    { type: T.trainingJob, prop: "vpcConfig", values: all("vpcConfig", "subnets"), target: "subnet", kind: AssetKinds.network, network: NetworkRoles.training },
    { type: T.trainingJob, prop: "vpcConfig", values: all("vpcConfig", "securityGroupIds"), target: "securityGroup", kind: AssetKinds.network, network: NetworkRoles.training },
    { type: T.endpointConfig, prop: "dataCaptureConfig", values: at("dataCaptureConfig", "destinationS3Uri"), target: "bucket", kind: AssetKinds.inferenceCapture },
    { type: T.endpointConfig, prop: "asyncInferenceConfig", values: at("asyncInferenceConfig", "outputConfig", "s3OutputPath"), target: "bucket", kind: AssetKinds.inferenceCapture },
    { type: T.endpointConfig, prop: "asyncInferenceConfig", values: (p) => [get(p, "asyncInferenceConfig", "outputConfig", "notificationConfig", "successTopic"), get(p, "asyncInferenceConfig", "outputConfig", "notificationConfig", "errorTopic")], target: "topic", kind: AssetKinds.inferenceCapture },
    { type: T.endpointConfig, prop: "kmsKeyArn", values: at("kmsKeyArn"), target: "key", kind: AssetKinds.encryptionKey },
    { type: T.endpointConfig, prop: "dataCaptureConfig", values: at("dataCaptureConfig", "kmsKeyId"), target: "key", kind: AssetKinds.encryptionKey },
    { type: T.notebook, prop: "roleArn", values: at("roleArn"), target: "role", kind: AssetKinds.role },
    { type: T.notebook, prop: "kmsKeyId", values: at("kmsKeyId"), target: "key", kind: AssetKinds.encryptionKey },
    { type: T.notebook, prop: "subnetId", values: at("subnetId"), target: "subnet", kind: AssetKinds.network, network: NetworkRoles.training },
    { type: T.notebook, prop: "securityGroups", values: all("securityGroups"), target: "securityGroup", kind: AssetKinds.network, network: NetworkRoles.training },
    { type: T.domain, prop: "defaultUserSettings", values: at("defaultUserSettings", "executionRole"), target: "role", kind: AssetKinds.role },
    { type: T.domain, prop: "kmsKeyId", values: at("kmsKeyId"), target: "key", kind: AssetKinds.encryptionKey },
    { type: T.domain, prop: "subnetIds", values: all("subnetIds"), target: "subnet", kind: AssetKinds.network, network: NetworkRoles.training },
    { type: T.domain, prop: "vpcId", values: at("vpcId"), target: "vpc", kind: AssetKinds.network, network: NetworkRoles.training },
    // Bedrock
    { type: T.invocationLogging, prop: "loggingConfig", values: at("loggingConfig", "s3Config", "bucketName"), target: "bucket", kind: AssetKinds.inferenceCapture },
    { type: T.invocationLogging, prop: "loggingConfig", values: at("loggingConfig", "cloudwatchConfig", "logGroupName"), target: "logGroup", kind: AssetKinds.monitoring },
    { type: T.invocationLogging, prop: "loggingConfig", values: at("loggingConfig", "cloudwatchConfig", "roleArn"), target: "role", kind: AssetKinds.role },
    { type: T.customModel, prop: "trainingDataConfig", values: at("trainingDataConfig", "s3Uri"), target: "bucket", kind: AssetKinds.datasetStore },
    { type: T.customModel, prop: "validationDataConfig", values: each("validationDataConfig", "validators"), target: "bucket", kind: AssetKinds.datasetStore },
    { type: T.customModel, prop: "outputDataConfig", values: at("outputDataConfig", "s3Uri"), target: "bucket", kind: AssetKinds.modelStore },
    { type: T.customModel, prop: "roleArn", values: at("roleArn"), target: "role", kind: AssetKinds.role },
    { type: T.customModel, prop: "customModelKmsKeyId", values: at("customModelKmsKeyId"), target: "key", kind: AssetKinds.encryptionKey },
    { type: T.agent, prop: "agentResourceRoleArn", values: at("agentResourceRoleArn"), target: "role", kind: AssetKinds.role },
    { type: T.agent, prop: "customerEncryptionKeyArn", values: at("customerEncryptionKeyArn"), target: "key", kind: AssetKinds.encryptionKey },
    { type: T.knowledgeBase, prop: "roleArn", values: at("roleArn"), target: "role", kind: AssetKinds.role },
    // A knowledge base's vector store holds every chunk of its corpus with its embedding.
    { type: T.knowledgeBase, prop: "storageConfiguration", values: (p) => [get(p, "storageConfiguration", "opensearchServerlessConfiguration", "collectionArn"), get(p, "storageConfiguration", "opensearchManagedClusterConfiguration", "domainArn"), get(p, "storageConfiguration", "rdsConfiguration", "resourceArn")], target: "vectorStore", kind: AssetKinds.datasetStore },
    { type: T.dataSource, prop: "serverSideEncryptionConfiguration", values: at("serverSideEncryptionConfiguration", "kmsKeyArn"), target: "key", kind: AssetKinds.encryptionKey },
    { type: T.dataSource, prop: "dataSourceConfiguration", values: all("dataSourceConfiguration", "s3Configuration", "bucketArn"), target: "bucket", kind: AssetKinds.datasetStore },
    { type: T.guardrail, prop: "kmsKeyArn", values: at("kmsKeyArn"), target: "key", kind: AssetKinds.encryptionKey },
    // The Lambda function behind a Bedrock agent's action group serves the agent (its role: below).
    { type: T.actionGroup, prop: "actionGroupExecutor", values: at("actionGroupExecutor", "lambda"), target: "lambdaFunction", kind: AssetKinds.endpoint },
];

/** AWS services whose trust in a role makes it an AI role. */
const AI_SERVICE_PRINCIPALS = ["sagemaker.amazonaws.com", "bedrock.amazonaws.com"];
/** Log group name prefixes of AI services. */
const AI_LOG_GROUP_PREFIXES = ["/aws/sagemaker/", "/aws/bedrock/"];

export interface AwsAssetFacts extends ScopeFacts {
    /** Buckets that serve models (object lock required), by URN. */
    readonly releasedModelStores: ReadonlySet<string>;
    /** Buckets that receive S3 server access logs, by URN. */
    readonly accessLogTargets: ReadonlySet<string>;
    /** Network role of subnets, security groups and VPCs, by URN (from tags and from use). */
    readonly networkRoles: ReadonlyMap<string, NetworkRole>;
}

const memo = new WeakMap<readonly RuleResource[], Map<string, AwsAssetFacts>>();

/** The facts of a request's resources (memoized per request and per relevant settings). */
export function awsAssetFacts(resources: readonly RuleResource[], settings: Settings): AwsAssetFacts {
    const key = JSON.stringify([settings.scope, settings.assetKindTagKey, settings.aiDataStoreKinds, settings.releasedModelsTag, settings.trainingNetworkTag, settings.inferenceNetworkTag]);
    let perSettings = memo.get(resources);
    const cached = perSettings?.get(key);
    if (cached) return cached;
    const facts = compute(resources, settings);
    if (Object.isFrozen(resources)) {
        if (!perSettings) memo.set(resources, (perSettings = new Map()));
        perSettings.set(key, facts);
    }
    return facts;
}

function compute(resources: readonly RuleResource[], settings: Settings): AwsAssetFacts {
    const index = byType(resources);
    const of = (types: string | readonly string[]) => (typeof types === "string" ? [types] : types).flatMap((t) => index.get(t) ?? []);
    const targets = {
        bucket: new ReferenceIndex(of(T.bucket), ["bucket", "id", "arn"], s3BucketOf),
        role: new ReferenceIndex(of(T.role), ["arn", "name", "id"]),
        key: new ReferenceIndex(of(T.key), ["arn", "keyId", "id"]),
        subnet: new ReferenceIndex(of(T.subnet), ["id", "arn"]),
        securityGroup: new ReferenceIndex(of(T.securityGroup), ["id", "arn"]),
        vpc: new ReferenceIndex(of(T.vpc), ["id", "arn"]),
        logGroup: new ReferenceIndex(of(T.logGroup), ["name", "arn", "id"]),
        topic: new ReferenceIndex(of(T.topic), ["arn", "id"]),
        lambdaFunction: new ReferenceIndex(of(T.lambdaFunction), ["arn", "name", "id", "invokeArn", "qualifiedArn"]),
        vectorStore: new ReferenceIndex(of(T.vectorStores), ["arn", "id"]),
    };
    const assets = new Map<string, Recognition>();
    const excluded = new Map<string, string>();
    const released = new Set<string>();
    const logTargets = new Set<string>();
    const networkRoles = new Map<string, NetworkRole>();
    const recognise = (r: RuleResource, rec: Recognition) => {
        if (!assets.has(r.urn) || rec.how === "tag") assets.set(r.urn, rec);
    };
    for (const r of resources) {
        if (!r.type.startsWith("aws:")) continue;
        const exclusion = scopeExclusion(r.props);
        if (exclusion) excluded.set(r.urn, exclusion);
        const kind = tagValue(r.props, settings.assetKindTagKey);
        if (typeof kind === "string" && kind.length > 0) recognise(r, { kind, how: "tag", via: `tag ${settings.assetKindTagKey}=${kind}` });
        if (kind === AssetKinds.accessLogs) logTargets.add(r.urn);
        if (tagValue(r.props, settings.releasedModelsTag.key) === settings.releasedModelsTag.value) released.add(r.urn);
        const trainingTag = tagValue(r.props, settings.trainingNetworkTag.key) === settings.trainingNetworkTag.value;
        const inferenceTag = tagValue(r.props, settings.inferenceNetworkTag.key) === settings.inferenceNetworkTag.value;
        if (trainingTag) networkRoles.set(r.urn, NetworkRoles.training);
        else if (inferenceTag) networkRoles.set(r.urn, NetworkRoles.inference);
    }
    for (const use of USES) {
        for (const r of index.get(use.type) ?? []) {
            const values = use.values(r.props).filter((v) => v !== undefined && v !== null);
            if (values.length === 0) continue;
            const { targets: found } = targets[use.target].resolve(r, use.prop, values);
            for (const t of found) {
                recognise(t, { kind: use.kind, how: "use", via: `${r.type} "${r.name}" (${use.prop})` });
                if (use.released) released.add(t.urn);
                if (use.network && !networkRoles.has(t.urn)) networkRoles.set(t.urn, use.network);
            }
        }
    }
    // A Lambda function that is an AI asset (tagged, or serving a Bedrock agent) makes its execution role an AI role.
    for (const fn of of(T.lambdaFunction)) {
        if (!assets.has(fn.urn)) continue;
        for (const role of targets.role.resolve(fn, "role").targets) recognise(role, { kind: AssetKinds.role, how: "use", via: `${fn.type} "${fn.name}" (role)` });
    }
    for (const role of of(T.role)) {
        const trust = role.props.assumeRolePolicy;
        const text = typeof trust === "string" ? trust : (JSON.stringify(trust ?? "") ?? "");
        const service = AI_SERVICE_PRINCIPALS.find((s) => text.includes(s));
        if (service) recognise(role, { kind: AssetKinds.role, how: "use", via: `trust policy allows ${service}` });
    }
    for (const g of of(T.logGroup)) {
        const name = g.props.name;
        if (typeof name === "string" && AI_LOG_GROUP_PREFIXES.some((p) => name.startsWith(p))) recognise(g, { kind: AssetKinds.monitoring, how: "use", via: `log group of an AI service (${name})` });
    }
    for (const l of of(T.logging)) for (const t of targets.bucket.resolve(l, "targetBucket").targets) logTargets.add(t.urn);
    // A subnet's or security group's network is its VPC's; a VPC holding a training or inference subnet has that role.
    for (const s of [...of(T.subnet), ...of(T.securityGroup)]) {
        const role = networkRoles.get(s.urn);
        if (!role) continue;
        for (const v of targets.vpc.resolve(s, "vpcId").targets) {
            if (!networkRoles.has(v.urn)) networkRoles.set(v.urn, role);
            if (!assets.has(v.urn)) recognise(v, { kind: AssetKinds.network, how: "use", via: `holds ${role} ${s.type.split(":").pop()} "${s.name}"` });
        }
    }
    return {
        scope: settings.scope,
        assets,
        excluded,
        releasedModelStores: released,
        accessLogTargets: logTargets,
        networkRoles,
        inScope: (r: RuleResource) => !excluded.has(r.urn) && (settings.scope === "all" || assets.has(r.urn)),
    };
}

/**
 * Runs a per-resource judgement over every resource of `classes` in scope, attributing each finding
 * to its resource: the shape of rules that judge one resource at a time but need the stack to know
 * what is in scope (under `ai-assets`, whether a resource is an AI asset is known only from its use).
 */
export function eachInScope(resources: readonly RuleResource[], settings: Settings, classes: readonly ResourceClass[], judge: (r: RuleResource, isAiAsset: boolean) => readonly Finding[]): Finding[] {
    const facts = awsAssetFacts(resources, settings);
    const index = byType(resources);
    return classes.flatMap((c) => index.get(typeToken(c)) ?? [])
        .filter(facts.inScope)
        .flatMap((r) => judge(r, facts.assets.has(r.urn)).map((f) => ({ ...f, urn: f.urn ?? r.urn })));
}
