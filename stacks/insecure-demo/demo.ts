/**
 * A deliberately insecure AI platform, built from RAW @pulumi/aws v7 and @pulumi/kubernetes
 * resources (none of aiguard's components), declaring everything the way real teams get it wrong.
 * It exists to show, and to test, that the aiguard pack catches each mistake with the clause it
 * breaks: every rule of the catalogue fires on it at least once (see
 * test/stacks/insecure-demo-pack.test.ts for the exact findings). Never deploy it.
 */
import * as pulumi from "@pulumi/pulumi";
import { buildIdentity, TRAINING_ROLE_NAME } from "./identity";
import { buildDataStores } from "./data-stores";
import { buildKubernetes } from "./kubernetes";
import { buildDataPath } from "./data-path";
import { buildBedrock, buildPlatformServices, buildSageMaker } from "./ml-services";
import { buildNetwork } from "./network";
import { buildBackups, buildStorage } from "./storage";

export { DemoBuckets } from "./storage";
export { MODEL_NAMESPACE } from "./kubernetes";
export { TRAINING_ROLE_NAME };

/** Stack outputs of the demo. */
export interface InsecureDemoOutputs {
    readonly datasetBucket: pulumi.Output<string>;
    readonly releasedModelBucket: pulumi.Output<string>;
    readonly trainingVpcId: pulumi.Output<string>;
    readonly inferenceVpcId: pulumi.Output<string>;
    readonly trainingRoleArn: pulumi.Output<string>;
}

/** Declares the insecure demo. Call inside a Pulumi program (or the offline harness). */
export function buildInsecureDemo(): InsecureDemoOutputs {
    const identity = buildIdentity();
    const roleArn = identity.trainingRole.arn;
    const storage = buildStorage(identity.key.arn);
    buildBackups(storage, roleArn);
    const network = buildNetwork();
    buildSageMaker({ network, storage, roleArn });
    buildBedrock(roleArn);
    const repository = buildPlatformServices({ network, storage, roleArn }, roleArn);
    buildDataPath(storage, network, repository);
    buildDataStores({ network, storage, roleArn });
    buildKubernetes();
    return {
        datasetBucket: storage.datasets.bucket,
        releasedModelBucket: storage.releasedModels.bucket,
        trainingVpcId: network.trainingVpc.id,
        inferenceVpcId: network.inferenceVpc.id,
        trainingRoleArn: roleArn,
    };
}
