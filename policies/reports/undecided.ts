/**
 * Advisory stack policy that lists what the rules could not decide in this run because a deciding
 * value is unknown at preview (a policy document built from outputs, a reference the engine has no
 * dependency for). Each is decided when the pack runs again with known values (`pulumi up`), and
 * is never a silent pass. Must come after the rules.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { undecidedFindings } from "../framework/run-log";

export const undecidedReportPolicy: StackValidationPolicy = {
    name: "aiguard-undecided-at-preview",
    description: "Lists every check an aiguard rule could not decide at preview because a deciding value was not known yet; each is decided at update, when the values are known.",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps: "Nothing to change if the values will comply; to decide at preview, write the value literally or reference the resource directly so the engine records the dependency.",
    url: "https://www.pulumi.com/docs/iac/concepts/inputs-outputs/",
    tags: ["aiguard", "clause:SD-3", "clause:P2"],
    validateStack: (_args, reportViolation) => {
        for (const n of undecidedFindings()) reportViolation(`${n.rule} decided at update: ${n.message}`, n.urn);
    },
};
