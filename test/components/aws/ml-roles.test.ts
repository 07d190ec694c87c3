import * as fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { SageMakerRoles, type SageMakerRolesArgs, sageMakerRolesArgsProblem } from "../../../components/aws/ml-roles";
import { inferenceRolePolicy, locationsOverlap, prefixError, trainingRolePolicy, type RoleAccess } from "../../../components/aws/ml-role-policies";
import { MOCK_ACCOUNT_ID, policyDoc, record, type Recorded } from "../../harness";

const A = MOCK_ACCOUNT_ID;
const TAGS = { owner: "ml-platform@example.com", dataClassification: "confidential" } as const;
const DATA_KEY = `arn:aws:kms:eu-west-2:${A}:key/data`;
const MODEL_KEY = `arn:aws:kms:eu-west-2:${A}:key/models`;
const TRAIN_REPO = `arn:aws:ecr:eu-west-2:${A}:repository/trainer`;
const SERVE_REPO = `arn:aws:ecr:eu-west-2:${A}:repository/server`;
const BASE: SageMakerRolesArgs = {
    assetTags: TAGS,
    trainingData: { bucketName: "datasets", prefix: "fraud/v3/" },
    modelArtifacts: { bucketName: "models", prefix: "fraud/" },
    dataKeyArns: [DATA_KEY, MODEL_KEY],
    trainingImageRepositoryArns: [TRAIN_REPO],
    inferenceImageRepositoryArns: [SERVE_REPO],
    trainingVpcId: "vpc-train",
    inferenceVpcId: "vpc-infer",
};
const T = { component: "aiguard:aws:SageMakerRoles", role: "aws:iam/role:Role", rolePolicy: "aws:iam/rolePolicy:RolePolicy" };
const EC2 = `arn:aws:ec2:eu-west-2:${A}`;
const LOGS = `arn:aws:logs:eu-west-2:${A}:log-group:`;

function run(args: Partial<SageMakerRolesArgs> = {}): Promise<Recorded<SageMakerRoles>> {
    return record(() => new SageMakerRoles("ml", { ...BASE, ...args }));
}

const vpcStatements = (vpcId: string) => [
    {
        Sid: "VpcModeNetworkInterfacesInOwnVpc", Effect: "Allow",
        Action: ["ec2:CreateNetworkInterface", "ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface", "ec2:DeleteNetworkInterfacePermission"],
        Resource: [`${EC2}:network-interface/*`, `${EC2}:subnet/*`, `${EC2}:security-group/*`],
        Condition: { ArnEquals: { "ec2:Vpc": `${EC2}:vpc/${vpcId}` } },
    },
    {
        Sid: "VpcModeDescribe", Effect: "Allow",
        Action: ["ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs"],
        Resource: "*",
    },
];
const imageStatements = (repo: string) => [
    { Sid: "PullNamedImages", Effect: "Allow", Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], Resource: [repo] },
    { Sid: "EcrAuthorizationToken", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
];
const viaS3 = { StringEquals: { "kms:ViaService": "s3.eu-west-2.amazonaws.com" } };

