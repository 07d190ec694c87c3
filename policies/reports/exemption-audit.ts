/**
 * Which configured exemptions need attention, judged across the whole pack: one whose expiry is not
 * a real date (it exempts nothing: fail closed), one that has expired (its findings are reported
 * again), and one that applied to no finding of this run.
 *
 * The same exemption often sits in many policies' config (`aiguard check` spreads a pack-wide
 * block into every policy), so exemptions are grouped by identity ({@link exemptionKey}) with the
 * policies that hold them, and "applied to no finding" means no policy applied it.
 */
import { describeExemption, exemptionKey, expiryProblem, type Exemption } from "../../common/settings";

export type ExemptionProblemKind = "invalid-expiry" | "expired" | "unmatched";

export interface ExemptionProblem {
    readonly kind: ExemptionProblemKind;
    readonly exemption: Exemption;
    /** Policies whose config holds it. */
    readonly heldBy: readonly string[];
    /** One sentence: what is wrong, then the fix. */
    readonly message: string;
}

/** The exemptions of a policy's raw config (the engine validated their shape against the schema). */
function exemptionsOf(config: Readonly<Record<string, unknown>>): Exemption[] {
    const list = config.exemptions;
    return Array.isArray(list) ? list.filter((e): e is Exemption => !!e && typeof e === "object" && typeof (e as Exemption).justification === "string") : [];
}

const listed = (names: readonly string[]) => (names.length <= 3 ? names.join(", ") : `${names.slice(0, 3).join(", ")} and ${names.length - 3} more`);

/**
 * @param config each policy's config, by policy name (pack-config.ts)
 * @param matched keys of the exemptions that applied to a finding (run-log.ts)
 * @param rules names of the pack's rules (what an exemption's `rule` may name)
 * @param today `YYYY-MM-DD`
 */
export function auditExemptions(config: ReadonlyMap<string, Readonly<Record<string, unknown>>>, matched: ReadonlySet<string>, rules: ReadonlySet<string>, today: string): ExemptionProblem[] {
    const groups = new Map<string, { exemption: Exemption; heldBy: string[] }>();
    for (const [policy, props] of config) {
        for (const e of exemptionsOf(props)) {
            const key = exemptionKey(e);
            const g = groups.get(key) ?? { exemption: e, heldBy: [] };
            g.heldBy.push(policy);
            groups.set(key, g);
        }
    }
    const problems: ExemptionProblem[] = [];
    for (const [key, { exemption: e, heldBy }] of groups) {
        const what = `${describeExemption(e)} in the config of ${listed(heldBy)}`;
        const invalid = expiryProblem(e.expires);
        if (invalid !== undefined) {
            problems.push({ kind: "invalid-expiry", exemption: e, heldBy, message: `${what}: its ${invalid}, so it exempts nothing. Fix: write the last day it applies as an existing date, YYYY-MM-DD (e.g. 2027-03-31).` });
        } else if (e.expires !== undefined && e.expires < today) {
            problems.push({ kind: "expired", exemption: e, heldBy, message: `${what} expired on ${e.expires}: the findings it waived are reported again. Fix: remove it once the resource complies, or renew its justification and expiry.` });
        } else if (!matched.has(key)) {
            const rule = e.rule ?? "*";
            const why =
                rule !== "*" && !rules.has(rule)
                    ? ` The pack has no rule named "${rule}".`
                    : rule !== "*" && !heldBy.includes(rule)
                      ? ` It names rule ${rule} but sits only in the config of ${listed(heldBy)}; Pulumi gives each policy only its own config, so move it under "${rule}".`
                      : "";
            problems.push({ kind: "unmatched", exemption: e, heldBy, message: `${what} applied to no finding in this run.${why} Fix: remove it if the resource complies or is gone, or correct its rule, name or urn.` });
        }
    }
    return problems;
}
