import { beforeAll, describe, expect, it } from "vitest";
import { InferenceCluster, type InferenceClusterArgs, inferenceClusterArgsProblem } from "../../../components/aws/eks-cluster";
import { apiCidrsError, clusterTrustPolicy, eksKubeconfig, nodeTrustPolicy, versionError } from "../../../components/aws/eks-policies";
import { MOCK_ACCOUNT_ID, MOCK_REGION, policyDoc, record, type Recorded } from "../../harness";
import { ADMIN, cluster, clusterArgs, Names } from "../k8s/fixtures";

const T = {
    component: "aiguard:aws:InferenceCluster",
    keyComponent: "aiguard:aws:EncryptionKey",
    key: "aws:kms/key:Key",
    cluster: "aws:eks/cluster:Cluster",
    role: "aws:iam/role:Role",
    attach: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    lt: "aws:ec2/launchTemplate:LaunchTemplate",
    nodeGroup: "aws:eks/nodeGroup:NodeGroup",
    entry: "aws:eks/accessEntry:AccessEntry",
    association: "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
    provider: "pulumi:providers:kubernetes",
};
const TAGS = {
    "aiguard:owner": "ml-platform@example.com",
    "aiguard:data-classification": "confidential",
};

function run(o: Partial<InferenceClusterArgs> = {}): Promise<Recorded<InferenceCluster>> {
    return record(() => cluster(o));
}