describe("SageMakerRoles defaults", () => {
    let rec: Recorded<SageMakerRoles>;
    beforeAll(async () => {
        rec = await run();
    });

    it("registers two roles with one inline policy each and no managed policy", async () => {
        expect(rec.countByType()).toEqual({ [T.component]: 1, [T.role]: 2, [T.rolePolicy]: 2 });
        const comp = rec.get(T.component, "ml");
        expect(rec.childrenOf(comp.urn).map((r) => r.name).sort()).toEqual(["ml-inference", "ml-inference-access", "ml-training", "ml-training-access"]);
        expect([...new Set(rec.run.calls.map((c) => c.token))].sort()).toEqual([
            "aws:index/getCallerIdentity:getCallerIdentity", "aws:index/getPartition:getPartition", "aws:index/getRegion:getRegion",
        ]);
        for (const role of rec.ofType(T.role)) {
            expect(role.inputs.managedPolicyArns).toBeUndefined();
            expect(role.inputs.permissionsBoundary).toBeUndefined();
            expect(role.inputs.maxSessionDuration).toBe(3600);
            expect(role.inputs.tags).toEqual({ "aiguard:owner": TAGS.owner, "aiguard:data-classification": "confidential", "aiguard:asset-kind": "role" });
        }
    });

    it("trusts only SageMaker acting for this account and region", () => {
        for (const name of ["ml-training", "ml-inference"]) {
            expect(policyDoc(rec.inputs(T.role, name).assumeRolePolicy).Statement).toEqual([{
                Sid: "SageMakerOnly", Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": A }, ArnLike: { "aws:SourceArn": `arn:aws:sagemaker:eu-west-2:${A}:*` } },
            }]);
        }
    });

    it("training reads the dataset prefix, writes the model prefix, and nothing wider", () => {
        const policy = rec.inputs(T.rolePolicy, "ml-training-access");
        expect(policy.role).toBe("ml-training-0a1b2c3");
        expect(policyDoc(policy.policy).Statement).toEqual([
            { Sid: "ReadTrainingDataObjects", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::datasets/fraud/v3/*" },
            { Sid: "ReadTrainingDataList", Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::datasets", Condition: { StringLike: { "s3:prefix": ["fraud/v3/*"] } } },
            { Sid: "WriteModelArtifacts", Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::models/fraud/*" },
            { Sid: "DataKeysThroughS3", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: [DATA_KEY, MODEL_KEY], Condition: viaS3 },
            {
                Sid: "SageMakerLogs", Effect: "Allow",
                Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                Resource: [`${LOGS}/aws/sagemaker/TrainingJobs`, `${LOGS}/aws/sagemaker/TrainingJobs:log-stream:*`],
            },
            ...imageStatements(TRAIN_REPO),
            ...vpcStatements("vpc-train"),
        ]);
    });

    it("inference reads the model prefix only: no write, no dataset access, its own VPC and images", () => {
        const policy = rec.inputs(T.rolePolicy, "ml-inference-access");
        expect(policy.role).toBe("ml-inference-0a1b2c3");
        expect(policyDoc(policy.policy).Statement).toEqual([
            { Sid: "ReadModelArtifactsObjects", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::models/fraud/*" },
            { Sid: "ReadModelArtifactsList", Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::models", Condition: { StringLike: { "s3:prefix": ["fraud/*"] } } },
            { Sid: "DataKeysThroughS3", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [DATA_KEY, MODEL_KEY], Condition: viaS3 },
            {
                Sid: "SageMakerLogs", Effect: "Allow",
                Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                Resource: [`${LOGS}/aws/sagemaker/Endpoints/*`, `${LOGS}/aws/sagemaker/Endpoints/*:log-stream:*`],
            },
            ...imageStatements(SERVE_REPO),
            ...vpcStatements("vpc-infer"),
        ]);
    });
});

describe("SageMakerRoles at preview", () => {
    it("registers the same resources as an update (nothing is created inside an apply)", async () => {
        const [preview, update] = [await record(() => new SageMakerRoles("ml", BASE), { preview: true }), await run()];
        expect(preview.resources.map((r) => `${r.type}::${r.name}`).sort()).toEqual(update.resources.map((r) => `${r.type}::${r.name}`).sort());
    });
});

describe("SageMakerRoles options", () => {
    it("permissions boundary, volume keys through SageMaker, data capture writes, bucket names from outputs", async () => {
        const boundary = `arn:aws:iam::${A}:policy/ml-boundary`;
        const volumeKey = `arn:aws:kms:eu-west-2:${A}:key/volumes`;
        const rec = await run({
            permissionsBoundaryArn: boundary,
            volumeKeyArns: [volumeKey],
            modelArtifacts: { bucketName: pulumi.output("models-out"), prefix: "fraud/" },
            dataCapture: { bucketName: pulumi.output("capture"), prefix: "endpoint-a/" },
            trainingImageRepositoryArns: [],
        });
        for (const role of rec.ofType(T.role)) expect(role.inputs.permissionsBoundary).toBe(boundary);
        const inference = policyDoc(rec.inputs(T.rolePolicy, "ml-inference-access").policy).Statement;
        expect(inference.find((s) => s.Sid === "WriteDataCapture")).toEqual({ Sid: "WriteDataCapture", Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::capture/endpoint-a/*" });
        expect(inference.find((s) => s.Sid === "DataKeysThroughS3").Action).toEqual(["kms:Decrypt", "kms:GenerateDataKey"]);
        const training = policyDoc(rec.inputs(T.rolePolicy, "ml-training-access").policy).Statement;
        expect(training.find((s) => s.Sid === "WriteModelArtifacts").Resource).toBe("arn:aws:s3:::models-out/fraud/*");
        expect(training.filter((s) => String(s.Action).startsWith("ecr:") || String(s.Action).includes("ecr:"))).toEqual([]);
        const via = { "kms:ViaService": "sagemaker.eu-west-2.amazonaws.com" };
        expect(training.filter((s) => s.Sid.startsWith("VolumeKey"))).toEqual([
            { Sid: "VolumeKeysThroughSageMaker", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"], Resource: [volumeKey], Condition: { StringEquals: via } },
            { Sid: "VolumeKeyGrantsForSageMaker", Effect: "Allow", Action: "kms:CreateGrant", Resource: [volumeKey], Condition: { StringEquals: via, Bool: { "kms:GrantIsForAWSResource": "true" } } },
        ]);
    });
});

describe("SageMakerRoles granted their data access after the stores exist", () => {
    const { trainingData, modelArtifacts, dataKeyArns, ...withoutData } = BASE;
    const access = { trainingData: trainingData!, modelArtifacts: modelArtifacts!, dataKeyArns: dataKeyArns! };

    it("attaches the same policies as when the arguments carry the data access", async () => {
        const upFront = await run();
        const later = await record(() => {
            const roles = new SageMakerRoles("ml", withoutData);
            roles.grantDataAccess(access);
            return roles;
        });
        expect(later.countByType()).toEqual(upFront.countByType());
        for (const name of ["ml-training-access", "ml-inference-access"]) {
            expect(policyDoc(later.inputs(T.rolePolicy, name).policy)).toEqual(policyDoc(upFront.inputs(T.rolePolicy, name).policy));
        }
    });

    it("creates the roles alone until granted, and grants once", async () => {
        const alone = await record(() => new SageMakerRoles("ml", withoutData));
        expect(alone.countByType()).toEqual({ [T.component]: 1, [T.role]: 2 });
        const twice = await record(() => {
            const roles = new SageMakerRoles("ml", BASE);
            try {
                roles.grantDataAccess(access);
            } catch (err) {
                return (err as Error).message;
            }
            return "";
        });
        expect(twice.result).toMatch(/already have their data access/);
    });

    it("rejects part of the data access in the arguments", () => {
        expect(sageMakerRolesArgsProblem({ ...withoutData, trainingData })).toMatch(/trainingData, modelArtifacts and dataKeyArns go together/);
    });
});

describe("SageMakerRoles rejects unsafe or contradictory options", () => {
    const cases: [string, Partial<SageMakerRolesArgs>, RegExp][] = [
        ["prefix without trailing slash", { trainingData: { bucketName: "datasets", prefix: "fraud" } }, /trainingData.prefix must be a key prefix such as "datasets\/v1\/".*got "fraud"/],
        ["wildcard prefix", { modelArtifacts: { bucketName: "models", prefix: "*/" } }, /modelArtifacts.prefix must be a key prefix/],
        ["empty prefix", { modelArtifacts: { bucketName: "models", prefix: "" } }, /modelArtifacts.prefix must be a key prefix.*got ""/],
        ["no data keys", { dataKeyArns: [] }, /dataKeyArns must name the KMS keys of the data and model buckets/],
        ["wildcard key ARN", { dataKeyArns: ["arn:aws:kms:eu-west-2:123456789012:key/*"] }, /dataKeyArns must list exact ARNs, without wildcards/],
        ["wildcard repository", { inferenceImageRepositoryArns: ["*"] }, /inferenceImageRepositoryArns must list exact ARNs, without wildcards; got "\*"/],
        ["one VPC for both", { inferenceVpcId: "vpc-train" }, /trainingVpcId and inferenceVpcId are the same VPC \(vpc-train\)/],
        ["models inside the dataset prefix", { modelArtifacts: { bucketName: "datasets", prefix: "fraud/v3/models/" } }, /trainingData and modelArtifacts overlap \(same bucket, nested prefixes\)/],
        ["capture over the models", { dataCapture: { bucketName: "models", prefix: "fraud/capture/" } }, /dataCapture and modelArtifacts overlap.*inference could overwrite the model it serves/],
    ];
    it.each(cases)("%s", async (_label, args, message) => {
        expect(sageMakerRolesArgsProblem({ ...BASE, ...args })).toMatch(message);
        await expect(run(args)).rejects.toThrow(message);
    });

    it("sageMakerRolesArgsProblem passes the defaults and leaves computed bucket names to the role policies", () => {
        expect(sageMakerRolesArgsProblem(BASE)).toBeUndefined();
        const computed = { trainingData: { bucketName: pulumi.output("datasets"), prefix: "fraud/v3/" }, modelArtifacts: { bucketName: "datasets", prefix: "fraud/v3/models/" } };
        expect(sageMakerRolesArgsProblem({ ...BASE, ...computed })).toBeUndefined();
    });
});

describe("role policy builders", () => {
    it("detects nested prefixes in the same bucket only", () => {
        expect(locationsOverlap({ bucket: "b", prefix: "a/" }, { bucket: "b", prefix: "a/b/" })).toBe(true);
        expect(locationsOverlap({ bucket: "b", prefix: "a/" }, { bucket: "b", prefix: "ab/" })).toBe(false);
        expect(locationsOverlap({ bucket: "b", prefix: "a/" }, { bucket: "c", prefix: "a/" })).toBe(false);
        expect(prefixError("p", "a/b/")).toBeUndefined();
        expect(prefixError("p", "/a/")).toMatch(/not starting with "\/"/);
    });

    it("never grants a wildcard action, and Resource * only for the two documented statements", () => {
        const name = fc.stringMatching(/^[a-z0-9][a-z0-9-]{2,20}$/);
        const prefix = fc.stringMatching(/^[a-z0-9][a-z0-9/_-]{0,20}\/$/);
        const arns = fc.array(name.map((n) => `arn:aws:kms:eu-west-2:${A}:key/${n}`), { maxLength: 3 });
        fc.assert(fc.property(name, prefix, name, prefix, arns, arns, fc.boolean(), (db, dp, mb, mp, keys, volumes, capture) => {
            const access: RoleAccess = {
                ctx: { partition: "aws", region: "eu-west-2", accountId: A },
                dataKeyArns: keys, volumeKeyArns: volumes, imageRepositoryArns: [TRAIN_REPO], vpcId: "vpc-1",
            };
            const docs = [
                trainingRolePolicy({ ...access, trainingData: { bucket: db, prefix: dp }, modelArtifacts: { bucket: mb, prefix: mp } }),
                inferenceRolePolicy({ ...access, modelArtifacts: { bucket: mb, prefix: mp }, dataCapture: capture ? { bucket: "capture.bucket", prefix: "cap/" } : undefined }),
            ];
            for (const stmt of docs.flatMap((d) => d.Statement)) {
                expect([stmt.Action].flat().some((a) => a === "*" || String(a).endsWith(":*"))).toBe(false);
                if (stmt.Resource === "*") expect(["EcrAuthorizationToken", "VpcModeDescribe"]).toContain(stmt.Sid);
                expect(stmt.Effect).toBe("Allow");
            }
            expect(docs[1]!.Statement.some((s) => s.Action === "s3:PutObject" && String(s.Resource).includes(`:::${mb}/${mp}`))).toBe(false);
        }));
    });
});
