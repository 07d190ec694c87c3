import { describe, expect, it } from "vitest";
import { UNKNOWN, type Rule, type RuleResource } from "../../../policies/framework/rule";
import { conditionRestricts, statementExposure } from "../../../policies/rules/aws/principals";
import { parsePolicy, UNKNOWN_STRING, type Statement } from "../../../policies/framework/values";
import { iamRoleDisallowAdminPolicies } from "../../../policies/rules/aws/iam/role-disallow-admin-policies";
import { ecrRepositoryDisallowPublicPolicy } from "../../../policies/rules/aws/ecr/repository-disallow-public-policy";
import { opensearchDomainDisallowPublicPolicy } from "../../../policies/rules/aws/opensearch/domain-disallow-public-policy";
import { s3BucketDisallowPublicPolicy } from "../../../policies/rules/aws/s3/bucket-disallow-public-policy";
import { snsTopicDisallowPublicPolicy } from "../../../policies/rules/aws/sns/topic-disallow-public-policy";
import { sqsQueueDisallowPublicPolicy } from "../../../policies/rules/aws/sqs/queue-disallow-public-policy";
import { ACCOUNT, ENDPOINT_CONFIG_TYPE_FOR_TOPICS, resourcePolicyStacks, RP } from "./fixtures-aws";
import { aiTags, expectOne, res, runStack, urnOf } from "../support";