describe("InferenceCluster defaults", () => {
    let rec: Recorded<InferenceCluster>;
    beforeAll(async () => {
        rec = await run();
    });
    const inputs = (type: string, name: string) => rec.inputs(type, name);

    it("registers exactly the hardened set, every child parented to the component, calling only the read-only data sources", async () => {
        expect(rec.countByType()).toEqual({
            [T.component]: 1, [T.keyComponent]: 1, [T.key]: 1, [T.cluster]: 1, [T.role]: 2, [T.attach]: 4, [T.logGroup]: 1,
            [T.sg]: 1, [T.ingress]: 1, [T.lt]: 1, [T.nodeGroup]: 1, [T.entry]: 1, [T.association]: 1, [T.provider]: 1,
            "aws:eks/addon:Addon": 1,
        });
        expect(rec.inputs("aws:eks/addon:Addon", "mx-eks-pod-identity-agent")).toMatchObject({ addonName: "eks-pod-identity-agent", clusterName: "mx-eks" });
        const top = rec.get(T.component, "mx-eks");
        for (const r of rec.resources) {
            if (r.type === T.component) continue;
            if (r.type === T.key) expect(r.parent).toBe(rec.get(T.keyComponent, "mx-eks-key").urn);
            else expect(r.parent, `${r.type} ${r.name}`).toBe(top.urn);
        }
        expect(new Set(rec.run.calls.map((c) => c.token))).toEqual(new Set([
            "aws:index/getCallerIdentity:getCallerIdentity", "aws:index/getRegion:getRegion", "aws:index/getPartition:getPartition",
        ]));
    });

    it("cluster: private endpoint, secrets encrypted with the key, all log types, API access entries only, supported version", () => {
        const c = inputs(T.cluster, "mx-eks-cluster");
        const keyArn = rec.get(T.key, "mx-eks-key-key").outputs.arn;
        expect(c).toMatchObject({
            name: "mx-eks",
            version: "1.33",
            vpcConfig: {
                subnetIds: ["subnet-0aaa", "subnet-0bbb"],
                securityGroupIds: ["sg-mx-eks-api-sg"],
                endpointPrivateAccess: true,
                endpointPublicAccess: false,
            },
            encryptionConfig: { resources: ["secrets"], provider: { keyArn } },
            enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
            accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
            upgradePolicy: { supportType: "STANDARD" },
            deletionProtection: true,
            roleArn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/mx-eks-cluster-role-0a1b2c3`,
            tags: { ...TAGS, "aiguard:asset-kind": "cluster", "aiguard:network-role": "inference" },
        });
        expect(c.vpcConfig.publicAccessCidrs).toBeUndefined();
        // The log group and role attachment exist before EKS starts writing or assuming.
        const deps = rec.get(T.cluster, "mx-eks-cluster").dependencies;
        expect(deps).toEqual(expect.arrayContaining([rec.get(T.logGroup, "mx-eks-control-plane-logs").urn, rec.get(T.attach, "mx-eks-cluster-AmazonEKSClusterPolicy").urn]));
    });

    it("control-plane log group: the name EKS writes to, KMS-encrypted, 365 days", () => {
        expect(inputs(T.logGroup, "mx-eks-control-plane-logs")).toEqual({
            name: "/aws/eks/mx-eks/cluster",
            retentionInDays: 365,
            kmsKeyId: rec.get(T.key, "mx-eks-key-key").outputs.arn,
            tags: { ...TAGS, "aiguard:asset-kind": "monitoring" },
        });
    });

    it("key: administered by the given admins, used by the cluster role and the Auto Scaling role, logs only for this log group", () => {
        const doc = policyDoc(inputs(T.key, "mx-eks-key-key").policy);
        expect(doc.Statement.find((s) => s.Sid === "KeyAdministration").Principal).toEqual({ AWS: [ADMIN] });
        expect(doc.Statement.find((s) => s.Sid === "KeyUse").Principal).toEqual({
            AWS: [
                `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/mx-eks-cluster-role-0a1b2c3`,
                `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
            ],
        });
        expect(doc.Statement.find((s) => s.Sid === "ServiceUse0")).toMatchObject({
            Principal: { Service: `logs.${MOCK_REGION}.amazonaws.com` },
            Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:log-group:/aws/eks/mx-eks/cluster` } },
        });
    });

    it("roles: service-scoped managed policies only; cluster trust conditioned on this account and cluster, node trust plain EC2", () => {
        const clusterTrust = policyDoc(inputs(T.role, "mx-eks-cluster-role").assumeRolePolicy);
        expect(clusterTrust.Statement).toEqual([{
            Sid: "EksControlPlane", Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: "sts:AssumeRole",
            Condition: {
                StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID },
                ArnLike: { "aws:SourceArn": `arn:aws:eks:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:cluster/mx-eks` },
            },
        }]);
        const nodeTrust = policyDoc(inputs(T.role, "mx-eks-node-role").assumeRolePolicy);
        expect(nodeTrust.Statement).toEqual([{
            Sid: "EksNodes", Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole",
        }]);
        const attached = rec.ofType(T.attach).map((a) => `${String(a.inputs.role).replace(/-0a1b2c3$/, "")} ${a.inputs.policyArn}`).sort();
        expect(attached).toEqual([
            "mx-eks-cluster-role arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
            "mx-eks-node-role arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
            "mx-eks-node-role arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
            "mx-eks-node-role arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
        ]);
        for (const r of rec.ofType(T.role)) expect(r.inputs.managedPolicyArns).toBeUndefined();
    });

    it("API security group: HTTPS from the listed inference networks only, no egress rule", () => {
        expect(inputs(T.sg, "mx-eks-api-sg")).toMatchObject({ vpcId: "vpc-0inference" });
        expect(rec.ofType(T.ingress).map((r) => r.inputs)).toEqual([{
            securityGroupId: "sg-mx-eks-api-sg", description: "Kubernetes API (HTTPS) from an allowed network", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.30.0.0/16",
            tags: { ...TAGS, "aiguard:asset-kind": "network", "aiguard:network-role": "inference" },
        }]);
        expect(rec.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")).toEqual([]);
    });

    it("nodes: IMDSv2 required with hop limit 1, encrypted gp3 root volume with the key, private subnets, after the role's policies", () => {
        const lt = inputs(T.lt, "mx-eks-nodes-lt");
        const keyArn = rec.get(T.key, "mx-eks-key-key").outputs.arn;
        expect(lt.metadataOptions).toEqual({ httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, httpProtocolIpv6: "disabled", instanceMetadataTags: "disabled" });
        expect(lt.blockDeviceMappings).toEqual([{ deviceName: "/dev/xvda", ebs: { volumeSize: 50, volumeType: "gp3", encrypted: "true", kmsKeyId: keyArn, deleteOnTermination: "true" } }]);
        const ng = inputs(T.nodeGroup, "mx-eks-nodes");
        expect(ng).toMatchObject({
            clusterName: "mx-eks",
            nodeRoleArn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/mx-eks-node-role-0a1b2c3`,
            subnetIds: ["subnet-0aaa", "subnet-0bbb"],
            amiType: "AL2023_x86_64_STANDARD",
            capacityType: "ON_DEMAND",
            instanceTypes: ["m6i.large"],
            scalingConfig: { minSize: 2, desiredSize: 2, maxSize: 3 },
            launchTemplate: { id: "lt-mx-eks-nodes-lt", version: "1" },
        });
        expect(ng.remoteAccess).toBeUndefined();
        const nodeDeps = rec.get(T.nodeGroup, "mx-eks-nodes").dependencies;
        for (const p of ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly", "AmazonEKS_CNI_Policy"]) {
            expect(nodeDeps).toContain(rec.get(T.attach, `mx-eks-node-${p}`).urn);
        }
    });

    it("admins: one access entry each with the cluster-admin access policy; the Kubernetes provider waits for them", () => {
        expect(inputs(T.entry, "mx-eks-admin-0")).toMatchObject({ clusterName: "mx-eks", principalArn: ADMIN, type: "STANDARD" });
        expect(inputs(T.association, "mx-eks-admin-0-policy")).toEqual({
            clusterName: "mx-eks", principalArn: ADMIN, policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", accessScope: { type: "cluster" },
        });
        const provider = rec.get(T.provider, "mx-eks-k8s");
        expect(provider.dependencies).toContain(rec.get(T.association, "mx-eks-admin-0-policy").urn);
        const kubeconfig = JSON.parse(String(provider.inputs.kubeconfig));
        expect(kubeconfig.users[0].user.exec).toEqual({
            apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", interactiveMode: "Never",
            args: ["eks", "get-token", "--cluster-name", "mx-eks", "--region", MOCK_REGION, "--output", "json"],
        });
        expect(kubeconfig.clusters[0].cluster.server).toBe(rec.get(T.cluster, "mx-eks-cluster").outputs.endpoint);
    });
});

