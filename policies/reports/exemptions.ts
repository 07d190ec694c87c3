/**
 * Advisory stack policy that lists every exemption applied during this run, with its
 * justification, so that waivers stay visible in `pulumi preview` output and in aiguard's reports.
 * Must come after the rules (stack policies run in order, after all resource policies).
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { appliedExemptions } from "../framework/run-log";

export const exemptionsReportPolicy: StackValidationPolicy = {
    name: "aiguard-exemptions-applied",
    description: "Lists every aiguard rule exemption applied to this stack, with the justification given for it, so that waivers stay visible.",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps: "Review each exemption: remove it from the policy config once the resource complies, or renew its justification and expiry date.",
    url: "https://www.pulumi.com/docs/iac/using-pulumi/crossguard/configuration/",
    tags: ["aiguard", "clause:SD-3", "clause:P2"],
    validateStack: (_args, reportViolation) => {
        for (const e of appliedExemptions()) {
            reportViolation(`exempted from ${e.rule}: ${e.message} — justification: ${e.justification}`, e.urn);
        }
    },
};
