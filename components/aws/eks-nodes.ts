/**
 * The managed node group of {@link InferenceCluster}: a launch template that requires IMDSv2 and
 * encrypts the root volume with the cluster's customer-managed key, and a node group in the
 * private inference subnets using it. Every resource is a child of the calling component.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AssetKinds, assetTags, type AssetTags, NetworkRoles, TagKeys } from "./tags";

/** Node group sizing and instance settings (validated by the component). */
export interface NodeGroupSpec {
    readonly clusterName: pulumi.Input<string>;
    readonly nodeRoleArn: pulumi.Input<string>;
    readonly subnetIds: readonly pulumi.Input<string>[];
    readonly kmsKeyArn: pulumi.Input<string>;
    readonly instanceTypes: readonly string[];
    readonly amiType: string;
    readonly diskSizeGiB: number;
    readonly minSize: number;
    readonly desiredSize: number;
    readonly maxSize: number;
    readonly imdsHopLimit: 1 | 2;
    readonly labels: Readonly<Record<string, string>>;
    readonly assetTags: AssetTags;
    /** Resources the node group must wait for (role policy attachments). */
    readonly dependsOn: readonly pulumi.Resource[];
}

export interface NodeGroupResources {
    readonly launchTemplate: aws.ec2.LaunchTemplate;
    readonly nodeGroup: aws.eks.NodeGroup;
}

export function buildNodeGroup(parent: pulumi.Resource, name: string, spec: NodeGroupSpec): NodeGroupResources {
    const tags = assetTags(spec.assetTags, AssetKinds.cluster, { [TagKeys.networkRole]: NetworkRoles.inference });
    const launchTemplate = new aws.ec2.LaunchTemplate(`${name}-nodes-lt`, {
        description: `${name}: inference nodes, IMDSv2 only, encrypted root volume`,
        updateDefaultVersion: true,
        metadataOptions: {
            httpEndpoint: "enabled",
            // IMDSv2 only: session tokens defeat SSRF-style credential theft from the node.
            httpTokens: "required",
            // 1: pods (one network hop away) cannot reach the node's IMDS and its role credentials;
            // 2 only for workloads that must, and then they should use EKS Pod Identity instead.
            httpPutResponseHopLimit: spec.imdsHopLimit,
            httpProtocolIpv6: "disabled",
            instanceMetadataTags: "disabled",
        },
        blockDeviceMappings: [{
            deviceName: "/dev/xvda",
            ebs: {
                volumeSize: spec.diskSizeGiB,
                volumeType: "gp3",
                encrypted: "true",
                kmsKeyId: spec.kmsKeyArn,
                deleteOnTermination: "true",
            },
        }],
        tagSpecifications: [
            { resourceType: "instance", tags },
            { resourceType: "volume", tags },
        ],
        tags,
    }, { parent });

    const nodeGroup = new aws.eks.NodeGroup(`${name}-nodes`, {
        clusterName: spec.clusterName,
        nodeRoleArn: spec.nodeRoleArn,
        subnetIds: [...spec.subnetIds],
        amiType: spec.amiType,
        capacityType: "ON_DEMAND",
        instanceTypes: [...spec.instanceTypes],
        scalingConfig: { minSize: spec.minSize, desiredSize: spec.desiredSize, maxSize: spec.maxSize },
        updateConfig: { maxUnavailable: 1 },
        launchTemplate: { id: launchTemplate.id, version: pulumi.interpolate`${launchTemplate.latestVersion}` },
        labels: { ...spec.labels },
        tags,
    }, { parent, dependsOn: [...spec.dependsOn] });
    return { launchTemplate, nodeGroup };
}