const statement = (s: Record<string, unknown>): Statement => {
    const p = parsePolicy({ Statement: [s] });
    if (!p.ok) throw new Error("fixture");
    return p.statements[0]!;
};
const open = (extra: Record<string, unknown> = {}) => ({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*", ...extra });

describe("statementExposure: the one judgement of a public statement", () => {
    it.each<[string, Record<string, unknown>]>([
        ["Principal *", open()],
        ["Principal {AWS: *}", open({ Principal: { AWS: "*" } })],
        ["Principal {AWS: [arn, *]}", open({ Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:root`, "*"] } })],
        ["Allow with NotPrincipal", { Effect: "Allow", NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "s3:*" }],
        ["a Condition that restricts nothing", open({ Condition: { Bool: { "aws:SecureTransport": "true" } } })],
        ["aws:SourceIp 0.0.0.0/0", open({ Condition: { IpAddress: { "aws:SourceIp": ["10.0.0.0/8", "0.0.0.0/0"] } } })],
        ["aws:SourceIp ::/0", open({ Condition: { IpAddress: { "aws:SourceIp": "::/0" } } })],
        ["aws:PrincipalOrgID under an ...IfExists operator (absent key passes)", open({ Condition: { StringEqualsIfExists: { "aws:PrincipalOrgID": "o-1" } } })],
        ["aws:SourceVpce under StringNotEquals", open({ Condition: { StringNotEquals: { "aws:SourceVpce": "vpce-1" } } })],
        ["aws:PrincipalArn *", open({ Condition: { StringLike: { "aws:PrincipalArn": "*" } } })],
        ["aws:PrincipalArn with a wildcard account", open({ Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/reader" } } })],
        ["aws:PrincipalAccount with one value of *", open({ Condition: { StringEquals: { "aws:PrincipalAccount": [ACCOUNT, "*"] } } })],
    ])("public: %s", (_n, s) => expect(statementExposure(statement(s))).toMatchObject({ public: true }));

    it.each<[string, Record<string, unknown>]>([
        ["a named account", open({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } })],
        ["a service principal", open({ Principal: { Service: "cloudtrail.amazonaws.com" } })],
        ["Deny to everyone", { ...open(), Effect: "Deny" }],
        ["aws:SourceVpce", open({ Condition: { StringEquals: { "aws:SourceVpce": "vpce-1" } } })],
        ["aws:SourceVpc", open({ Condition: { StringEquals: { "aws:sourcevpc": "vpc-1" } } })],
        ["aws:PrincipalOrgID", open({ Condition: { StringEquals: { "aws:PrincipalOrgID": "o-1" } } })],
        ["aws:PrincipalAccount", open({ Condition: { StringEquals: { "aws:PrincipalAccount": ACCOUNT } } })],
        ["aws:SourceAccount", open({ Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } })],
        ["aws:SourceArn (ArnLike)", open({ Condition: { ArnLike: { "aws:SourceArn": "arn:aws:s3:::models" } } })],
        ["aws:SourceOwner", open({ Condition: { StringEquals: { "aws:SourceOwner": ACCOUNT } } })],
        ["aws:PrincipalArn of one account", open({ Condition: { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/*` } } })],
        ["a private IP range", open({ Condition: { IpAddress: { "aws:SourceIp": ["203.0.113.0/24"] } } })],
        ["a restricting test next to one that restricts nothing", open({ Condition: { Bool: { "aws:SecureTransport": "true" }, StringEquals: { "aws:PrincipalOrgID": "o-1" } } })],
        ["ForAnyValue:StringLike on org paths", open({ Condition: { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": ["o-1/r-1/ou-1/*"] } } })],
    ])("not public: %s", (_n, s) => expect(statementExposure(statement(s))).toEqual({ public: false }));

    it.each<[string, Record<string, unknown>]>([
        ["unknown Effect", open({ Effect: UNKNOWN })],
        ["unknown Principal", open({ Principal: UNKNOWN })],
        ["unknown AWS principal list entry", open({ Principal: { AWS: [UNKNOWN] } })],
        ["unknown Condition", open({ Condition: UNKNOWN })],
        ["unknown operator block", open({ Condition: { StringEquals: UNKNOWN } })],
        ["unknown restricting value", open({ Condition: { StringEquals: { "aws:SourceVpce": UNKNOWN } } })],
        ["restricting value that embeds an unknown", open({ Condition: { StringEquals: { "aws:SourceVpce": `vpce-${UNKNOWN_STRING}` } } })],
        ["unknown IP list", open({ Condition: { IpAddress: { "aws:SourceIp": UNKNOWN } } })],
    ])("undecided: %s", (_n, s) => expect(statementExposure(statement(s))).toBe(UNKNOWN));

    it("a known restriction decides even when another test is unknown", () => {
        expect(conditionRestricts({ StringEquals: { "aws:PrincipalOrgID": "o-1" }, Bool: UNKNOWN })).toBe(true);
        expect(conditionRestricts({ StringEquals: { "kms:CallerAccount": ACCOUNT } })).toBe(false);
        expect(conditionRestricts({ StringEquals: { "kms:CallerAccount": ACCOUNT } }, new Set(["kms:calleraccount"]))).toBe(true);
    });
});

const PUBLIC_DOC = JSON.stringify({ Statement: [{ Sid: "Anyone", Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] });

/** [rule, stack prefix, holder index, policy-resource index, inline property, separate-policy property]. */
const CASES: readonly [Rule, string, number, number, string, string][] = [
    [ecrRepositoryDisallowPublicPolicy, "aws-ecr-", 0, 1, "", "policy"],
    [snsTopicDisallowPublicPolicy, "aws-sns-", 0, 2, "policy", "policy"],
    [sqsQueueDisallowPublicPolicy, "aws-sqs-", 0, 2, "policy", "policy"],
    [opensearchDomainDisallowPublicPolicy, "aws-opensearch-domain-disallow-public-policy", 0, 2, "accessPolicies", "accessPolicies"],
];

describe.each(CASES)("%s", (rule, prefix, holder, separate, inlineProp, policyProp) => {
    const stack = () => resourcePolicyStacks[prefix]!();
    const edit = (i: number, prop: string, value: unknown) => {
        const s = stack();
        s[i] = { ...s[i]!, props: { ...s[i]!.props, [prop]: value } };
        return s;
    };
    it("passes the compliant stack", () => expect(runStack(rule, stack())).toEqual([]));
    if (inlineProp) {
        it("flags a public inline policy on the holder", () => {
            const s = edit(holder, inlineProp, PUBLIC_DOC);
            expectOne(runStack(rule, s), ['inline policy of', 'statement "Anyone" allows everyone (Principal "*") without a Condition'], s[holder]!.urn);
        });
    }
    // The OpenSearch fixture's separate policy belongs to a VPC domain (shielded): take it out of the VPC.
    const judged = () => (prefix === "aws-opensearch-domain-disallow-public-policy" ? edit(separate - 1, "vpcOptions", undefined) : stack());
    it("flags a public separate policy resource on that resource", () => {
        const s = judged();
        s[separate] = { ...s[separate]!, props: { ...s[separate]!.props, [policyProp]: PUBLIC_DOC } };
        expectOne(runStack(rule, s), ['policy "', "allows everyone"], s[separate]!.urn);
    });
    it("reports an unknown document as undecided, never as a violation", () => {
        const s = judged();
        s[separate] = { ...s[separate]!, props: { ...s[separate]!.props, [policyProp]: UNKNOWN } };
        const found = runStack(rule, s);
        expect(found).toHaveLength(1);
        expect(found[0]).toMatchObject({ undecided: true, urn: s[separate]!.urn });
    });
    it("reports an unreadable document (fail closed)", () => {
        const s = judged();
        s[separate] = { ...s[separate]!, props: { ...s[separate]!.props, [policyProp]: "{not json" } };
        expectOne(runStack(rule, s), ["cannot be read: policy is not valid JSON"], s[separate]!.urn);
    });
});

describe("aws-opensearch-domain-disallow-public-policy: VPC domains", () => {
    const rule = opensearchDomainDisallowPublicPolicy;
    const stack = resourcePolicyStacks["aws-opensearch-domain-disallow-public-policy"]!;
    it("passes an open policy on a domain inside a VPC (the compliant fixture has one)", () => {
        expect(runStack(rule, stack())).toEqual([]);
        const s = stack();
        s[1] = { ...s[1]!, props: { ...s[1]!.props, accessPolicies: PUBLIC_DOC } };
        expect(runStack(rule, s)).toEqual([]);
    });
    it("an unknown VPC placement makes a public statement undecided", () => {
        const s = stack();
        s[1] = { ...s[1]!, props: { ...s[1]!.props, vpcOptions: UNKNOWN } };
        const found = runStack(rule, s);
        expect(found).toHaveLength(1);
        expect(found[0]).toMatchObject({ undecided: true, urn: s[2]!.urn });
    });
    it("joins a DomainPolicy by dependency at a first preview", () => {
        const s = stack();
        s[0] = { ...s[0]!, props: { ...s[0]!.props, domainName: UNKNOWN } };
        const policy: RuleResource = { ...s[2]!, props: { domainName: UNKNOWN, accessPolicies: PUBLIC_DOC }, propertyDependencies: { domainName: [s[0]!.urn] } };
        expectOne(runStack(rule, [s[0]!, s[1]!, policy]), ['of OpenSearch domain "public-endpoint"', "allows everyone"], policy.urn);
    });
});

describe("aws-s3-bucket-disallow-public-policy", () => {
    const rule = s3BucketDisallowPublicPolicy;
    const BUCKET = "aws:s3/bucket:Bucket";
    const POLICY = "aws:s3/bucketPolicy:BucketPolicy";
    const bucket = (props: Record<string, unknown> = {}) => res(BUCKET, "datasets", { bucket: "datasets", arn: "arn:aws:s3:::datasets", tags: aiTags("dataset-store"), ...props });
    const policy = (doc: unknown, bucketRef: unknown = "datasets") => res(POLICY, "datasets-policy", { bucket: bucketRef, policy: doc });
    const getObject = (extra: Record<string, unknown> = {}) => JSON.stringify({ Statement: [{ Sid: "PublicRead", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::datasets/*", ...extra }] });

    it("passes TLS-only Deny policies and endpoint-restricted reads", () => {
        expect(runStack(rule, [bucket(), policy(JSON.stringify({ Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }] }))])).toEqual([]);
        expect(runStack(rule, [bucket(), policy(getObject({ Condition: { StringEquals: { "aws:SourceVpce": "vpce-1" } } }))])).toEqual([]);
        expect(runStack(rule, [bucket()])).toEqual([]);
    });
    it("flags public s3:GetObject on the BucketPolicy", () => {
        expectOne(runStack(rule, [bucket(), policy(getObject())]), ['bucket policy', 'of S3 bucket "datasets"', 'statement "PublicRead" allows everyone'].map((x) => x.replace("bucket policy", 'policy "datasets-policy"')), urnOf(POLICY, "datasets-policy"));
    });
    it("flags a public inline policy on the bucket, and judges the bucket's output only once when a BucketPolicy exists", () => {
        expectOne(runStack(rule, [bucket({ policy: getObject() })]), ['inline policy of S3 bucket "datasets"'], urnOf(BUCKET, "datasets"));
        expect(runStack(rule, [bucket({ policy: getObject() }), policy(getObject())])).toHaveLength(1);
    });
    it("judges a policy of a bucket outside the stack under scope all, not under ai-assets", () => {
        expect(runStack(rule, [policy(getObject(), "someone-elses")])).toHaveLength(1);
        expect(runStack(rule, [policy(getObject(), "someone-elses")], { scope: "ai-assets" })).toEqual([]);
    });
    it("skips a bucket excluded from scope with a justification", () => {
        const excluded = bucket({ tags: { "aiguard:scope": "excluded", "aiguard:scope-justification": "Public website assets, no AI data at all (WEB-1)" } });
        expect(runStack(rule, [excluded, policy(getObject())])).toEqual([]);
    });
    it("judges the known statements of a document built from outputs", () => {
        const doc = JSON.stringify({ Statement: [{ Sid: "PublicRead", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: UNKNOWN_STRING }] });
        expectOne(runStack(rule, [bucket(), policy(doc)]), ['statement "PublicRead" allows everyone']);
    });
});

describe("SNS topics of SageMaker async inference are AI assets under scope ai-assets", () => {
    it("judges the notification topic, not an unrelated one", () => {
        const topicArn = `arn:aws:sns:eu-west-2:${ACCOUNT}:inference-done`;
        const stack = [
            res(RP.topic, "done", { name: "inference-done", arn: topicArn, policy: PUBLIC_DOC }),
            res(RP.topic, "other", { name: "other", arn: `arn:aws:sns:eu-west-2:${ACCOUNT}:other`, policy: PUBLIC_DOC }),
            res(ENDPOINT_CONFIG_TYPE_FOR_TOPICS, "cfg", { asyncInferenceConfig: { outputConfig: { s3OutputPath: "s3://out/", notificationConfig: { successTopic: topicArn } } } }),
        ];
        expectOne(runStack(snsTopicDisallowPublicPolicy, stack, { scope: "ai-assets" }), ['SNS topic "inference-done"'], stack[0]!.urn);
        expect(runStack(snsTopicDisallowPublicPolicy, stack)).toHaveLength(2);
    });
});

describe("roles of AI Lambda functions are AI roles (aws-iam-role-disallow-admin-policies under scope ai-assets)", () => {
    const ROLE = "aws:iam/role:Role";
    const ATTACH = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
    const FN = "aws:lambda/function:Function";
    const GROUP = "aws:bedrock/agentAgentActionGroup:AgentAgentActionGroup";
    const role = res(ROLE, "fn-role", { name: "fn-role", arn: `arn:aws:iam::${ACCOUNT}:role/fn-role`, assumeRolePolicy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] }) });
    const attach = res(ATTACH, "fn-role-ddb", { role: "fn-role", policyArn: "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess" });
    const fn = (props: Record<string, unknown>) => res(FN, "fn", { name: "fn", arn: `arn:aws:lambda:eu-west-2:${ACCOUNT}:function:fn`, role: role.props.arn, ...props });
    const rule = iamRoleDisallowAdminPolicies;
    it("a plain Lambda function's role is judged under scope all only", () => {
        expectOne(runStack(rule, [role, attach, fn({})]), ['role "fn-role" has the AWS-managed policy AmazonDynamoDBFullAccess'], attach.urn);
        expect(runStack(rule, [role, attach, fn({})], { scope: "ai-assets" })).toEqual([]);
    });
    it("a tagged Lambda function, or one behind a Bedrock agent action group, makes its role an AI role", () => {
        expectOne(runStack(rule, [role, attach, fn({ tags: aiTags("endpoint") })], { scope: "ai-assets" }), ['AI role "fn-role"'], attach.urn);
        const group = res(GROUP, "tools", { actionGroupName: "tools", agentId: "a", agentVersion: "DRAFT", actionGroupExecutor: { lambda: fn({}).props.arn } });
        expectOne(runStack(rule, [role, attach, fn({}), group], { scope: "ai-assets" }), ['AI role "fn-role"'], attach.urn);
    });
});
