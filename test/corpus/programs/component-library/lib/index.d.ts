import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

export interface TrainingDataStoreArgs {
    readonly forceDestroy?: boolean;
    readonly retentionInDays?: number;
}
export declare class TrainingDataStore extends pulumi.ComponentResource {
    readonly bucket: aws.s3.Bucket;
    readonly logs: aws.cloudwatch.LogGroup;
    constructor(name: string, args: TrainingDataStoreArgs, opts?: pulumi.ComponentResourceOptions);
}
