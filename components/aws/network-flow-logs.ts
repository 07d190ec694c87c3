/**
 * Flow logs for {@link AiNetworks} (OM-1 / P12): every packet decision (traffic type ALL) of both
 * VPCs goes to one CloudWatch log group encrypted with a customer-managed key and kept for a
 * bounded, auditable period, delivered by a role only VPC Flow Logs of this account can assume.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EncryptionKey } from "./encryption-key";
import { flowLogDeliveryPolicy, flowLogTrustPolicy } from "./network-policies";
import type { AwsContext } from "./network-segment";
import { AssetKinds, assetTags, type AssetTags, type NetworkRole, TagKeys } from "./tags";

/** Retention values CloudWatch Logs accepts (0 = never expire). */
export const LOG_RETENTION_DAYS: readonly number[] = [
    0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Minimum flow-log retention aiguard accepts, in days (long enough to investigate an incident, DP-3). */
export const MIN_FLOW_LOG_RETENTION_DAYS = 90;

/**
 * Checks a flow-log retention: a value CloudWatch accepts, and at least 90 days (0, never expire,
 * is allowed). Returns an error message, or `undefined` when valid.
 */
export function flowLogRetentionError(days: number): string | undefined {
    if (!LOG_RETENTION_DAYS.includes(days)) {
        return `flowLogRetentionInDays must be one of the values CloudWatch Logs accepts (${LOG_RETENTION_DAYS.join(", ")}); got ${days}`;
    }
    if (days !== 0 && days < MIN_FLOW_LOG_RETENTION_DAYS) {
        return `flowLogRetentionInDays must be at least ${MIN_FLOW_LOG_RETENTION_DAYS} days (or 0 to never expire) so incidents can be investigated (OM-1 / P12); got ${days}`;
    }
    return undefined;
}

export interface FlowLogsSpec {
    readonly assetTags: AssetTags;
    readonly retentionInDays: number;
    /** Bring-your-own key; when absent a key is created for `keyAdministratorArns`. */
    readonly kmsKeyArn?: pulumi.Input<string>;
    readonly keyAdministratorArns?: readonly pulumi.Input<string>[];
    readonly aws: pulumi.Output<AwsContext>;
    readonly vpcs: readonly { readonly role: NetworkRole; readonly vpcId: pulumi.Input<string> }[];
}

export interface FlowLogs {
    readonly key: EncryptionKey | undefined;
    readonly keyArn: pulumi.Output<string>;
    readonly logGroup: aws.cloudwatch.LogGroup;
    readonly role: aws.iam.Role;
    readonly flowLogs: readonly aws.ec2.FlowLog[];
}

/** Creates the key (unless given), log group, delivery role and one flow log per VPC under `parent`. */
export function buildFlowLogs(parent: pulumi.Resource, name: string, spec: FlowLogsSpec): FlowLogs {
    const opts = { parent };
    let key: EncryptionKey | undefined;
    let keyArn: pulumi.Output<string>;
    if (spec.kmsKeyArn !== undefined) {
        keyArn = pulumi.output(spec.kmsKeyArn);
    } else {
        key = new EncryptionKey(`${name}-flow-logs-key`, {
            description: `${name}: VPC flow logs of the training and inference networks`,
            assetTags: spec.assetTags,
            administratorArns: spec.keyAdministratorArns ?? [],
            services: [
                {
                    service: spec.aws.apply((ctx) => `logs.${ctx.region}.amazonaws.com`),
                    actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                    conditions: {
                        ArnLike: {
                            "kms:EncryptionContext:aws:logs:arn": spec.aws.apply((ctx) => `arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:*`),
                        },
                    },
                },
            ],
        }, opts);
        keyArn = key.arn;
    }

    const logGroup = new aws.cloudwatch.LogGroup(`${name}-flow-logs`, {
        retentionInDays: spec.retentionInDays,
        kmsKeyId: keyArn,
        tags: assetTags(spec.assetTags, AssetKinds.monitoring),
    }, opts);

    const role = new aws.iam.Role(`${name}-flow-logs-role`, {
        description: "Delivers VPC flow logs of the AI networks to their encrypted log group",
        assumeRolePolicy: spec.aws.apply((ctx) => JSON.stringify(flowLogTrustPolicy(ctx.partition, ctx.region, ctx.accountId))),
        tags: assetTags(spec.assetTags, AssetKinds.role),
    }, opts);
    const delivery = new aws.iam.RolePolicy(`${name}-flow-logs-delivery`, {
        role: role.id,
        policy: logGroup.arn.apply((arn) => JSON.stringify(flowLogDeliveryPolicy(arn))),
    }, opts);

    const flowLogs = spec.vpcs.map(({ role: networkRole, vpcId }) => new aws.ec2.FlowLog(`${name}-${networkRole}-flow-log`, {
        vpcId,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: logGroup.arn,
        iamRoleArn: role.arn,
        maxAggregationInterval: 60,
        tags: assetTags(spec.assetTags, AssetKinds.monitoring, { [TagKeys.networkRole]: networkRole }),
    }, { parent, dependsOn: [delivery] }));

    return { key, keyArn, logGroup, role, flowLogs };
}
