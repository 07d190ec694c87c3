/**
 * Offline answers for the AWS provider: the computed attributes a real provider would return after
 * create (ids, ARNs, names) and the read-only data sources the components call.
 *
 * Values are realistic in shape (12-digit account, partition-correct ARNs) so that code which parses
 * or embeds them behaves as it would against AWS.
 */
import type { CallAnswer } from "./recording-mocks";

export const MOCK_ACCOUNT_ID = "123456789012";
export const MOCK_REGION = "eu-west-2";
export const MOCK_AZS = ["eu-west-2a", "eu-west-2b", "eu-west-2c"] as const;

/** Maps an `aws:<module>/<x>:<Type>` token to the ARN service name. */
function arnService(module: string): string {
    const special: Record<string, string> = {
        cloudwatch: "logs",
        ec2: "ec2",
        ec2transitgateway: "ec2",
        vpc: "ec2",
        sagemaker: "sagemaker",
        bedrock: "bedrock",
        bedrockmodel: "bedrock",
    };
    return special[module] ?? module;
}

function physicalName(name: string, inputs: Record<string, unknown>): string {
    for (const k of ["name", "bucket", "roleName", "functionName", "trailName", "domainName", "endpointName"]) {
        const v = inputs[k];
        if (typeof v === "string" && v.length > 0) return v;
    }
    // Pulumi auto-naming appends a random suffix; a fixed one keeps runs deterministic.
    return `${name}-0a1b2c3`;
}

/** Computed (output-only) state for a resource of `type`. Components get none. */
export function awsComputedState(
    type: string,
    name: string,
    inputs: Record<string, unknown>,
    custom: boolean,
): Record<string, unknown> {
    if (custom && type.startsWith("tls:")) {
        return tlsComputedState(type, name);
    }
    if (!custom || !type.startsWith("aws:")) {
        return custom ? { id: `${name}-id` } : {};
    }
    const [, modulePart = "", typeName = ""] = type.split(":");
    const module = modulePart.split("/")[0] ?? "";
    const phys = physicalName(name, inputs);
    const service = arnService(module);
    const lower = typeName.charAt(0).toLowerCase() + typeName.slice(1);
    switch (type) {
        case "aws:s3/bucket:Bucket":
        case "aws:s3/bucketV2:BucketV2":
            return {
                id: phys,
                bucket: phys,
                arn: `arn:aws:s3:::${phys}`,
                bucketDomainName: `${phys}.s3.amazonaws.com`,
                bucketRegionalDomainName: `${phys}.s3.${MOCK_REGION}.amazonaws.com`,
                region: MOCK_REGION,
            };
        case "aws:iam/role:Role":
            return { id: phys, name: phys, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${phys}`, uniqueId: `AROA${name.toUpperCase().slice(0, 12)}` };
        case "aws:iam/policy:Policy":
            return { id: `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/${phys}`, name: phys, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/${phys}` };
        case "aws:kms/key:Key":
            return { id: `${name}-key-id`, keyId: `${name}-key-id`, arn: `arn:aws:kms:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:key/${name}-key-id` };
        case "aws:kms/alias:Alias":
            return { id: String(inputs.name ?? `alias/${name}`), arn: `arn:aws:kms:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:${String(inputs.name ?? `alias/${name}`)}` };
        case "aws:cloudwatch/logGroup:LogGroup":
            return { id: phys, name: phys, arn: `arn:aws:logs:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:log-group:${phys}` };
        case "aws:ec2/vpc:Vpc":
            return {
                id: `vpc-${name}`,
                arn: `arn:aws:ec2:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:vpc/vpc-${name}`,
                defaultSecurityGroupId: `sg-default-${name}`,
                defaultRouteTableId: `rtb-default-${name}`,
                defaultNetworkAclId: `acl-default-${name}`,
                mainRouteTableId: `rtb-main-${name}`,
            };
        case "aws:ec2/subnet:Subnet":
            return { id: `subnet-${name}`, arn: `arn:aws:ec2:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:subnet/subnet-${name}` };
        case "aws:ec2/securityGroup:SecurityGroup":
            return { id: `sg-${name}`, arn: `arn:aws:ec2:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:security-group/sg-${name}` };
        case "aws:ec2/routeTable:RouteTable":
            return { id: `rtb-${name}`, arn: `arn:aws:ec2:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:route-table/rtb-${name}` };
        case "aws:ec2/vpcEndpoint:VpcEndpoint":
            return {
                id: `vpce-${name}`,
                arn: `arn:aws:ec2:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:vpc-endpoint/vpce-${name}`,
                dnsEntries: [],
                ...(inputs.vpcEndpointType === "Gateway" ? { prefixListId: `pl-${name}` } : {}),
            };
        case "aws:ec2/flowLog:FlowLog":
            return { id: `fl-${name}`, arn: `arn:aws:ec2:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:vpc-flow-log/fl-${name}` };
        case "aws:cloudtrail/trail:Trail":
            return { id: phys, name: phys, arn: `arn:aws:cloudtrail:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:trail/${phys}` };
        case "aws:backup/vault:Vault":
            return { id: phys, name: phys, arn: `arn:aws:backup:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:backup-vault:${phys}` };
        case "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault":
            return { id: phys, name: phys, arn: `arn:aws:backup:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:backup-vault:${phys}` };
        case "aws:backup/plan:Plan":
            return { id: `${name}-plan-id`, arn: `arn:aws:backup:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:backup-plan:${name}-plan-id`, version: "1" };
        case "aws:sns/topic:Topic":
            return { id: `arn:aws:sns:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:${phys}`, name: phys, arn: `arn:aws:sns:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:${phys}` };
        case "aws:ecr/repository:Repository":
            return {
                id: phys,
                name: phys,
                arn: `arn:aws:ecr:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:repository/${phys}`,
                repositoryUrl: `${MOCK_ACCOUNT_ID}.dkr.ecr.${MOCK_REGION}.amazonaws.com/${phys}`,
                registryId: MOCK_ACCOUNT_ID,
            };
        case "aws:ec2/launchTemplate:LaunchTemplate":
            return { id: `lt-${name}`, arn: `arn:aws:ec2:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:launch-template/lt-${name}`, latestVersion: 1, defaultVersion: 1 };
        case "aws:eks/nodeGroup:NodeGroup":
            return { id: `${String(inputs.clusterName)}:${name}`, arn: `arn:aws:eks:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:nodegroup/${String(inputs.clusterName)}/${name}/0a1b2c3`, status: "ACTIVE" };
        case "aws:eks/accessEntry:AccessEntry":
            return { id: `${String(inputs.clusterName)}:${String(inputs.principalArn)}`, accessEntryArn: `arn:aws:eks:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:access-entry/${String(inputs.clusterName)}/${name}` };
        case "aws:eks/accessPolicyAssociation:AccessPolicyAssociation":
            return { id: `${String(inputs.clusterName)}#${String(inputs.principalArn)}#${String(inputs.policyArn)}` };
        case "aws:eks/cluster:Cluster":
            return {
                id: phys,
                name: phys,
                arn: `arn:aws:eks:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:cluster/${phys}`,
                endpoint: `https://${name.toUpperCase()}.gr7.${MOCK_REGION}.eks.amazonaws.com`,
                certificateAuthority: { data: Buffer.from("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n").toString("base64") },
                identities: [{ oidcs: [{ issuer: `https://oidc.eks.${MOCK_REGION}.amazonaws.com/id/${name.toUpperCase()}` }] }],
                version: inputs.version ?? "1.33",
            };
        default:
            break;
    }
    if (module === "sagemaker") {
        return { id: phys, name: phys, arn: `arn:aws:sagemaker:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:${lower}/${phys}`.toLowerCase() };
    }
    return {
        id: `${name}-id`,
        arn: `arn:aws:${service}:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:${lower}/${phys}`,
    };
}

