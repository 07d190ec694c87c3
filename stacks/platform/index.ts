/**
 * Pulumi program of the example platform (see Pulumi.yaml at the repository root):
 *   pulumi stack select dev && pulumi preview --policy-pack policies
 */
import { readPlatformConfig } from "./config";
import { buildPlatform } from "./platform";

export = buildPlatform(readPlatformConfig());
