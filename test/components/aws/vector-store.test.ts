import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { VectorStore, type VectorStoreArgs, vectorStoreArgsProblem } from "../../../components/aws/vector-store";
import { RunningPack } from "../../../offline/analyzer-client";
import { evaluate } from "../../../offline/evaluate";
import { record } from "../../harness";

const ADMIN = "arn:aws:iam::123456789012:role/key-admin";
const APP = "arn:aws:iam::123456789012:role/rag-app";
const BASE: VectorStoreArgs = {
    collectionName: "support-kb",
    assetTags: { owner: "ml-platform@example.com", dataClassification: "confidential" },
    dataAccessPrincipalArns: [APP],
    vpcId: "vpc-0app",
    subnetIds: ["subnet-0a", "subnet-0b"],
    securityGroupIds: ["sg-0app"],
    keyAdministratorArns: [ADMIN],
};
const T = {
    collection: "aws:opensearch/serverlessCollection:ServerlessCollection",
    policy: "aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy",
    access: "aws:opensearch/serverlessAccessPolicy:ServerlessAccessPolicy",
    endpoint: "aws:opensearch/serverlessVpcEndpoint:ServerlessVpcEndpoint",
    key: "aws:kms/key:Key",
};

describe("VectorStore rejects unsafe or malformed arguments", () => {
    const cases: [string, Partial<VectorStoreArgs>, string][] = [
        ["a name AWS refuses", { collectionName: "Support_KB" }, 'collectionName must be 3-27 characters, a lowercase letter then lowercase letters, digits or hyphens; got "Support_KB"'],
        ["a name too long for the derived names", { collectionName: "a".repeat(28) }, "collectionName must be 3-27 characters"],
        ["no data access principals", { dataAccessPrincipalArns: [] }, "dataAccessPrincipalArns must name at least one principal"],
        ["both a new and existing VPC endpoints", { vpcEndpointIds: ["vpce-0x"] }, "give either vpcId (with subnetIds and securityGroupIds, to create a VPC endpoint) or vpcEndpointIds (to use yours), not both"],
        ["a VPC endpoint without subnets", { subnetIds: [] }, "the VPC endpoint needs subnetIds (private subnets) and securityGroupIds besides vpcId"],
        ["no way in at all", { vpcId: undefined, subnetIds: undefined, securityGroupIds: undefined }, "the collection would be unreachable"],
        ["no key and no administrators", { keyAdministratorArns: undefined }, "give keyAdministratorArns (to create one) or kmsKeyArn (to use yours)"],
        ["an existing key with key administrators", { kmsKeyArn: "arn:aws:kms:eu-west-2:123456789012:key/k" }, "kmsKeyArn uses an existing key"],
    ];
    it.each(cases)("rejects %s", async (_label, over, message) => {
        expect(vectorStoreArgsProblem({ ...BASE, ...over })).toContain(message);
        const err = await record(() => new VectorStore("vs", { ...BASE, ...over })).then(() => undefined, (e: unknown) => e);
        expect(err).toBeInstanceOf(pulumi.ResourceError);
        expect((err as Error).message).toContain(message);
    });
});

describe("VectorStore defaults", () => {
    it("encrypts the collection with its own rotated key, reachable only through its VPC endpoint, for named principals", async () => {
        const run = await record(() => new VectorStore("vs", BASE));
        const collection = run.inputs(T.collection, "vs-collection");
        expect(collection).toMatchObject({ name: "support-kb", type: "VECTORSEARCH", standbyReplicas: "ENABLED" });
        expect(collection.encryptionConfigs).toEqual([{ awsOwnedKey: false, kmsKeyArn: expect.stringMatching(/^arn:aws:kms:/) }]);
        expect(collection.tags["aiguard:asset-kind"]).toBe("dataset-store");
        expect(run.inputs(T.key, "vs-key-key").enableKeyRotation).toBe(true);
        expect(run.inputs(T.endpoint, "vs-vpce")).toMatchObject({ name: "support-kb-vpce", vpcId: "vpc-0app", subnetIds: ["subnet-0a", "subnet-0b"], securityGroupIds: ["sg-0app"] });
        const network = run.inputs(T.policy, "vs-network");
        expect(network.type).toBe("network");
        const [rule] = JSON.parse(network.policy);
        expect(rule.AllowFromPublic).toBe(false);
        expect(rule.SourceVPCEs).toHaveLength(1);
        expect(rule.SourceServices).toBeUndefined();
        expect(rule.Rules.map((r: { ResourceType: string }) => r.ResourceType)).toEqual(["collection", "dashboard"]);
        const [access] = JSON.parse(run.inputs(T.access, "vs-data-access").policy);
        expect(access.Principal).toEqual([APP]);
        expect(JSON.stringify(access)).not.toContain('"*"');
        expect(run.ofType(T.policy).filter((p) => (p.inputs as { type: string }).type === "encryption")).toEqual([]);
    });
    it("with bedrockAccess and existing endpoints, and with your key", async () => {
        const run = await record(() => new VectorStore("vs", { ...BASE, vpcId: undefined, subnetIds: undefined, securityGroupIds: undefined, vpcEndpointIds: ["vpce-0shared"], bedrockAccess: true, keyAdministratorArns: undefined, kmsKeyArn: "arn:aws:kms:eu-west-2:123456789012:key/k" }));
        const [rule] = JSON.parse(run.inputs(T.policy, "vs-network").policy);
        expect(rule).toMatchObject({ AllowFromPublic: false, SourceVPCEs: ["vpce-0shared"], SourceServices: ["bedrock.amazonaws.com"] });
        expect(run.ofType(T.endpoint)).toEqual([]);
        expect(run.ofType(T.key)).toEqual([]);
        expect(run.inputs(T.collection, "vs-collection").encryptionConfigs).toEqual([{ awsOwnedKey: false, kmsKeyArn: "arn:aws:kms:eu-west-2:123456789012:key/k" }]);
    });
});

describe("VectorStore at a first preview", () => {
    /** Findings and undecided checks of a first preview of `args`. */
    async function firstPreview(args: VectorStoreArgs) {
        const run = await record(() => new VectorStore("vs", args), { preview: true });
        const pack = await RunningPack.start();
        try {
            const result = await evaluate(pack, run.resources);
            return { run, diagnostics: result.diagnostics, undecided: result.reports.filter((d) => d.policyName !== "aiguard-scope").map((d) => d.message) };
        } finally {
            await pack.stop();
        }
    }
    it("the key is decided before it exists (it reaches the collection as a dependency); the network policy naming a new VPC endpoint is decided at update", async () => {
        const { run, diagnostics, undecided } = await firstPreview(BASE);
        expect(run.inputs(T.collection, "vs-collection").encryptionConfigs).toEqual([{ awsOwnedKey: false, kmsKeyArn: expect.stringMatching(/04da6b54-80e4-46f7-96ec-b56ff0331ba9/) }]);
        expect(diagnostics).toEqual([]);
        expect(undecided).toHaveLength(1);
        expect(undecided[0]).toContain('aws-opensearch-serverlesscollection-disallow-public-access decided at update: OpenSearch Serverless collection "vs-collection": network policy "vs-network" may apply (its policy document is unknown)');
    }, 120_000);
    it("with existing VPC endpoints everything is decided at the first preview", async () => {
        const { diagnostics, undecided } = await firstPreview({ ...BASE, vpcId: undefined, subnetIds: undefined, securityGroupIds: undefined, vpcEndpointIds: ["vpce-0shared"] });
        expect(diagnostics).toEqual([]);
        expect(undecided).toEqual([]);
    }, 120_000);
});