describe("InferenceCluster relaxations and options", () => {
    it("publicAccessCidrs: public endpoint to exactly those networks, private access kept", async () => {
        const rec = await run({ publicAccessCidrs: ["203.0.113.0/24"] });
        expect(rec.inputs(T.cluster, "mx-eks-cluster").vpcConfig).toMatchObject({ endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] });
    });

    it("kmsKeyArn: no key created, the given key everywhere", async () => {
        const key = "arn:aws:kms:eu-west-2:123456789012:key/byok";
        const rec = await run({ kmsKeyArn: key, keyAdministratorArns: undefined });
        expect(rec.ofType(T.key)).toEqual([]);
        expect(rec.inputs(T.cluster, "mx-eks-cluster").encryptionConfig.provider.keyArn).toBe(key);
        expect(rec.inputs(T.logGroup, "mx-eks-control-plane-logs").kmsKeyId).toBe(key);
        expect(rec.inputs(T.lt, "mx-eks-nodes-lt").blockDeviceMappings[0].ebs.kmsKeyId).toBe(key);
    });

    it("nodes and version options reach the children", async () => {
        const rec = await run({ version: "1.34", clusterName: "inference", nodes: { instanceTypes: ["g5.xlarge"], minSize: 1, desiredSize: 2, maxSize: 4, diskSizeGiB: 200, imdsHopLimit: 2, labels: { pool: "gpu" } } });
        expect(rec.inputs(T.cluster, "mx-eks-cluster")).toMatchObject({ name: "inference", version: "1.34" });
        expect(rec.inputs(T.logGroup, "mx-eks-control-plane-logs").name).toBe("/aws/eks/inference/cluster");
        expect(rec.inputs(T.nodeGroup, "mx-eks-nodes")).toMatchObject({ instanceTypes: ["g5.xlarge"], scalingConfig: { minSize: 1, desiredSize: 2, maxSize: 4 }, labels: { pool: "gpu" } });
        expect(rec.inputs(T.lt, "mx-eks-nodes-lt")).toMatchObject({ metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 }, blockDeviceMappings: [{ ebs: { volumeSize: 200 } }] });
    });

    it.each<[string, Partial<InferenceClusterArgs>, RegExp]>([
        ["a public endpoint open to the internet", { publicAccessCidrs: ["0.0.0.0/0"] }, /publicAccessCidrs must list specific networks, never 0\.0\.0\.0\/0/],
        ["an empty public CIDR list (EKS reads it as 0.0.0.0/0)", { publicAccessCidrs: [] }, /publicAccessCidrs is empty/],
        ["API clients from anywhere", { apiClientCidrs: ["0.0.0.0/0"] }, /apiClientCidrs must list specific networks/],
        ["no API clients", { apiClientCidrs: [] }, /apiClientCidrs must name the networks/],
        ["a malformed CIDR", { apiClientCidrs: ["10.30.1.0/16"] }, /host bits set/],
        ["an unsupported version", { version: "1.31" }, /older than 1\.32/],
        ["a version that is not major.minor", { version: "latest" }, /minor version such as "1\.33"/],
        ["one subnet", { subnetIds: ["subnet-0aaa"] }, /at least two availability zones/],
        ["no admins", { adminRoleArns: [] }, /adminRoleArns must name at least one IAM role/],
        ["a user as admin", { adminRoleArns: ["arn:aws:iam::123456789012:user/bob"] }, /must list IAM role ARNs/],
        ["both key options", { kmsKeyArn: "arn:aws:kms:eu-west-2:123456789012:key/x" }, /either kmsKeyArn .* or keyAdministratorArns/],
        ["no key at all", { keyAdministratorArns: undefined }, /give keyAdministratorArns/],
        ["short log retention", { logRetentionInDays: 30 }, /logRetentionInDays must be at least 90/],
        ["an invalid cluster name", { clusterName: "-bad name" }, /not a valid EKS cluster name/],
        ["min above desired", { nodes: { minSize: 3, desiredSize: 2 } }, /1 <= minSize <= desiredSize <= maxSize/],
        ["hop limit 3", { nodes: { imdsHopLimit: 3 as 1 } }, /imdsHopLimit must be 1 or 2/],
        ["a tiny disk", { nodes: { diskSizeGiB: 8 } }, /diskSizeGiB must be a whole number of at least 20/],
    ])("rejects %s", async (_what, o, message) => {
        expect(inferenceClusterArgsProblem(clusterArgs(o), Names.cluster)).toMatch(message);
        await expect(run(o)).rejects.toThrow(message);
    });
});

