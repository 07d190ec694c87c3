/**
 * Advisory stack policy that says, in every run, what the pack judged: the scope setting, which
 * resources it recognised as AI assets and how (by tag, or from how AI services use them), which
 * are declared out of scope and why, declarations that do not count, and how many resources each
 * rule judged. Silence is a finding: a rule that judged nothing is listed as such.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { readSettings, SETTING_SCHEMAS } from "../../common/settings";
import { stackView } from "../framework/adapt";
import { judgesType, type Rule } from "../framework/rule";
import { scopeDeclarationProblem } from "../framework/scope";
import { awsAssetFacts } from "../rules/aws/ai-assets";

export const SCOPE_REPORT_POLICY = "aiguard-scope";

export function scopeReportPolicy(rules: readonly Rule[]): StackValidationPolicy {
    return {
        name: SCOPE_REPORT_POLICY,
        description: "Reports what aiguard judged in this run: the scope, the AI assets it recognised (by tag or from use), the resources declared out of scope with their justification, and the number of resources each rule judged.",
        enforcementLevel: "advisory",
        severity: "low",
        remediationSteps: "Check that every AI asset of the stack is listed as recognised; tag any it missed with `aiguard:asset-kind`, and review every out-of-scope declaration.",
        url: "https://www.ncsc.gov.uk/collection/guidelines-secure-ai-system-development",
        tags: ["aiguard", "clause:DV-2", "clause:P5"],
        configSchema: { properties: { scope: SETTING_SCHEMAS.scope, assetKindTagKey: SETTING_SCHEMAS.assetKindTagKey } },
        validateStack: (args, reportViolation) => {
            const settings = readSettings(args.getConfig<Record<string, unknown>>());
            // The rules' own view of the request, so the facts they computed are reused, not recomputed.
            const resources = stackView(args.resources);
            const facts = awsAssetFacts(resources, settings);
            const byTag = [...facts.assets.values()].filter((a) => a.how === "tag").length;
            const fromUse = [...facts.assets.entries()].filter(([, a]) => a.how === "use");
            const inScopeByType = new Map<string, number>();
            for (const r of resources) if (facts.inScope(r)) inScopeByType.set(r.type, (inScopeByType.get(r.type) ?? 0) + 1);
            const counts = rules.map((rule) => {
                let judged = 0;
                for (const [type, n] of inScopeByType) if (judgesType(rule, type)) judged += n;
                return { rule: rule.name, judged };
            });
            const idle = counts.filter((c) => c.judged === 0);
            const scopeText = settings.scope === "all"
                ? 'scope "all": every resource of a type a rule governs is judged'
                : 'scope "ai-assets": only resources recognised as AI assets are judged, as the config asks';
            reportViolation(
                `${scopeText}. ${resources.length} resources; ${facts.assets.size} AI assets recognised (${byTag} by tag, ${fromUse.length} from use); ` +
                `${facts.excluded.size} declared out of scope; ${counts.length - idle.length} of ${counts.length} rules judged something` +
                (idle.length > 0 ? ` (judged nothing here: ${idle.map((c) => c.rule).join(", ")})` : "") + ".",
            );
            reportViolation(`resources judged per rule: ${counts.map((c) => `${c.rule} ${c.judged}`).join(", ")}`);
            for (const [urn, a] of fromUse) reportViolation(`recognised as an AI asset (${a.kind}) from use: ${a.via}`, urn);
            for (const [urn, why] of facts.excluded) reportViolation(`declared out of scope: ${why}`, urn);
            for (const r of resources) {
                const problem = scopeDeclarationProblem(r.props);
                if (problem) reportViolation(`scope declaration ignored: ${problem}`, r.urn);
            }
        },
    };
}
