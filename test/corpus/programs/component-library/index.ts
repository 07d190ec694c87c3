import * as pulumi from "@pulumi/pulumi";
import { TrainingDataStore } from "./lib";

const store = new TrainingDataStore("datasets", { forceDestroy: true, retentionInDays: 1 });

// A dynamic provider: what it does is decided by this code at deployment.
const registry: pulumi.dynamic.ResourceProvider = {
    async create(inputs: any) {
        return { id: `model-${inputs.modelName}`, outs: inputs };
    },
};
class ModelRegistration extends pulumi.dynamic.Resource {
    constructor(name: string, args: { modelName: string }, opts?: pulumi.CustomResourceOptions) {
        super(registry, name, args, opts);
    }
}
new ModelRegistration("sentiment-v2", { modelName: "sentiment" }, { dependsOn: [store] });

export const bucketName = store.bucket.bucket;
