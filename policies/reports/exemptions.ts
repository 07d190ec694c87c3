/**
 * Advisory stack policy that keeps waivers visible. It lists every exemption applied during this
 * run, with its justification (and expiry), and every configured exemption that needs attention,
 * judged across the whole pack (exemption-audit.ts): an expiry that is not a real date (such an
 * exemption exempts nothing: the adapter fails closed), an expired exemption (its findings are back),
 * and one that applied to no finding. Must come after the rules (stack policies run in order, after
 * all resource policies).
 *
 * Advisory by design, as the other reports: it runs on every preview, and `aiguard check` refuses a
 * config that would make a report mandatory. A broken or expired exemption needs no blocking finding
 * of its own to fail closed: the findings it meant to waive are reported at their rule's level.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { RULES } from "../catalogue";
import { installPackConfigCapture, packConfig } from "../framework/pack-config";
import { appliedExemptions, matchedExemptions } from "../framework/run-log";
import { auditExemptions } from "./exemption-audit";

installPackConfigCapture();

const RULE_NAMES: ReadonlySet<string> = new Set(RULES.map((r) => r.name));

export const exemptionsReportPolicy: StackValidationPolicy = {
    name: "aiguard-exemptions-applied",
    description: "Lists every aiguard rule exemption applied to this stack, with the justification given for it, and the configured exemptions that are expired, have an impossible expiry date or applied to nothing, so that waivers stay visible.",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps: "Review each exemption: remove it from the policy config once the resource complies, or renew its justification and expiry date; write expiry dates as existing YYYY-MM-DD dates.",
    url: "https://www.pulumi.com/docs/iac/using-pulumi/crossguard/configuration/",
    tags: ["aiguard", "clause:SD-3", "clause:P2"],
    validateStack: (_args, reportViolation) => {
        for (const e of appliedExemptions()) {
            reportViolation(`exempted from ${e.rule}: ${e.message} — justification: ${e.justification}${e.expires ? ` — expires: ${e.expires}` : ""}`, e.urn);
        }
        const config = packConfig();
        if (config === undefined) {
            reportViolation("cannot see the pack's configuration (this @pulumi/policy version reads it differently), so expired exemptions and exemptions that match nothing are not reported. Fix: use the @pulumi/policy version aiguard pins.");
            return;
        }
        const today = new Date().toISOString().slice(0, 10);
        for (const p of auditExemptions(config, matchedExemptions(), RULE_NAMES, today)) reportViolation(p.message);
    },
};