/** A PEM block whose body is a deterministic placeholder (not a real key or certificate). */
function fakePem(label: string, name: string): string {
    return `-----BEGIN ${label}-----\n${Buffer.from(`aiguard offline ${label.toLowerCase()} ${name}`).toString("base64")}\n-----END ${label}-----\n`;
}

/**
 * Computed state of @pulumi/tls resources: placeholder PEMs, distinct per resource, so wiring (a CA
 * bundle, a Secret's data) can be followed from one resource to another. Not usable as key material.
 */
function tlsComputedState(type: string, name: string): Record<string, unknown> {
    switch (type) {
        case "tls:index/privateKey:PrivateKey":
            return { id: `${name}-id`, privateKeyPem: fakePem("PRIVATE KEY", name), publicKeyPem: fakePem("PUBLIC KEY", name), publicKeyOpenssh: `ecdsa-sha2-nistp256 ${name}` };
        case "tls:index/selfSignedCert:SelfSignedCert":
        case "tls:index/locallySignedCert:LocallySignedCert":
            return { id: `${name}-id`, certPem: fakePem("CERTIFICATE", name), validityStartTime: "2026-01-01T00:00:00Z", validityEndTime: "2027-01-01T00:00:00Z", readyForRenewal: false };
        case "tls:index/certRequest:CertRequest":
            return { id: `${name}-id`, certRequestPem: fakePem("CERTIFICATE REQUEST", name) };
        default:
            return { id: `${name}-id` };
    }
}

/** Answers for the read-only AWS data sources aiguard's components use. */
export const awsCallAnswers: Record<string, CallAnswer> = {
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        accountId: MOCK_ACCOUNT_ID,
        arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/aiguard-offline`,
        userId: "AIDAOFFLINEUSER",
        id: MOCK_ACCOUNT_ID,
    }),
    "aws:index/getRegion:getRegion": () => ({
        name: MOCK_REGION,
        region: MOCK_REGION,
        id: MOCK_REGION,
        endpoint: `ec2.${MOCK_REGION}.amazonaws.com`,
        description: "Europe (London)",
    }),
    "aws:index/getPartition:getPartition": () => ({
        partition: "aws",
        id: "aws",
        dnsSuffix: "amazonaws.com",
        reverseDnsPrefix: "com.amazonaws",
    }),
    "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({
        id: MOCK_REGION,
        names: [...MOCK_AZS],
        zoneIds: MOCK_AZS.map((_, i) => `euw2-az${i + 1}`),
        groupNames: [MOCK_REGION],
    }),
};
