/**
 * A hardened OpenSearch Serverless vector collection for RAG and Bedrock knowledge bases (DV-2 / P5
 * encryption under the owner's key; DP-1 / P6 private network access; P13 crypto-shredding).
 *
 * Secure defaults (each relaxation is a named option):
 *  - the collection is encrypted with a customer-managed KMS key given on the collection itself
 *    (`encryptionConfigs`, which takes precedence over any encryption security policy): a key is
 *    created here (rotation on) or yours is used via `kmsKeyArn`;
 *  - a network security policy that allows the collection and its Dashboards endpoint only through
 *    a VPC endpoint created here in your private subnets (or yours via `vpcEndpointIds`), plus the
 *    Bedrock service when `bedrockAccess` is true; never from the public internet unless
 *    `allowPublicAccess` is set;
 *  - a data access policy that names its principals: collection and index permissions for
 *    `dataAccessPrincipalArns` only, no wildcard principal;
 *  - standby replicas on (a second Availability Zone).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EncryptionKey } from "./encryption-key";
import { AssetKinds, assetTags, type AssetTags, assetTagsProblem } from "./tags";

/** Collection names: what OpenSearch Serverless accepts, short enough for the derived policy and endpoint names (`<name>-vpce`). */
const COLLECTION_NAME = /^[a-z][a-z0-9-]{2,26}$/;

export interface VectorStoreArgs {
    /** Collection name, 3-27 characters `[a-z][a-z0-9-]*`; also names the policies (`<name>-net`, `<name>-data`) and the VPC endpoint (`<name>-vpce`). Required. */
    readonly collectionName: string;
    /** Inventory tags stamped on every resource. Required. */
    readonly assetTags: AssetTags;
    /** Principals (role ARNs) that may create indexes and read and write documents: the application, the knowledge base's role. Required, at least one. */
    readonly dataAccessPrincipalArns: readonly pulumi.Input<string>[];
    /** VPC of the VPC endpoint this component creates. Required unless `vpcEndpointIds` is given. */
    readonly vpcId?: pulumi.Input<string>;
    /** Private subnets of that endpoint. Required with `vpcId`. */
    readonly subnetIds?: readonly pulumi.Input<string>[];
    /** Security groups of that endpoint (allowing 443 from the application only). Required with `vpcId`. */
    readonly securityGroupIds?: readonly pulumi.Input<string>[];
    /** Existing OpenSearch Serverless VPC endpoint IDs to allow instead of creating one. */
    readonly vpcEndpointIds?: readonly pulumi.Input<string>[];
    /** Let Amazon Bedrock (knowledge bases) reach the collection through the service (`SourceServices`). Default false. */
    readonly bedrockAccess?: boolean;
    /** Customer-managed KMS key ARN to use. Default: a key is created (needs `keyAdministratorArns`). */
    readonly kmsKeyArn?: pulumi.Input<string>;
    /** Administrators of the created key (manage, not use). Required unless `kmsKeyArn` is given. */
    readonly keyAdministratorArns?: readonly pulumi.Input<string>[];
    /** Principals that may use the created key; the identity that creates the collection needs it (OpenSearch Serverless uses the key through grants). Default none. */
    readonly keyUserArns?: readonly pulumi.Input<string>[];
    /** Relaxation: allow the collection and Dashboards endpoints from the public internet. Default false. */
    readonly allowPublicAccess?: boolean;
}

/** The first problem with the arguments, or `undefined`: contradictions are named with the fix. */
export function vectorStoreArgsProblem(args: VectorStoreArgs): string | undefined {
    const tagsProblem = assetTagsProblem(args.assetTags);
    if (tagsProblem !== undefined) return tagsProblem;
    if (!COLLECTION_NAME.test(args.collectionName ?? "")) {
        return `collectionName must be 3-27 characters, a lowercase letter then lowercase letters, digits or hyphens; got ${JSON.stringify(args.collectionName)}`;
    }
    if (args.dataAccessPrincipalArns.length === 0) {
        return "dataAccessPrincipalArns must name at least one principal: a data access policy without principals grants nobody access, and '*' is never written";
    }
    const creates = args.vpcId !== undefined;
    const existing = (args.vpcEndpointIds ?? []).length > 0;
    if (creates && existing) return "give either vpcId (with subnetIds and securityGroupIds, to create a VPC endpoint) or vpcEndpointIds (to use yours), not both";
    if (creates && ((args.subnetIds ?? []).length === 0 || (args.securityGroupIds ?? []).length === 0)) {
        return "the VPC endpoint needs subnetIds (private subnets) and securityGroupIds besides vpcId";
    }
    if (!creates && (args.subnetIds !== undefined || args.securityGroupIds !== undefined)) {
        return "subnetIds and securityGroupIds belong to the VPC endpoint this component creates: give vpcId too, or drop them";
    }
    if (!creates && !existing && !args.bedrockAccess && !args.allowPublicAccess) {
        return "the collection would be unreachable: give vpcId/subnetIds/securityGroupIds (a VPC endpoint is created), vpcEndpointIds, or bedrockAccess: true";
    }
    if (args.kmsKeyArn !== undefined && (args.keyAdministratorArns !== undefined || args.keyUserArns !== undefined)) {
        return "kmsKeyArn uses an existing key, whose policy you manage: drop keyAdministratorArns/keyUserArns, or drop kmsKeyArn to create a key";
    }
    if (args.kmsKeyArn === undefined && (args.keyAdministratorArns ?? []).length === 0) {
        return "the collection is encrypted with a customer-managed key: give keyAdministratorArns (to create one) or kmsKeyArn (to use yours)";
    }
    return undefined;
}

