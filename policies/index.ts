/**
 * The aiguard CrossGuard policy pack.
 *
 *   pulumi preview --policy-pack <path-to-aiguard>/policies
 *
 * The Pulumi CLI starts this module through `@pulumi/pulumi/cmd/run-policy-pack`; `PolicyPack`'s
 * constructor starts the analyzer gRPC server and prints its port. The advisory report policies
 * come after the rules (stack policies run in order): they list what the rules waived, could not
 * decide at preview, and judged.
 */
import { RULES } from "./catalogue";
import { toPolicy } from "./framework/adapt";
import { servePolicyPack } from "./framework/analyzer-server";
import { exemptionsReportPolicy } from "./reports/exemptions";
import { scopeReportPolicy } from "./reports/scope";
import { undecidedReportPolicy } from "./reports/undecided";

servePolicyPack("aiguard", {
    description: "Guideline-derived rules for AI infrastructure: NCSC/CISA Guidelines for Secure AI System Development and the UK Code of Practice for the Cyber Security of AI.",
    displayName: "aiguard",
    provider: "aws",
    tags: ["ai", "security", "ncsc", "cisa", "uk-ai-code"],
    enforcementLevel: "mandatory",
    policies: [...RULES.map(toPolicy), undecidedReportPolicy, exemptionsReportPolicy, scopeReportPolicy(RULES)],
});
