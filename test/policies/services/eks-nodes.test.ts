import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../../common/unknown";
import { ec2LaunchTemplateEnforceEncryptedVolumes } from "../../../policies/rules/aws/ec2/launchtemplate-enforce-encrypted-volumes";
import { ec2LaunchTemplateEnforceImdsV2 } from "../../../policies/rules/aws/ec2/launchtemplate-enforce-imdsv2";
import { eksNodeGroupDisallowPublicRemoteAccess } from "../../../policies/rules/aws/eks/nodegroup-disallow-public-remote-access";
import { expectOne, runResource, withField } from "../support";
import { LAUNCH_TEMPLATE_TYPE, launchTemplate, NODE_GROUP_TYPE, nodeGroup } from "./fixtures-aws";

describe("EKS managed node groups and their launch templates", () => {
    it("pass the hardened fixtures", () => {
        expect(runResource(eksNodeGroupDisallowPublicRemoteAccess, NODE_GROUP_TYPE, nodeGroup())).toEqual([]);
        expect(runResource(eksNodeGroupDisallowPublicRemoteAccess, NODE_GROUP_TYPE, withField(nodeGroup(), "remoteAccess", undefined))).toEqual([]);
        expect(runResource(ec2LaunchTemplateEnforceImdsV2, LAUNCH_TEMPLATE_TYPE, launchTemplate())).toEqual([]);
        expect(runResource(ec2LaunchTemplateEnforceEncryptedVolumes, LAUNCH_TEMPLATE_TYPE, launchTemplate())).toEqual([]);
    });
    it.each([
        ["remoteAccess.sourceSecurityGroupIds", undefined],
        ["remoteAccess.sourceSecurityGroupIds", []],
    ])("flags SSH open to the world: %s = %j", (path, value) => {
        expectOne(runResource(eksNodeGroupDisallowPublicRemoteAccess, NODE_GROUP_TYPE, withField(nodeGroup(), path, value)), ["open to 0.0.0.0/0"]);
    });
    it.each([
        ["metadataOptions", undefined, "httpTokens is not set"],
        ["metadataOptions.httpTokens", "optional", 'httpTokens is "optional"'],
    ])("flags IMDSv1: %s = %j", (path, value, message) => {
        expectOne(runResource(ec2LaunchTemplateEnforceImdsV2, LAUNCH_TEMPLATE_TYPE, withField(launchTemplate(), path, value)), [message]);
    });
    it("accepts a disabled metadata endpoint", () => {
        expect(runResource(ec2LaunchTemplateEnforceImdsV2, LAUNCH_TEMPLATE_TYPE, withField(launchTemplate(), "metadataOptions", { httpEndpoint: "disabled" }))).toEqual([]);
    });
    it.each([
        ["blockDeviceMappings", undefined, "no blockDeviceMappings"],
        ["blockDeviceMappings[0].ebs.encrypted", undefined, "blockDeviceMappings[0].ebs.encrypted is not set"],
        ["blockDeviceMappings[0].ebs.encrypted", "false", 'blockDeviceMappings[0].ebs.encrypted is "false"'],
    ])("flags unencrypted volumes: %s = %j", (path, value, message) => {
        expectOne(runResource(ec2LaunchTemplateEnforceEncryptedVolumes, LAUNCH_TEMPLATE_TYPE, withField(launchTemplate(), path, value)), [message]);
    });
    it("reports nothing while the deciding values are unknown", () => {
        expect(runResource(eksNodeGroupDisallowPublicRemoteAccess, NODE_GROUP_TYPE, withField(nodeGroup(), "remoteAccess.sourceSecurityGroupIds", UNKNOWN))).toEqual([]);
        expect(runResource(ec2LaunchTemplateEnforceImdsV2, LAUNCH_TEMPLATE_TYPE, withField(launchTemplate(), "metadataOptions.httpTokens", UNKNOWN))).toEqual([]);
        expect(runResource(ec2LaunchTemplateEnforceEncryptedVolumes, LAUNCH_TEMPLATE_TYPE, withField(launchTemplate(), "blockDeviceMappings", UNKNOWN))).toEqual([]);
    });
});