/** The network policy document (pure; exported for tests). */
export function vectorNetworkPolicy(collection: string, access: { readonly vpcEndpointIds: readonly pulumi.Input<string>[]; readonly bedrock: boolean; readonly public: boolean }): Record<string, unknown>[] {
    const rules = [
        { ResourceType: "collection", Resource: [`collection/${collection}`] },
        { ResourceType: "dashboard", Resource: [`collection/${collection}`] },
    ];
    if (access.public) return [{ Description: `${collection}: public access (relaxation allowPublicAccess)`, Rules: rules, AllowFromPublic: true }];
    return [{
        Description: `${collection}: private access only`,
        Rules: rules,
        AllowFromPublic: false,
        ...(access.vpcEndpointIds.length > 0 ? { SourceVPCEs: [...access.vpcEndpointIds] } : {}),
        ...(access.bedrock ? { SourceServices: ["bedrock.amazonaws.com"] } : {}),
    }];
}

/** The data access policy document (pure; exported for tests): named principals, this collection and its indexes only. */
export function vectorDataAccessPolicy(collection: string, principals: readonly pulumi.Input<string>[]): Record<string, unknown>[] {
    return [{
        Description: `${collection}: application and knowledge-base access`,
        Rules: [
            { ResourceType: "collection", Resource: [`collection/${collection}`], Permission: ["aoss:DescribeCollectionItems", "aoss:CreateCollectionItems", "aoss:UpdateCollectionItems"] },
            { ResourceType: "index", Resource: [`index/${collection}/*`], Permission: ["aoss:CreateIndex", "aoss:DescribeIndex", "aoss:UpdateIndex", "aoss:ReadDocument", "aoss:WriteDocument"] },
        ],
        Principal: [...principals],
    }];
}

export class VectorStore extends pulumi.ComponentResource {
    readonly collection: aws.opensearch.ServerlessCollection;
    readonly key: EncryptionKey | undefined;
    readonly keyArn: pulumi.Output<string>;
    readonly collectionArn: pulumi.Output<string>;
    readonly collectionEndpoint: pulumi.Output<string>;
    readonly vpcEndpointId: pulumi.Output<string> | undefined;

    constructor(name: string, args: VectorStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aiguard:aws:VectorStore", name, {}, opts);
        const problem = vectorStoreArgsProblem(args);
        if (problem !== undefined) throw new pulumi.ResourceError(problem, this);
        const parent = { parent: this };
        const collectionName = args.collectionName;

        if (args.kmsKeyArn === undefined) {
            this.key = new EncryptionKey(`${name}-key`, {
                description: `${name}: OpenSearch Serverless collection ${collectionName}`,
                assetTags: args.assetTags,
                administratorArns: args.keyAdministratorArns ?? [],
                userArns: args.keyUserArns,
            }, parent);
            this.keyArn = this.key.arn;
        } else {
            this.key = undefined;
            this.keyArn = pulumi.output(args.kmsKeyArn);
        }

        let endpointIds = [...(args.vpcEndpointIds ?? [])];
        if (args.vpcId !== undefined) {
            const endpoint = new aws.opensearch.ServerlessVpcEndpoint(`${name}-vpce`, {
                name: `${collectionName}-vpce`,
                vpcId: args.vpcId,
                subnetIds: [...(args.subnetIds ?? [])],
                securityGroupIds: [...(args.securityGroupIds ?? [])],
            }, parent);
            this.vpcEndpointId = endpoint.id;
            endpointIds = [endpoint.id];
        } else {
            this.vpcEndpointId = undefined;
        }

        const network = new aws.opensearch.ServerlessSecurityPolicy(`${name}-network`, {
            name: `${collectionName}-net`,
            type: "network",
            description: `${collectionName}: network access`,
            policy: pulumi.jsonStringify(vectorNetworkPolicy(collectionName, { vpcEndpointIds: endpointIds, bedrock: args.bedrockAccess ?? false, public: args.allowPublicAccess ?? false })),
        }, parent);
        new aws.opensearch.ServerlessAccessPolicy(`${name}-data-access`, {
            name: `${collectionName}-data`,
            type: "data",
            description: `${collectionName}: data access`,
            policy: pulumi.jsonStringify(vectorDataAccessPolicy(collectionName, args.dataAccessPrincipalArns)),
        }, parent);
        this.collection = new aws.opensearch.ServerlessCollection(`${name}-collection`, {
            name: collectionName,
            type: "VECTORSEARCH",
            standbyReplicas: "ENABLED",
            encryptionConfigs: [{ awsOwnedKey: false, kmsKeyArn: this.keyArn }],
            tags: assetTags(args.assetTags, AssetKinds.datasetStore),
        }, { parent: this, dependsOn: [network] });
        this.collectionArn = this.collection.arn;
        this.collectionEndpoint = this.collection.collectionEndpoint;
        this.registerOutputs({ collectionArn: this.collectionArn, collectionEndpoint: this.collectionEndpoint, keyArn: this.keyArn, vpcEndpointId: this.vpcEndpointId });
    }
}
