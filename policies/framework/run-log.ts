/**
 * What the rules of this run did besides reporting violations: exemptions applied, findings the
 * rules could not decide at preview, and findings on resources declared out of scope. The pack
 * process lives for one preview or update; the advisory report policies (`reports.ts`) list these
 * so nothing the pack left undecided or waived is silent.
 */

/** A finding that did not become a violation, and why. */
export interface Noted {
    readonly rule: string;
    readonly urn: string;
    readonly message: string;
}

export interface AppliedExemption extends Noted {
    readonly justification: string;
    readonly expires?: string;
}

const exemptions = new Map<string, AppliedExemption>();
const undecided = new Map<string, Noted>();
const matched = new Set<string>();

/** Notes an applied exemption; `key` identifies the configured exemption that applied (`exemptionKey`). */
export function noteExemption(e: AppliedExemption, key: string): void {
    exemptions.set(`${e.rule}|${e.urn}|${e.message}`, e);
    matched.add(key);
}

/** Keys of the configured exemptions that applied to at least one finding so far in this process. */
export function matchedExemptions(): ReadonlySet<string> {
    return matched;
}

export function noteUndecided(n: Noted): void {
    undecided.set(`${n.rule}|${n.urn}|${n.message}`, n);
}

/** Exemptions applied so far in this process. */
export function appliedExemptions(): AppliedExemption[] {
    return [...exemptions.values()];
}

/** Findings the rules could not decide so far in this process (a deciding value unknown at preview). */
export function undecidedFindings(): Noted[] {
    return [...undecided.values()];
}
