import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../../policies/framework/rule";
import { ec2InstanceEnforceEncryptedVolumes } from "../../../policies/rules/aws/ec2/instance-enforce-encrypted-volumes";
import { ec2InstanceEnforceImdsV2 } from "../../../policies/rules/aws/ec2/instance-enforce-imdsv2";
import { secretsmanagerSecretMissingKmsKey } from "../../../policies/rules/aws/secretsmanager/secret-missing-kms-key";
import { ec2InstanceDisallowTrainingPublicIp } from "../../../policies/rules/aws/ec2/instance-disallow-training-public-ip";
import { INSTANCE_TYPE, SECRET_TYPE, instance, secret, trainingHostStack } from "./fixtures-aws";
import { expectOne, res, runResource, runStack, urnOf, withField } from "../support";

describe("aws-ec2-instance-enforce-imdsv2", () => {
    const run = (props: Record<string, unknown>) => runResource(ec2InstanceEnforceImdsV2, INSTANCE_TYPE, props);
    it("passes httpTokens required, and IMDS disabled", () => {
        expect(run(instance())).toEqual([]);
        expect(run(withField(instance(), "metadataOptions", { httpEndpoint: "disabled" }))).toEqual([]);
    });
    it.each([
        ["metadataOptions", undefined, "httpTokens is not set (the default allows IMDSv1)"],
        ["metadataOptions.httpTokens", "optional", 'httpTokens is "optional"'],
    ])("%s = %s", (path, v, msg) => expectOne(run(withField(instance(), path, v)), [msg]));
    it("leaves an instance without metadataOptions that starts from a launch template to the template rule", () => {
        expect(run(withField(withField(instance(), "metadataOptions", undefined), "launchTemplate", { id: "lt-1", version: "$Latest" }))).toEqual([]);
        expectOne(run(withField(withField(instance(), "metadataOptions.httpTokens", "optional"), "launchTemplate", { id: "lt-1" })), ['"optional"']);
    });
    it("unknown → no finding", () => expect(run(withField(instance(), "metadataOptions", UNKNOWN))).toEqual([]));
});

describe("aws-ec2-instance-enforce-encrypted-volumes", () => {
    const run = (props: Record<string, unknown>) => runResource(ec2InstanceEnforceEncryptedVolumes, INSTANCE_TYPE, props);
    it("passes encrypted root and EBS volumes", () => expect(run(instance())).toEqual([]));
    it.each([
        ["rootBlockDevice", undefined, "no rootBlockDevice"],
        ["rootBlockDevice.encrypted", undefined, "rootBlockDevice.encrypted is not set"],
        ["rootBlockDevice.encrypted", false, "rootBlockDevice.encrypted is false"],
        ["ebsBlockDevices[0].encrypted", false, "ebsBlockDevices[0].encrypted is false"],
        ["ebsBlockDevices[0].encrypted", undefined, "ebsBlockDevices[0].encrypted is not set"],
    ])("%s = %s", (path, v, msg) => expectOne(run(withField(instance(), path, v)), [msg]));
    it("leaves the root volume of an instance started from a launch template to the template", () => {
        expect(run(withField(withField(instance(), "rootBlockDevice", undefined), "launchTemplate", { name: "gpu" }))).toEqual([]);
    });
});

describe("aws-secretsmanager-secret-missing-kms-key", () => {
    const run = (props: Record<string, unknown>) => runResource(secretsmanagerSecretMissingKmsKey, SECRET_TYPE, props);
    it("passes a customer-managed key (ARN or alias)", () => {
        expect(run(secret())).toEqual([]);
        expect(run(withField(secret(), "kmsKeyId", "alias/ml-secrets"))).toEqual([]);
    });
    it.each([
        [undefined, "kmsKeyId is not set"],
        ["", "kmsKeyId is not set"],
        ["alias/aws/secretsmanager", 'AWS-managed key "alias/aws/secretsmanager"'],
        ["arn:aws:kms:eu-west-2:123456789012:alias/aws/secretsmanager", "AWS-managed key"],
    ])("kmsKeyId = %s", (v, msg) => expectOne(run(withField(secret(), "kmsKeyId", v)), [msg]));
    it("unknown → no finding", () => expect(run(withField(secret(), "kmsKeyId", UNKNOWN))).toEqual([]));
});

describe("aws-ec2-instance-disallow-training-public-ip", () => {
    const rule = ec2InstanceDisallowTrainingPublicIp;
    const edit = (i: number, props: Record<string, unknown>) => {
        const s = trainingHostStack();
        s[i] = { ...s[i]!, props: { ...s[i]!.props, ...props } };
        return s;
    };
    it("passes a training host without a public IP", () => expect(runStack(rule, trainingHostStack())).toEqual([]));
    it("flags associatePublicIpAddress true", () => expectOne(runStack(rule, edit(1, { associatePublicIpAddress: true })), ['training host "trainer" sets associatePublicIpAddress: true'], urnOf(INSTANCE_TYPE, "trainer")));
    it("flags a host that leaves it to a subnet mapping public IPs, not one that says false", () => {
        const s = edit(0, { mapPublicIpOnLaunch: true });
        expect(runStack(rule, s)).toEqual([]);
        s[1] = { ...s[1]!, props: { ...s[1]!.props, associatePublicIpAddress: undefined } };
        expectOne(runStack(rule, s), ['gets a public IP from its subnet "training-subnet"']);
    });
    it("joins the subnet by dependency at a first preview, and judges hosts tagged as training", () => {
        const s = edit(0, { mapPublicIpOnLaunch: true, id: UNKNOWN });
        s[1] = { ...s[1]!, props: { ...s[1]!.props, subnetId: UNKNOWN, associatePublicIpAddress: undefined }, propertyDependencies: { subnetId: [s[0]!.urn] } };
        expectOne(runStack(rule, s), ["gets a public IP from its subnet"]);
        const tagged = res(INSTANCE_TYPE, "tagged", { ...instance(), subnetId: "subnet-elsewhere", associatePublicIpAddress: true, tags: { "aiguard:network-role": "training" } });
        expectOne(runStack(rule, [tagged]), ['"tagged"']);
    });
    it("does not judge hosts outside the training network", () => {
        expect(runStack(rule, [res(INSTANCE_TYPE, "bastion", { ...instance(), associatePublicIpAddress: true })])).toEqual([]);
        expect(runStack(rule, edit(0, { tags: { "aiguard:network-role": "inference" }, mapPublicIpOnLaunch: true }).map((r, i) => (i === 1 ? { ...r, props: { ...r.props, associatePublicIpAddress: true } } : r)))).toEqual([]);
    });
});
