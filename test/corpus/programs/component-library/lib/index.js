"use strict";
// A small in-house component library, shipped as JavaScript.
const pulumi = require("@pulumi/pulumi");
const aws = require("@pulumi/aws");

class TrainingDataStore extends pulumi.ComponentResource {
    constructor(name, args, opts) {
        super("acme:data:TrainingDataStore", name, {}, opts);
        this.bucket = new aws.s3.Bucket(`${name}-bucket`, { forceDestroy: args.forceDestroy === true }, { parent: this });
        this.logs = new aws.cloudwatch.LogGroup(`${name}-logs`, { retentionInDays: args.retentionInDays }, { parent: this });
        this.registerOutputs({ bucketName: this.bucket.bucket });
    }
}
module.exports = { TrainingDataStore };
