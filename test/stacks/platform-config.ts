/** Stack config of the example platform, read from its Pulumi.<stack>.yaml files. */
import { PROJECT, readStackConfigFile } from "../../stacks/platform/config";

export { PROJECT };

export function rawStackConfig(stack: string): Record<string, string> {
    return readStackConfigFile(stack).raw;
}

export function stackConfig(stack: string) {
    return readStackConfigFile(stack);
}