describe("pure helpers", () => {
    it("inferenceClusterArgsProblem passes the fixture's arguments, and checks the component name when clusterName is absent", () => {
        expect(inferenceClusterArgsProblem(clusterArgs(), Names.cluster)).toBeUndefined();
        expect(inferenceClusterArgsProblem(clusterArgs(), "-bad name")).toMatch(/not a valid EKS cluster name/);
        expect(inferenceClusterArgsProblem(clusterArgs({ clusterName: "ok" }), "-bad name")).toBeUndefined();
    });

    it("versionError accepts the pack minimum and newer, rejects older and non-versions", () => {
        expect(["1.32", "1.33", "1.40", "2.0"].map(versionError)).toEqual([undefined, undefined, undefined, undefined]);
        expect(versionError("1.29")).toMatch(/older than 1\.32/);
        expect(versionError("1.33.1")).toMatch(/minor version/);
    });

    it("apiCidrsError ignores unresolved values but rejects every /0 form", () => {
        expect(apiCidrsError(["10.0.0.0/8", {} as unknown], "x")).toBeUndefined();
        expect(apiCidrsError(["::/0"], "x")).toMatch(/never ::\/0/);
        expect(apiCidrsError(["10.0.0.0/0"], "x")).toMatch(/never 10\.0\.0\.0\/0/);
    });

    it("trust policies name the partition, region, account and cluster", () => {
        const ctx = { accountId: "210987654321", region: "us-gov-west-1", partition: "aws-us-gov" };
        expect(JSON.stringify(clusterTrustPolicy(ctx, "c1"))).toContain('"aws:SourceArn":"arn:aws-us-gov:eks:us-gov-west-1:210987654321:cluster/c1"');
        expect(JSON.stringify(nodeTrustPolicy(ctx))).not.toContain("Condition");
    });

    it("eksKubeconfig is plain JSON with exec auth, and passes --role-arn when asked", () => {
        const k = JSON.parse(eksKubeconfig({ clusterName: "c", endpoint: "https://x", certificateAuthorityData: "Q0E=", region: "eu-west-2", roleArn: "arn:aws:iam::1:role/r" }));
        expect(k["current-context"]).toBe("c");
        expect(k.clusters[0].cluster["certificate-authority-data"]).toBe("Q0E=");
        expect(k.users[0].user.exec.args.slice(-2)).toEqual(["--role-arn", "arn:aws:iam::1:role/r"]);
    });
});
