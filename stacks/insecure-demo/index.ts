/**
 * Pulumi program of the deliberately insecure demo (stacks/insecure-demo): RAW @pulumi/aws and
 * @pulumi/kubernetes resources configured the way real teams get them wrong, so that every aiguard
 * rule fires. NEVER `pulumi up` it.
 *
 * How to preview it:
 *  - offline, no cloud account or Pulumi CLI needed (runs it under mocks and feeds every resource
 *    through the compiled pack over the analyzer protocol, as the CLI would):
 *      npx vitest run test/stacks/insecure-demo-pack.test.ts
 *  - with the Pulumi CLI and AWS credentials: in a scratch copy of the root Pulumi.yaml set
 *    `main: stacks/insecure-demo/index.ts`, then
 *      pulumi stack init insecure-demo && pulumi preview --policy-pack policies
 *    The preview must fail with aiguard's mandatory violations, each ending in its clause IDs.
 */
import { buildInsecureDemo } from "./demo";

export = buildInsecureDemo();
